#!/usr/bin/env bash
# compile_types.sh — the typed event registrations reject callbacks of the
# wrong type at compile time: every snippets/good_*.c must compile and every
# snippets/bad_*.c must fail, with -Wall -Wextra -Werror, against the headers
# in $BUILD/include.  Prints "ok - ..." / "not ok - ..." lines.
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
CC=${CC:-cc}
cflags="-std=c11 -Wall -Wextra -Werror -I$BUILD/include $(pkg-config --cflags libvirt 2>/dev/null)"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in tests/events_c/snippets/good_*.c; do
    n=$(basename "$f" .c)
    if $CC $cflags -c -o "$tmp/$n.o" "$f" 2>"$tmp/$n.err"; then
        echo "ok - $n compiles"
    else
        echo "not ok - $n compiles"; sed 's/^/# /' "$tmp/$n.err"; fail=1
    fi
done
for f in tests/events_c/snippets/bad_*.c; do
    n=$(basename "$f" .c)
    if $CC $cflags -c -o "$tmp/$n.o" "$f" 2>"$tmp/$n.err"; then
        echo "not ok - $n is rejected (it compiled)"; fail=1
    elif grep -q "incompatible-pointer-types\|incompatible pointer type" "$tmp/$n.err"; then
        echo "ok - $n is rejected (incompatible pointer type)"
    else
        echo "not ok - $n is rejected for the callback type"; sed 's/^/# /' "$tmp/$n.err"; fail=1
    fi
done
exit $fail
