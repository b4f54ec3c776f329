#!/usr/bin/env bash
# usage.sh — virtbind-gen's command line: help, usage errors (exit 2) and
# output files.
# shellcheck source=tests/lib/cli.sh
. "$(dirname "$0")/../lib/cli.sh"

vbgen --help
check_rc "usage: --help exits 0" 0
if grep -q '^usage: virtbind-gen' "$OUT" && grep -q -- '--check-model' "$OUT"; then
    pass "usage: --help prints the usage on stdout"
else
    fail "usage: --help prints the usage on stdout" "stdout: $(head -c 500 "$OUT")"
fi

vbgen
check_rc "usage: no action exits 2" 2
check_stderr "usage: no action prints the usage on stderr" "usage: virtbind-gen"

vbgen --stats --no-such-option
check_rc "usage: unknown option exits 2" 2
check_stderr "usage: unknown option prints the usage" "usage: virtbind-gen"

vbgen --stats extra-argument
check_rc "usage: unexpected argument exits 2" 2
check_stderr "usage: unexpected argument is named" "'extra-argument'"

mapfile -t args < <(real_args)
vbgen "${args[@]}" --ir "$VB_TMP/model.json"
check_rc "usage: --ir FILE exits 0" 0
if [ -f "$VB_TMP/model.json" ]; then
    pass "usage: --ir FILE creates FILE"
else
    fail "usage: --ir FILE creates FILE"
fi

vbgen "${args[@]}" --ir "$VB_TMP/no-such-dir/model.json"
check_rc "usage: --ir into a missing directory exits 2" 2
check_stderr "usage: --ir error names the file" "$VB_TMP/no-such-dir/model.json"

finish
