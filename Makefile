# virtbind — top-level build.  `make demo` sets up everything and runs the
# demo; `make check` runs every test.  Outputs go under build/.

CC       ?= cc
PYTHON   ?= /usr/bin/python3
BUILD    ?= build
WERROR   ?= -Werror
SANITIZE ?=
CFLAGS   ?= -O2 -g
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
XML_LIBS   := $(shell pkg-config --libs libxml-2.0 2>/dev/null)
VB_CFLAGS  = -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) $(SANITIZE) $(XML_CFLAGS) \
             -Iapi-xml -DVB_DEFAULT_ANNOTATIONS='"$(CURDIR)/api-xml/annotations.txt"'
VB_LDFLAGS = $(SANITIZE)

APIXML_SRC := $(wildcard api-xml/*.c)
APIXML_OBJ := $(APIXML_SRC:%.c=$(BUILD)/obj/%.o)
GEN_SRC    := $(wildcard generator/*.c)
GEN_OBJ    := $(GEN_SRC:%.c=$(BUILD)/obj/%.o)
COV_SRC    := $(wildcard coverage/*.c)
COV_OBJ    := $(COV_SRC:%.c=$(BUILD)/obj/%.o)

LIBAPIXML  := $(BUILD)/lib/libvbapixml.a
GEN        := $(BUILD)/bin/virtbind-gen
COVERAGE   := $(BUILD)/bin/virtbind-coverage
IR         := $(BUILD)/ir/virtbind-model.json

.PHONY: all deps build ir demo check check-c check-valgrind clean
all: build

build: $(GEN) $(if $(COV_SRC),$(COVERAGE)) $(IR)

deps:
	@sh tools/install-deps.sh

$(BUILD)/obj/%.o: %.c $(wildcard api-xml/*.h) | $(BUILD)/obj/api-xml $(BUILD)/obj/generator $(BUILD)/obj/coverage
	$(CC) $(CFLAGS) $(VB_CFLAGS) -c -o $@ $<

$(BUILD)/obj/api-xml $(BUILD)/obj/generator $(BUILD)/obj/coverage $(BUILD)/lib $(BUILD)/bin $(BUILD)/ir:
	mkdir -p $@

$(LIBAPIXML): $(APIXML_OBJ) | $(BUILD)/lib
	rm -f $@ && ar rcs $@ $^

$(GEN): $(GEN_OBJ) $(LIBAPIXML) | $(BUILD)/bin
	$(CC) $(VB_LDFLAGS) -o $@ $(GEN_OBJ) $(LIBAPIXML) $(XML_LIBS)

$(COVERAGE): $(COV_OBJ) $(LIBAPIXML) | $(BUILD)/bin
	$(CC) $(VB_LDFLAGS) -o $@ $(COV_OBJ) $(LIBAPIXML) $(XML_LIBS)

$(IR): $(GEN) api-xml/annotations.txt | $(BUILD)/ir
	$(GEN) --ir $@

# Tests and demo (tests/, tools/).  LIBVIRT_* are expanded lazily so that a
# fresh machine can run `make demo` (deps installs libvirt-dev first).
LIBVIRT_CFLAGS = $(shell pkg-config --cflags libvirt 2>/dev/null)
LIBVIRT_LIBS   = $(shell pkg-config --libs libvirt 2>/dev/null)
TEST_C_SRC := $(wildcard tests/c/*.c)
TEST_C_BIN := $(TEST_C_SRC:tests/c/%.c=$(BUILD)/tests/c/%)
DEMO_BIN   := $(BUILD)/bin/vb-demo-typed

$(BUILD)/tests/c:
	mkdir -p $@

$(BUILD)/tests/c/%: tests/c/%.c tests/c/vbtest.h $(wildcard api-xml/*.h) $(LIBAPIXML) | $(BUILD)/tests/c
	$(CC) $(CFLAGS) $(VB_CFLAGS) -Itests/c $(VB_LDFLAGS) -o $@ $< $(LIBAPIXML) $(XML_LIBS)

$(DEMO_BIN): tools/demo/demo_typed.c $(wildcard api-xml/*.h) $(LIBAPIXML) | $(BUILD)/bin
	$(CC) $(CFLAGS) $(VB_CFLAGS) $(LIBVIRT_CFLAGS) $(VB_LDFLAGS) -o $@ $< $(LIBAPIXML) $(XML_LIBS) $(LIBVIRT_LIBS)

# deps first, in its own make run: XML_CFLAGS above is read when make starts.
demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory build $(DEMO_BIN) python libvirtbind
	@BUILD=$(BUILD) bash tools/demo.sh

check: build $(TEST_C_BIN) $(DEMO_BIN)
	@BUILD=$(BUILD) bash tests/run-all.sh

# check-valgrind: every suite with the C programs (unit tests, virtbind-gen in
# the CLI tests, libvirtbind's tests) under valgrind, then the Python binding
# under valgrind (tests/reliability/valgrind.sh: 300 soak cycles of every kind
# of call + the bad-input sweep of 60 functions; VB_VALGRIND_PY="ROUNDS FUNCS"
# resizes it), docs/reliability.md "Valgrind".  make check (so CI) runs the C
# unit tests, virtbind-gen, that Python run and the admin sweep under valgrind.
VB_VALGRIND_PY ?= 300 60
check-valgrind: build $(TEST_C_BIN) $(DEMO_BIN)
	@BUILD=$(BUILD) VB_VALGRIND=1 bash tests/run-all.sh; rc=$$?; \
	 BUILD=$(BUILD) bash tests/reliability/valgrind.sh $(VB_VALGRIND_PY) && exit $$rc

clean:
	rm -rf $(BUILD)

# virtbind-coverage (coverage/, issue #4): its objects also depend on its own
# headers.  `make check-coverage` runs only its tests (tests/coverage/run.sh);
# `make coverage-libvirt-python` prints the Markdown coverage report of the
# installed libvirt-python (exit 1 from the checker, "something is missing",
# is the expected result there and does not fail make).
$(COV_OBJ): $(wildcard coverage/*.h)
# the generator's objects share its headers (gen_python_stubs.h's structs)
$(GEN_OBJ): $(wildcard generator/*.h)

.PHONY: check-coverage coverage-libvirt-python
check-coverage: $(COVERAGE)
	@BUILD=$(BUILD) bash tests/coverage/run.sh

coverage-libvirt-python: $(COVERAGE)
	@$(COVERAGE) --python-module libvirt --python $(PYTHON) --sources main,qemu,lxc \
		--markdown --max-list 0 || [ $$? -eq 1 ]

# ---------------------------------------------------------------- python
# `make python`: the package `virtbind` for Debian's /usr/bin/python3 under
# $(BUILD)/python/ (docs/python.md):
#   virtbind/__init__.py        thin: re-exports virtbind._virtbind
#   virtbind/_virtbind*.so      the CPython extension: generated stubs + the
#                               bindings/python runtime; libvirt is dlopen()ed
#                               at import, not linked
#   virtbind/py.typed           PEP 561 marker (the stubs are __init__.pyi)
#   compat/libvirt*.py, compat/libvirtmod*.py   libvirt-python's module names
#   virtbind_admin*.so          libvirt's admin API, a separate top-level module:
#                               libvirt-admin.so.0 cannot share a process with
#                               libvirt's main API (docs/python.md, "Admin")
PY_CONFIG     ?= /usr/bin/python3-config
PY_INCLUDES    = $(shell $(PY_CONFIG) --includes)
PY_EXT_SUFFIX  = $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
PY_DIR        := $(BUILD)/python
PY_PKG        := $(PY_DIR)/virtbind
PY_GEN_C      := $(PY_DIR)/gen/virtbind_gen.c
PY_RUNTIME_C  := $(sort $(wildcard bindings/python/*.c))
PY_RUNTIME    := $(PY_RUNTIME_C) $(wildcard bindings/python/*.h)
PY_EXT         = $(PY_PKG)/_virtbind$(PY_EXT_SUFFIX)
PY_ADMIN_GEN_C:= $(PY_DIR)/gen/virtbind_admin_gen.c
PY_ADMIN_EXT   = $(PY_DIR)/virtbind_admin$(PY_EXT_SUFFIX)
PY_PKG_PY     := $(patsubst bindings/python/virtbind/%,$(PY_PKG)/%,$(wildcard bindings/python/virtbind/*.py))

PY_COMPAT     := $(patsubst bindings/python/compat/%,$(PY_DIR)/compat/%,$(wildcard bindings/python/compat/*.py))

# >>> PY_STUBS hook (typing: generator/gen_python_stubs*.c).  Set PY_STUBS to
# the files your rules generate into $(PY_PKG)/ (e.g. $(PY_PKG)/__init__.pyi),
# before this block or with `PY_STUBS += ...` plus `python: $(PY_STUBS)` after
# it; `make python` then builds them.  Empty: no stubs.
PY_STUBS      ?=
PY_STUBS      += $(PY_PKG)/__init__.pyi $(PY_PKG)/typed.py $(PY_PKG)/typed.pyi \
                 $(PY_DIR)/compat/libvirt.pyi $(PY_DIR)/compat/libvirt_qemu.pyi \
                 $(PY_DIR)/compat/libvirt_lxc.pyi $(PY_DIR)/virtbind_admin.pyi \
                 $(PY_DIR)/compat/libvirtmod.pyi $(PY_DIR)/compat/libvirtmod_qemu.pyi \
                 $(PY_DIR)/compat/libvirtmod_lxc.pyi
# enum classes, errors, API versions (generator/gen_python_enums.c)
PY_STUBS      += $(PY_PKG)/enums.py $(PY_PKG)/enums.pyi $(PY_PKG)/errors.py $(PY_PKG)/errors.pyi \
                 $(PY_PKG)/_apiversions.py $(PY_DIR)/virtbind_admin_enums.py \
                 $(PY_DIR)/virtbind_admin_enums.pyi
$(PY_DIR)/.stubs.stamp: $(GEN) api-xml/annotations.txt
	$(GEN) --python-stubs-out $(PY_DIR) && touch $@
$(filter-out $(PY_DIR)/.stubs.stamp,$(PY_STUBS)): $(PY_DIR)/.stubs.stamp ;
# <<< PY_STUBS hook
# virtbind.aio's generated half (generator/gen_python_aio.c)
PY_STUBS      += $(PY_PKG)/_aio_model.py $(PY_PKG)/aio.pyi
$(PY_PKG)/_aio_model.py $(PY_PKG)/aio.pyi: $(PY_DIR)/.stubs.stamp ;
# typed methods installed lazily at `import virtbind` (generator/gen_python_typed.c)
PY_STUBS      += $(PY_PKG)/_typed_methods.py
$(PY_PKG)/_typed_methods.py: $(PY_DIR)/.stubs.stamp ;

.PHONY: python
python: $(PY_EXT) $(PY_ADMIN_EXT) $(PY_PKG_PY) $(PY_PKG)/py.typed $(PY_COMPAT) $(PY_STUBS) \
        $(PY_DIR)/.pyc.stamp

# byte-compiled like an installed package (Debian compiles python3-libvirt at
# install): without it every `import virtbind` compiles the generated modules
# again when PYTHONDONTWRITEBYTECODE is set or the tree is read-only
$(PY_DIR)/.pyc.stamp: $(PY_PKG_PY) $(PY_COMPAT) $(PY_STUBS)
	$(PYTHON) -m compileall -q $(PY_DIR) >/dev/null && touch $@

$(PY_GEN_C): $(GEN) api-xml/annotations.txt
	mkdir -p $(PY_DIR)/gen && $(GEN) --python-out $(PY_DIR)/gen
$(PY_ADMIN_GEN_C): $(PY_GEN_C) ;

# (the pre-package layout's $(PY_DIR)/virtbind*.so would be shadowed by the
# package; it is removed so that nothing finds it by mistake)
$(PY_EXT): $(PY_GEN_C) $(PY_RUNTIME)
	mkdir -p $(PY_PKG) && rm -f $(PY_DIR)/virtbind$(PY_EXT_SUFFIX)
	$(CC) $(CFLAGS) -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -fPIC -shared -fvisibility=hidden \
	    $(PY_INCLUDES) $(LIBVIRT_CFLAGS) -Ibindings/python -o $@ $(PY_GEN_C) $(PY_RUNTIME_C) -ldl

$(PY_ADMIN_EXT): $(PY_ADMIN_GEN_C) $(PY_RUNTIME)
	$(CC) $(CFLAGS) -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -fPIC -shared -fvisibility=hidden \
	    $(PY_INCLUDES) $(LIBVIRT_CFLAGS) -Ibindings/python -o $@ $(PY_ADMIN_GEN_C) $(PY_RUNTIME_C) -ldl

$(PY_PKG)/%.py: bindings/python/virtbind/%.py
	mkdir -p $(dir $@) && cp $< $@

$(PY_PKG)/py.typed:
	mkdir -p $(dir $@) && touch $@

$(PY_DIR)/compat/%.py: bindings/python/compat/%.py
	mkdir -p $(dir $@) && cp $< $@

# Fuzzing (tests/fuzz): libFuzzer with ASan/UBSan over the loader and every
# classification pass.  `make check` runs a bounded smoke (VB_FUZZ_RUNS,
# default 5000 executions); `make fuzz FUZZ_RUNS=N` runs longer.
FUZZ_CC   ?= clang
FUZZ_BIN  := $(BUILD)/fuzz/fuzz_model
FUZZ_RUNS ?= 200000

$(FUZZ_BIN): tests/fuzz/fuzz_model.c $(APIXML_SRC) $(wildcard api-xml/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) \
	  $(XML_CFLAGS) -Iapi-xml -DVB_DEFAULT_ANNOTATIONS='"$(CURDIR)/api-xml/annotations.txt"' \
	  -o $@ tests/fuzz/fuzz_model.c $(APIXML_SRC) $(XML_LIBS)

.PHONY: fuzz
fuzz: $(FUZZ_BIN)
	bash tests/fuzz/run.sh $(FUZZ_BIN) $(FUZZ_RUNS)
check check-valgrind: $(FUZZ_BIN) python libvirtbind

# ----------------------------------------------------------------------------
# libvirtbind (typedparams/, generator/gen_cshim*.c): the C library of typed
# parameter structs and typed event registration.  `make libvirtbind` builds
# build/lib/libvirtbind.{a,so}, build/include/virtbind/*.h and
# build/lib/pkgconfig/virtbind.pc; `make install PREFIX=...` installs them;
# `make check-typedparams` runs tests/typedparams/run.sh.
VBT_VERSION   := 0.1.0
VBT_SOVERSION := 0
PREFIX        ?= /usr/local
VBT_LIBVIRT_CFLAGS = $(shell pkg-config --cflags libvirt libvirt-admin libvirt-qemu 2>/dev/null)
VBT_LIBVIRT_LIBS   = $(shell pkg-config --libs libvirt libvirt-admin libvirt-qemu 2>/dev/null)
VBT_GENDIR    := $(BUILD)/cshim
VBT_INCDIR    := $(BUILD)/include/virtbind
VBT_OBJDIR    := $(BUILD)/obj/virtbind
VBT_GEN_C     := $(VBT_GENDIR)/typedparams.c $(VBT_GENDIR)/events.c
VBT_HEADERS   := $(VBT_INCDIR)/tpengine.h $(VBT_INCDIR)/typedparams.h $(VBT_INCDIR)/events.h
VBT_OBJ       := $(VBT_OBJDIR)/vb_tp_engine.o $(VBT_OBJDIR)/typedparams.o $(VBT_OBJDIR)/events.o
VBT_STATIC    := $(BUILD)/lib/libvirtbind.a
VBT_SHARED    := $(BUILD)/lib/libvirtbind.so.$(VBT_SOVERSION)
VBT_PC        := $(BUILD)/lib/pkgconfig/virtbind.pc
VBT_CFLAGS     = -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -I$(BUILD)/include $(VBT_LIBVIRT_CFLAGS)
VBT_TEST_SAN  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
VBT_TESTS     := roundtrip live
VBT_EVTESTS   := events_live
VBT_TEST_BIN  := $(VBT_TESTS:%=$(BUILD)/tests/typedparams/%) $(VBT_TESTS:%=$(BUILD)/tests/typedparams/%-asan) \
                 $(VBT_EVTESTS:%=$(BUILD)/tests/events_c/%) $(VBT_EVTESTS:%=$(BUILD)/tests/events_c/%-asan)

.PHONY: cshim libvirtbind install typedparams-tests check-typedparams

cshim: $(VBT_GENDIR)/.stamp
libvirtbind: $(VBT_STATIC) $(BUILD)/lib/libvirtbind.so $(VBT_PC) $(VBT_HEADERS)

$(VBT_GENDIR)/.stamp: $(GEN) api-xml/annotations.txt
	$(GEN) --cshim-out $(VBT_GENDIR)
	touch $@
$(VBT_GENDIR)/typedparams.c $(VBT_GENDIR)/typedparams.h $(VBT_GENDIR)/events.c $(VBT_GENDIR)/events.h: $(VBT_GENDIR)/.stamp ;

$(VBT_INCDIR) $(VBT_OBJDIR) $(BUILD)/lib/pkgconfig $(BUILD)/tests/typedparams $(BUILD)/tests/events_c:
	mkdir -p $@
$(VBT_INCDIR)/tpengine.h: typedparams/include/virtbind/tpengine.h | $(VBT_INCDIR)
	cp $< $@
$(VBT_INCDIR)/%.h: $(VBT_GENDIR)/%.h | $(VBT_INCDIR)
	cp $< $@

$(VBT_OBJDIR)/vb_tp_engine.o: typedparams/vb_tp_engine.c $(VBT_HEADERS) | $(VBT_OBJDIR)
	$(CC) $(CFLAGS) $(VBT_CFLAGS) -fPIC -c -o $@ $<
$(VBT_OBJDIR)/%.o: $(VBT_GENDIR)/%.c $(VBT_HEADERS) | $(VBT_OBJDIR)
	$(CC) $(CFLAGS) $(VBT_CFLAGS) -fPIC -c -o $@ $<

$(VBT_STATIC): $(VBT_OBJ) | $(BUILD)/lib
	rm -f $@ && ar rcs $@ $^
$(VBT_SHARED): $(VBT_OBJ) | $(BUILD)/lib
	$(CC) -shared -Wl,-soname,libvirtbind.so.$(VBT_SOVERSION) -o $@ $^ $(VBT_LIBVIRT_LIBS)
$(BUILD)/lib/libvirtbind.so: $(VBT_SHARED)
	ln -sf libvirtbind.so.$(VBT_SOVERSION) $@
$(VBT_PC): typedparams/virtbind.pc.in | $(BUILD)/lib/pkgconfig
	sed -e 's|@PREFIX@|$(abspath $(BUILD))|' -e 's|@VERSION@|$(VBT_VERSION)|' $< > $@

install: libvirtbind
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/virtbind
	install -m 644 $(VBT_HEADERS) $(DESTDIR)$(PREFIX)/include/virtbind/
	install -m 644 $(VBT_STATIC) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(VBT_SHARED) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libvirtbind.so.$(VBT_SOVERSION) $(DESTDIR)$(PREFIX)/lib/libvirtbind.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VBT_VERSION)|' typedparams/virtbind.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/virtbind.pc

# Tests: each program is built twice, against libvirtbind.a and, with
# AddressSanitizer/UBSan, from the library's sources directly.
VBT_TEST_DEPS = tests/typedparams/vbt.h $(VBT_HEADERS) $(VBT_GEN_C) typedparams/vb_tp_engine.c
$(BUILD)/tests/typedparams/%: tests/typedparams/%.c $(VBT_TEST_DEPS) $(VBT_STATIC) | $(BUILD)/tests/typedparams
	$(CC) $(CFLAGS) $(VBT_CFLAGS) -Itests/typedparams -o $@ $< $(VBT_STATIC) $(VBT_LIBVIRT_LIBS)
$(BUILD)/tests/typedparams/%-asan: tests/typedparams/%.c $(VBT_TEST_DEPS) | $(BUILD)/tests/typedparams
	$(CC) $(CFLAGS) $(VBT_CFLAGS) $(VBT_TEST_SAN) -Itests/typedparams -o $@ $< typedparams/vb_tp_engine.c $(VBT_GEN_C) $(VBT_LIBVIRT_LIBS)
$(BUILD)/tests/events_c/%: tests/events_c/%.c $(VBT_TEST_DEPS) $(VBT_STATIC) | $(BUILD)/tests/events_c
	$(CC) $(CFLAGS) $(VBT_CFLAGS) -Itests/typedparams -o $@ $< $(VBT_STATIC) $(VBT_LIBVIRT_LIBS)
$(BUILD)/tests/events_c/%-asan: tests/events_c/%.c $(VBT_TEST_DEPS) | $(BUILD)/tests/events_c
	$(CC) $(CFLAGS) $(VBT_CFLAGS) $(VBT_TEST_SAN) -Itests/typedparams -o $@ $< typedparams/vb_tp_engine.c $(VBT_GEN_C) $(VBT_LIBVIRT_LIBS)

typedparams-tests: libvirtbind $(VBT_TEST_BIN)

check-typedparams: typedparams-tests
	@BUILD=$(BUILD) bash tests/typedparams/run.sh

# ----------------------------------------------------------------------------
# Benchmarks (bench/, issue #8): `make bench` compares a C program calling
# libvirt directly, python3-libvirt and virtbind on test:///default, prints one
# table and writes $(BUILD)/bench/results.json (docs/performance.md).  Not a
# test: never part of `make check`.  It measures the module `make python` built
# (it does not rebuild it: run `make demo python` first).  BENCH_ARGS passes
# options to bench/run.py (default --rounds 12 --runs 2; --virtbind-path DIR for
# another build); BENCH_TASKSET="taskset -c 1" prefixes every measured command.
# libbench_c.so (bench_c.c's rows as a library) gives the in-process C runs
# the overhead ratio is paired with; _vbfloor (bench/floor.c) is the floor.
BENCH_C     := $(BUILD)/bench/bench_c
BENCH_C_LIB := $(BUILD)/bench/libbench_c.so
BENCH_FLOOR  = $(BUILD)/bench/_vbfloor$(PY_EXT_SUFFIX)
BENCH_ARGS  ?=

.PHONY: bench
bench: $(BENCH_C) $(BENCH_C_LIB) $(BENCH_FLOOR)
	@BUILD=$(abspath $(BUILD)) $(PYTHON) bench/run.py $(BENCH_ARGS)

# make check runs the bench tools on tiny N (tests/python/test_bench_tools.py)
check: $(BENCH_C) $(BENCH_C_LIB) $(BENCH_FLOOR)

# instructions per call under callgrind (deterministic; ~5 minutes)
.PHONY: bench-instructions
bench-instructions: $(BENCH_C) $(BENCH_FLOOR)
	@BUILD=$(abspath $(BUILD)) sh bench/instructions.sh

$(BENCH_C): bench/bench_c.c $(VBT_HEADERS) $(VBT_STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(VBT_CFLAGS) -o $@ $< $(VBT_STATIC) $(VBT_LIBVIRT_LIBS)

# the same rows as a library, for the in-process C runs of bench_py.py
$(BENCH_C_LIB): bench/bench_c.c $(VBT_HEADERS) $(VBT_STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(VBT_CFLAGS) -DBENCH_C_LIBRARY -fPIC -shared -fvisibility=hidden -Wl,--exclude-libs,ALL \
	    -o $@ $< $(VBT_STATIC) $(VBT_LIBVIRT_LIBS)

# the floor: a minimal hand-written extension method per row (bench/floor.c)
$(BENCH_FLOOR): bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -fPIC -shared -fvisibility=hidden \
	    $(PY_INCLUDES) $(LIBVIRT_CFLAGS) -o $@ $< $(LIBVIRT_LIBS)

# ----------------------------------------------------------------------------
# Reliability (issue #9, docs/reliability.md): sanitizers.
# `make asan-build` rebuilds api-xml (libvbapixml.a), virtbind-gen,
# virtbind-coverage, libvirtbind, the Python extension (package + admin
# module) and the C unit tests with ASan + UBSan into $(ASAN_BUILD): a
# sub-make with BUILD=$(ASAN_BUILD), SANITIZE (the api-xml/generator/coverage/
# test rules compile and link with it) and CFLAGS (the python and libvirtbind
# rules take only CFLAGS: they do not read SANITIZE; the extension is linked by
# the same command, so -fsanitize in CFLAGS links it too).  The generator runs
# under ASan (LeakSanitizer on) while it writes the IR, the C shim and the
# Python sources.  `make check-asan` then runs tests/reliability/asan.sh:
# virtbind-gen in every mode, the C unit tests, the CLI and coverage tests with
# the ASan binaries, and the whole Python suite with the instrumented extension
# (LD_PRELOAD of gcc's libasan + libtirpc; see the script).  ~2 min; make
# check (so CI) runs all of it (tests/python/test_sweep_sanitizers.py).
ASAN_BUILD ?= $(BUILD)/asan
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

.PHONY: check-asan asan-build vb-test-c-bins
vb-test-c-bins: $(TEST_C_BIN)

asan-build:
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) SANITIZE="$(ASAN_FLAGS)" \
	    CFLAGS="-O1 -g $(ASAN_FLAGS)" build python libvirtbind vb-test-c-bins

check-asan: asan-build
	@ASAN_BUILD=$(ASAN_BUILD) bash tests/reliability/asan.sh
