#!/usr/bin/env bash
# tests/typedparams/run.sh — every libvirtbind test (typed parameters and
# typed events), speaking the "ok - NAME" / "not ok - NAME" protocol; exits
# non-zero when anything failed.
#
#   roundtrip[-asan]     pack/unpack over every generated struct + edge cases
#   live[-asan]          typed wrappers against test:///default
#   events_live[-asan]   typed event registration with the default event loop
#   compile_types.sh     wrong callback types fail to compile (-Werror)
#   example              `make install PREFIX=tmp`, build typedparams/examples/
#                        memtune.c with the installed virtbind.pc, run it
#
# The *-asan programs are built with -fsanitize=address,undefined from the
# library's sources.  Builds what it needs first (`make typedparams-tests`).
# VB_VALGRIND=1 runs the non-ASan programs under valgrind as well.
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
VB_VALGRIND=${VB_VALGRIND:-0}
failed=0

say() { echo "$@"; }

if ! out=$($MAKE -s --no-print-directory BUILD="$BUILD" typedparams-tests 2>&1); then
    printf '%s\n' "$out" | sed 's/^/# /'
    say "not ok - libvirtbind: build library and test programs"
    exit 1
fi
say "ok - libvirtbind: build library and test programs"

# run LABEL CMD...: prefix each result line with LABEL, count a silent crash
run() {
    local label=$1 out rc=0
    shift
    out=$("$@" 2>&1) || rc=$?
    printf '%s\n' "$out" | sed -E "s/^(not ok|ok) - /\1 - $label: /"
    if [ "$rc" -ne 0 ]; then
        failed=1
        grep -q '^not ok - ' <<<"$out" || say "not ok - $label: exited with status $rc"
    fi
}

VALGRIND=()
[ "$VB_VALGRIND" = 1 ] && VALGRIND=(valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite)

for t in roundtrip live; do
    run "$t" "${VALGRIND[@]}" "$BUILD/tests/typedparams/$t"
    run "$t-asan" "$BUILD/tests/typedparams/$t-asan"
done
run events "${VALGRIND[@]}" "$BUILD/tests/events_c/events_live"
run events-asan "$BUILD/tests/events_c/events_live-asan"
run compile env BUILD="$BUILD" bash tests/events_c/compile_types.sh

# the example, built against an installed copy through pkg-config
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
if $MAKE -s --no-print-directory BUILD="$BUILD" install PREFIX="$tmp/prefix" >"$tmp/install.log" 2>&1 &&
   [ -f "$tmp/prefix/lib/pkgconfig/virtbind.pc" ] && [ -f "$tmp/prefix/include/virtbind/typedparams.h" ] &&
   [ -f "$tmp/prefix/include/virtbind/events.h" ] && [ -f "$tmp/prefix/lib/libvirtbind.a" ] &&
   [ -e "$tmp/prefix/lib/libvirtbind.so" ]; then
    say "ok - example: make install PREFIX=... installs lib, headers and virtbind.pc"
else
    sed 's/^/# /' "$tmp/install.log"
    say "not ok - example: make install PREFIX=... installs lib, headers and virtbind.pc"
    failed=1
fi
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
# shellcheck disable=SC2046
if ${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$tmp/memtune" typedparams/examples/memtune.c \
       $(pkg-config --cflags --libs virtbind) >"$tmp/cc.log" 2>&1; then
    say "ok - example: memtune.c builds with pkg-config --cflags --libs virtbind"
else
    sed 's/^/# /' "$tmp/cc.log"
    say "not ok - example: memtune.c builds with pkg-config --cflags --libs virtbind"
    failed=1
fi
if out=$(LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/memtune" 2>&1) &&
   grep -q '^after: .*soft_limit=262144' <<<"$out" &&
   grep -q '^event: test event 3 detail 0' <<<"$out" &&
   grep -q '^event: test event 4 detail 0' <<<"$out"; then
    say "ok - example: memtune runs against the installed libvirtbind.so (set soft_limit, suspend/resume events)"
else
    printf '%s\n' "$out" | sed 's/^/# /'
    say "not ok - example: memtune runs against the installed libvirtbind.so"
    failed=1
fi
if ldd "$tmp/memtune" 2>/dev/null | grep -q "$tmp/prefix/lib/libvirtbind.so" ||
   LD_LIBRARY_PATH="$tmp/prefix/lib" ldd "$tmp/memtune" | grep -q "$tmp/prefix/lib/libvirtbind.so"; then
    say "ok - example: linked dynamically to the installed libvirtbind.so.0"
else
    say "not ok - example: linked dynamically to the installed libvirtbind.so.0"
    failed=1
fi
exit $failed
