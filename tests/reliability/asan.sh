#!/usr/bin/env bash
# tests/reliability/asan.sh — `make check-asan` (docs/reliability.md,
# "Sanitizers"): the tests, run against the ASan+UBSan build that
# `make asan-build` put in $ASAN_BUILD (default build/asan).  Speaks the
# runner's protocol ("ok - NAME" / "not ok - NAME"), ends with
# "N passed, N failed", exits non-zero on any failure or sanitizer report.
#
#   VB_ASAN_PYTEST   pytest arguments (default: tests/python, the whole suite)
#                    minus ASAN_DESELECT below
#   VB_ASAN_PARTS    which parts: any of gen,c,cli,coverage,python (default all)
#
# C programs (virtbind-gen, virtbind-coverage, the C unit tests) run with
# LeakSanitizer on.  The Python interpreter is not instrumented: it runs with
# LD_PRELOAD of gcc's libasan.so (the extension is instrumented) and
# detect_leaks=0 (CPython's own exit-time allocations are not ours; leaks are
# the soak's and valgrind's job), allocator_may_return_null=1 (a caller asking
# blockPeek for 2**63 bytes must get MemoryError, as without ASan, not an ASan
# abort).  libtirpc.so.3 is preloaded right after libasan: gcc 12's libasan
# intercepts the xdr_* functions, finds no real ones in glibc 2.36 (SunRPC
# removed) and jumps to NULL inside libvirt's RPC client
# (virNetMessageEncodeHeader) unless libtirpc's are found first.
set -u
cd "$(dirname "$0")/../.." || exit 2
ASAN_BUILD=${ASAN_BUILD:-build/asan}
PYTHON=${PYTHON:-/usr/bin/python3}
PARTS=${VB_ASAN_PARTS:-gen,c,cli,coverage,python}
passed=0
failed=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=23
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
SAN_RE='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|UndefinedBehavior|Leak)Sanitizer'

ok() { echo "ok - asan: $1"; passed=$((passed + 1)); }
nok() { echo "not ok - asan: $1"; failed=$((failed + 1)); }
part() { case ",$PARTS," in *",$1,"*) return 0 ;; esac; return 1; }

# check NAME WANT_RC CMD...: run, fail on a different status or any report
check() {
    local name=$1 want=$2 rc=0
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    if [ "$rc" -ne "$want" ] || grep -Eq "$SAN_RE" "$tmp/out" "$tmp/err"; then
        nok "$name (status $rc, want $want)"
        grep -E -A25 "$SAN_RE" "$tmp/err" "$tmp/out" | head -60 | sed 's/^/  # /'
    else
        ok "$name"
    fi
}

# protocol NAME CMD...: a script speaking ok/not ok; counts its lines, fails
# on a sanitizer report anywhere in its output
protocol() {
    local name=$1 rc=0 out
    shift
    out=$("$@" 2>&1) || rc=$?
    local n_ok n_nok
    n_ok=$(grep -c '^ok - ' <<<"$out")
    n_nok=$(grep -c '^not ok - ' <<<"$out")
    grep '^not ok - ' <<<"$out" | sed 's/^/  # /'
    if grep -Eq "$SAN_RE" <<<"$out"; then
        nok "$name: sanitizer report"
        grep -E -A25 "$SAN_RE" <<<"$out" | head -60 | sed 's/^/  # /'
    elif [ "$rc" -ne 0 ] || [ "$n_nok" -ne 0 ] || [ "$n_ok" -eq 0 ]; then
        nok "$name ($n_ok ok, $n_nok not ok, status $rc)"
    else
        ok "$name ($n_ok checks)"
    fi
}

# Python tests whose criterion ASan itself defeats, each with the reason:
#   test_events_loops.py::test_10000_events_stable_memory asserts RSS growth
#   < 8 MB over 8 000 events; ASan's quarantine (256 MB by default) keeps freed
#   blocks resident by design (measured +17 MB; its tracemalloc delta: 127 B).
#   The event path itself runs under ASan in the other event tests.
#   (A child Python started with a clean environment loses the preload and
#   cannot load the ASan extension: tests keep the environment, 35876ad.)
ASAN_DESELECT=(--deselect tests/python/test_events_loops.py::test_10000_events_stable_memory)

