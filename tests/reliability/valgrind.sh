#!/usr/bin/env bash
# tests/reliability/valgrind.sh — the Python binding under valgrind
# (docs/reliability.md, "Valgrind").  Speaks the runner's protocol.
#
#   tests/reliability/valgrind.sh [ROUNDS SWEEP_FUNCS]
#
# Runs tests/reliability/valgrind_py.py (ROUNDS soak cycles of every kind of
# call + a screenshot stream + the bad-input sweep of SWEEP_FUNCS manifest
# entries, typed-parameter and event cases; defaults 300 and 60) under
# memcheck with PYTHONMALLOC=malloc, Debian's python3.supp and our reviewed
# tests/valgrind/python.supp.  Fails on any memcheck error (invalid read or
# write, uninitialised value, bad free) and on any definite leak; a report
# with a virtbind frame (vbpy_*, virtbind_gen.c) is named as such.
# make check runs a subset sized by count (tests/python/test_sweep_sanitizers.py:
# 100 rounds, 10 functions); make check-valgrind the default size.
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
ROUNDS=${1:-300}
NSWEEP=${2:-60}
passed=0
failed=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

if ! command -v valgrind >/dev/null; then
    echo "not ok - valgrind: valgrind is installed (make deps)"
    failed=1
    finish
fi
if ! ls "$BUILD"/python/virtbind/_virtbind*.so >/dev/null 2>&1; then
    echo "not ok - valgrind: $BUILD/python/virtbind is built (make python)"
    failed=1
    finish
fi
supps=(--suppressions="$PWD/tests/valgrind/python.supp")
[ -f /usr/lib/valgrind/python3.supp ] && supps+=(--suppressions=/usr/lib/valgrind/python3.supp)

rc=0
(cd "$tmp" && PYTHONMALLOC=malloc PYTHONPATH=$OLDPWD/$BUILD/python \
    valgrind --log-file="$tmp/vg.log" --leak-check=full --show-leak-kinds=definite \
        --errors-for-leak-kinds=definite --error-exitcode=9 --num-callers=40 "${supps[@]}" \
        "$PYTHON" "$OLDPWD/tests/reliability/valgrind_py.py" "$ROUNDS" "$NSWEEP") \
    >"$tmp/out" 2>"$tmp/err" || rc=$?
summary=$(cat "$tmp/out")
errors=$(grep -o 'ERROR SUMMARY: [0-9]* errors' "$tmp/vg.log" | grep -o '[0-9]*' | tail -n 1)
definite=$(grep -o 'definitely lost: [0-9,]* bytes' "$tmp/vg.log" | tail -n 1)
suppressed=$(grep -o 'suppressed: [0-9]* from [0-9]*' "$tmp/vg.log" | tail -n 1)
label="valgrind: python3 valgrind_py.py $ROUNDS $NSWEEP ($summary; ${definite:-no leak summary}; ${suppressed:-})"
if [ "$rc" -eq 0 ] && [ "${errors:-1}" = 0 ]; then
    echo "ok - $label"
    passed=1
else
    echo "not ok - $label: status $rc, ${errors:-?} errors"
    if grep -Eq 'vbpy_|virtbind_gen\.c|vbpy_runtime\.c|vbpy_overrides\.c' "$tmp/vg.log"; then
        echo "  # a report has virtbind frames (vbpy_*, virtbind_gen.c)"
    fi
    grep -v 'python3\.11)$' "$tmp/vg.log" | grep -Ev 'Warning: set address range' | head -120 | sed 's/^/  # /'
    grep -v '^@ ' "$tmp/err" | tail -20 | sed 's/^/  # /'
    failed=1
fi
finish
