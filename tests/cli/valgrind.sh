#!/usr/bin/env bash
# valgrind.sh — memory checks that `make check` (and so CI) always runs,
# not only under `make check-valgrind`: the loader, every classification
# pass, the IR writer and the error paths of virtbind-gen, plus the C unit
# tests, under valgrind (any error or definite leak fails).
source "$(dirname "$0")/../lib/cli.sh"

if ! command -v valgrind >/dev/null; then
    fail "valgrind is installed (make deps)"
    finish
fi
VALGRIND=(valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 -q)

vbgen --check-model --ir "$VB_TMP/model.json"
check_rc "valgrind: virtbind-gen --check-model --ir on the installed XMLs" 0

vbgen --check-model --api-xml "$FIXTURES/bad/malformed.xml"
check_rc "valgrind: virtbind-gen on malformed XML fails cleanly" 2

printf 'arg virNoSuch.x dir=out -- stale on purpose\n' >"$VB_TMP/ann.txt"
cat "$REAL_ANNOTATIONS" "$VB_TMP/ann.txt" >"$VB_TMP/stale.txt"
vbgen --check-model --annotations "$VB_TMP/stale.txt"
check_rc "valgrind: virtbind-gen reports a stale annotation (exit 1)" 1

for bin in "$BUILD"/tests/c/*; do
    [ -x "$bin" ] || continue
    vbrun "$bin"
    check_rc "valgrind: $(basename "$bin")" 0
done
finish