GEN=$ASAN_BUILD/bin/virtbind-gen
for f in "$GEN" "$ASAN_BUILD/bin/virtbind-coverage"; do
    [ -x "$f" ] || { nok "$f is not built (make asan-build)"; echo "$passed passed, $failed failed"; exit 1; }
done

if part gen; then
    check "virtbind-gen --check-model --ir" 0 "$GEN" --check-model --ir "$tmp/model.json"
    check "virtbind-gen --python-out" 0 "$GEN" --python-out "$tmp/pygen"
    check "virtbind-gen --python-stubs-out" 0 "$GEN" --python-stubs-out "$tmp/pyi"
    check "virtbind-gen --cshim-out" 0 "$GEN" --cshim-out "$tmp/cshim"
    check "virtbind-gen on malformed XML fails cleanly" 2 "$GEN" --check-model --api-xml tests/fixtures/bad/malformed.xml
fi

if part c; then
    for bin in "$ASAN_BUILD"/tests/c/*; do
        [ -x "$bin" ] || continue
        protocol "C unit test $(basename "$bin")" "$bin"
    done
fi

if part cli; then
    # the CLI tests drive virtbind-gen on bad inputs (valgrind.sh: not under ASan)
    for t in tests/cli/bad-input.sh tests/cli/counts.sh tests/cli/env.sh tests/cli/usage.sh; do
        [ -f "$t" ] && protocol "$(basename "$t") with the ASan virtbind-gen" env BUILD="$ASAN_BUILD" bash "$t"
    done
fi

if part coverage && [ -f tests/coverage/run.sh ]; then
    protocol "virtbind-coverage tests (tests/coverage/run.sh)" env BUILD="$ASAN_BUILD" bash tests/coverage/run.sh
fi

if part python; then
    libasan=$(gcc -print-file-name=libasan.so)
    tirpc=$(ls /lib/x86_64-linux-gnu/libtirpc.so.3 /usr/lib/*/libtirpc.so.3 2>/dev/null | head -n 1)
    if ! ls "$ASAN_BUILD"/python/virtbind/_virtbind*.so >/dev/null 2>&1; then
        nok "Python extension is not built in $ASAN_BUILD"
    else
        # shellcheck disable=SC2086  # VB_ASAN_PYTEST is a word list
        rc=0
        # pytest's own temp dir, directly under /tmp (libvirtd's socket paths
        # must stay < 108 bytes, also inside make check's temp dir)
        pytmp=$(mktemp -d /tmp/vba.XXXXXX)
        TMPDIR=$pytmp \
        LD_PRELOAD="$libasan${tirpc:+ $tirpc}" \
        ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:halt_on_error=1:exitcode=23 \
        BUILD=$ASAN_BUILD VB_SANITIZED=asan \
            "$PYTHON" -m pytest -q -p no:cacheprovider "${ASAN_DESELECT[@]}" ${VB_ASAN_PYTEST:-tests/python} \
            >"$tmp/pytest.log" 2>&1 || rc=$?
        summary=$(grep -E '[0-9]+ (passed|failed|errors?)|no tests ran' "$tmp/pytest.log" | tail -n 1)
        if grep -Eq "$SAN_RE" "$tmp/pytest.log"; then
            nok "Python tests under ASan: sanitizer report ($summary)"
            grep -E -B3 -A30 "$SAN_RE" "$tmp/pytest.log" | head -80 | sed 's/^/  # /'
        elif [ "$rc" -ne 0 ]; then
            nok "Python tests under ASan: $summary"
            grep -E '^(FAILED|ERROR) ' "$tmp/pytest.log" | sed 's/^/  # /'
        else
            ok "Python tests under ASan: $summary"
        fi
        stray=$(pgrep -af '(^|/)libvirtd ' | grep -F -- "$pytmp/")
        if [ -n "$stray" ]; then
            nok "libvirtd left running by the Python tests under ASan (stopped now by PID)"
            printf '%s\n' "$stray" | sed 's/^/  # /'
            for pid in $(awk '{print $1}' <<<"$stray"); do kill -KILL "$pid" 2>/dev/null; done
        else
            ok "no libvirtd left running by the Python tests under ASan"
        fi
        rm -rf "$pytmp"
    fi
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
