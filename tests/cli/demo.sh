#!/usr/bin/env bash
# demo.sh — `make demo`'s script runs end to end on the built tree and shows
# each layer's real output (the README promises it).
source "$(dirname "$0")/../lib/cli.sh"

RC=0
BUILD=$BUILD bash tools/demo.sh >"$OUT" 2>"$ERR" || RC=$?
check_rc "tools/demo.sh runs to the end" 0
for want in "model complete:" "VIR_DOMAIN_MEMORY_HARD_LIMIT (model type ullong)" \
            "after: hard_limit=" "event: test event" "raised libvirtError: code=42" \
            "libvirt is $BUILD/python/compat/libvirt.py" "======== Done ========"; do
    if grep -qF -- "$want" "$OUT"; then
        pass "demo output shows: $want"
    else
        fail "demo output shows: $want" "$(tail -5 "$OUT")" "$(tail -5 "$ERR")"
    fi
done
finish
