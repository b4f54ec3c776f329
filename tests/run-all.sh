#!/usr/bin/env bash
# tests/run-all.sh — runs every test suite (called by `make check`, which
# builds what it needs first) and ends with one line: "N passed, N failed".
# Exits non-zero when anything failed.
#
# Suites, in order:
#   tests/c/*.c          C unit tests, built by make as $BUILD/tests/c/NAME
#   tests/cli/*.sh       shell tests driving $BUILD/bin/virtbind-gen
#   tests/coverage/run.sh   the coverage checker's tests, when present
#   tests/typedparams/run.sh  libvirtbind (C shim): round trips, live calls, events
#   tests/fuzz/run.sh    bounded libFuzzer run + saved regressions (VB_FUZZ_RUNS)
#   tests/python/        pytest suites, when present (Debian's /usr/bin/python3),
#                        then: no libvirtd of theirs left running (one check)
#
# The first three print one line per check, "ok - NAME" or "not ok - NAME";
# the runner counts those lines.  A suite that exits non-zero without a
# "not ok" line, or prints no result at all, counts as one failure.
#
# VB_VALGRIND=1 (make check-valgrind) runs the C test binaries, and the
# shell tests run virtbind-gen, under valgrind; any error or definite leak
# makes the check fail.
set -u

cd "$(dirname "$0")/.." || exit 2
export BUILD=${BUILD:-build}
export VB_VALGRIND=${VB_VALGRIND:-0}
PYTHON=${PYTHON:-/usr/bin/python3}

# Tests choose their input files themselves.
unset VIRTBIND_API_XML VIRTBIND_QEMU_API_XML VIRTBIND_LXC_API_XML \
      VIRTBIND_ADMIN_API_XML VIRTBIND_ANNOTATIONS

VALGRIND=()
if [ "$VB_VALGRIND" = 1 ]; then
    VALGRIND=(valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 -q)
fi

passed=0
failed=0

section() {
    printf '\n# === %s ===\n' "$1"
}

# run_protocol LABEL CMD...: run a program speaking the ok/not ok protocol,
# show its output and add its results to the totals.
run_protocol() {
    local label=$1
    shift
    local out rc=0
    out=$("$@" 2>&1) || rc=$?
    [ -n "$out" ] && printf '%s\n' "$out"
    local ok nok
    ok=$(grep -c '^ok - ' <<<"$out")
    nok=$(grep -c '^not ok - ' <<<"$out")
    if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then
        echo "not ok - $label exited with status $rc"
        nok=1
    elif [ "$ok" -eq 0 ] && [ "$nok" -eq 0 ]; then
        echo "not ok - $label reported no results"
        nok=1
    fi
    passed=$((passed + ok))
    failed=$((failed + nok))
}

# --- C unit tests
section "C unit tests (tests/c)"
shopt -s nullglob
for src in tests/c/*.c; do
    name=$(basename "$src" .c)
    bin=$BUILD/tests/c/$name
    if [ ! -x "$bin" ]; then
        echo "not ok - $name: $bin is not built (run make check)"
        failed=$((failed + 1))
        continue
    fi
    echo "# $name"
    run_protocol "$name" "${VALGRIND[@]}" "$bin"
done

# --- shell tests
section "CLI tests (tests/cli)"
for t in tests/cli/*.sh; do
    echo "# $(basename "$t")"
    run_protocol "$(basename "$t")" bash "$t"
done

# --- coverage checker tests
if [ -f tests/coverage/run.sh ]; then
    section "coverage tests (tests/coverage)"
    run_protocol "tests/coverage/run.sh" bash tests/coverage/run.sh
    echo "# virtbind's own bindings"
    run_protocol "tests/coverage/own-bindings.sh" bash tests/coverage/own-bindings.sh
fi

# --- libvirtbind: typed-parameter structs and typed event registration (C)
if [ -f tests/typedparams/run.sh ]; then
    section "libvirtbind: typed parameters and C events (tests/typedparams)"
    run_protocol "tests/typedparams/run.sh" bash tests/typedparams/run.sh
fi

# --- fuzzing (bounded): the XML loader and classifier under libFuzzer
if [ -x "$BUILD/fuzz/fuzz_model" ]; then
    section "fuzzing (tests/fuzz, ${VB_FUZZ_RUNS:-5000} executions)"
    run_protocol "tests/fuzz/run.sh" bash tests/fuzz/run.sh "$BUILD/fuzz/fuzz_model" "${VB_FUZZ_RUNS:-5000}"
fi

# --- pytest
if [ -d tests/python ]; then
    section "Python tests (tests/python, $PYTHON -m pytest)"
    rc=0
    # a temp dir of this run (pytest's tmp_path, tests/lib/libvirtd.py's
    # daemons): after the run no libvirtd may be left that names it
    # (directly under /tmp: libvirtd's socket paths must stay < 108 bytes)
    vbtmp=$(mktemp -d /tmp/vbt.XXXXXX)
    out=$(TMPDIR=$vbtmp "$PYTHON" -m pytest -q -p no:cacheprovider tests/python 2>&1) || rc=$?
    [ -n "$out" ] && printf '%s\n' "$out"
    # The last summary line: "3 passed, 1 failed, 2 errors in 0.12s".
    summary=$(grep -E '[0-9]+ (passed|failed|errors?)|no tests ran' <<<"$out" | tail -n 1)
    count() { grep -oE "[0-9]+ $1" <<<"$summary" | grep -oE '^[0-9]+' || echo 0; }
    py_passed=$(count passed)
    py_failed=$(( $(count failed) + $(count 'errors?') ))
    if [ "$rc" -eq 5 ]; then
        echo "# pytest collected no tests"
    elif [ "$rc" -ne 0 ] && [ "$py_failed" -eq 0 ]; then
        echo "not ok - pytest exited with status $rc"
        py_failed=1
    fi
    passed=$((passed + py_passed))
    failed=$((failed + py_failed))
    stray=$(pgrep -af '(^|/)libvirtd ' | grep -F -- "$vbtmp/")
    if [ -n "$stray" ]; then
        echo "not ok - libvirtd left running by the Python tests (stopped now by PID):"
        printf '%s\n' "$stray" | sed 's/^/  # /'
        for pid in $(awk '{print $1}' <<<"$stray"); do kill -KILL "$pid" 2>/dev/null; done
        failed=$((failed + 1))
    else
        echo "ok - no libvirtd left running by the Python tests"
        passed=$((passed + 1))
    fi
    rm -rf "$vbtmp"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
