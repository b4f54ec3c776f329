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
	@$(MAKE) --no-print-directory build $(DEMO_BIN)
	@BUILD=$(BUILD) bash tools/demo.sh

check: build $(TEST_C_BIN) $(DEMO_BIN)
	@BUILD=$(BUILD) bash tests/run-all.sh

check-valgrind: build $(TEST_C_BIN) $(DEMO_BIN)
	@BUILD=$(BUILD) VB_VALGRIND=1 bash tests/run-all.sh

clean:
	rm -rf $(BUILD)

# virtbind-coverage (coverage/, issue #4): its objects also depend on its own
# headers.  `make check-coverage` runs only its tests (tests/coverage/run.sh);
# `make coverage-libvirt-python` prints the Markdown coverage report of the
# installed libvirt-python (exit 1 from the checker, "something is missing",
# is the expected result there and does not fail make).
$(COV_OBJ): $(wildcard coverage/*.h)

.PHONY: check-coverage coverage-libvirt-python
check-coverage: $(COVERAGE)
	@BUILD=$(BUILD) bash tests/coverage/run.sh

coverage-libvirt-python: $(COVERAGE)
	@$(COVERAGE) --python-module libvirt --python $(PYTHON) --sources main,qemu,lxc \
		--markdown --max-list 0 || [ $$? -eq 1 ]

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
check check-valgrind: $(FUZZ_BIN)
