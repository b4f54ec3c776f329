#!/usr/bin/env bash
# demo-typed.sh — the C demo (tools/demo/demo_typed.c) against libvirt's
# in-process test driver: it reads the memory parameters of domain "test"
# and names each by the macro that the model (libvirt's API XML) has for it.
# shellcheck source=tests/lib/cli.sh
. "$(dirname "$0")/../lib/cli.sh"

DEMO=$BUILD/bin/vb-demo-typed

vbrun "$DEMO" test:///default test
check_rc "demo: vb-demo-typed runs against test:///default" 0
check_eq "demo: prints the domain's info" \
    "$(grep -c -E '^domain test |^  state +running' "$OUT")" 2

n=$(sed -n 's/^memory parameters (virDomainGetMemoryParameters): \([0-9]*\)$/\1/p' "$OUT")
if [ "${n:-0}" -gt 0 ]; then
    pass "demo: reads $n memory parameters"
else
    fail "demo: reads memory parameters" "stdout: $(head -c 2000 "$OUT")"
fi

# Each parameter line "  FIELD TYPE = VALUE" is followed by "    macro: NAME ...";
# the macro must carry string='FIELD' in the XML (checked with xmllint).
while read -r field macro; do
    want=$(xmllint --xpath "string(/api/symbols/macro[@name='$macro']/@string)" "$REAL_MAIN" 2>/dev/null)
    check_eq "demo: $field is named by $macro" "$want" "$field"
done < <(awk '/^  [a-z_]+ +[a-z]+ +=/ { f = $1; next }
              /^    macro: / && f != "" { m = $2; sub(/,$/, "", m); print f, m; f = "" }' "$OUT")
if grep -q '^    macro: VIR_DOMAIN_MEMORY_HARD_LIMIT' "$OUT"; then
    pass "demo: hard_limit is VIR_DOMAIN_MEMORY_HARD_LIMIT"
else
    fail "demo: hard_limit is VIR_DOMAIN_MEMORY_HARD_LIMIT" "stdout: $(head -c 2000 "$OUT")"
fi

vbrun "$DEMO" test:///default no-such-domain
check_rc "demo: an unknown domain exits 1" 1
check_stderr "demo: an unknown domain names the failing call" "virDomainLookupByName"

finish
