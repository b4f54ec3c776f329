#!/bin/sh
# Bounded fuzzing of the XML loader and classifier (libFuzzer), seeded with
# the real API XMLs, then a replay of every saved regression input.
# Usage: tests/fuzz/run.sh FUZZER_BINARY [RUNS]
# Prints "ok - ..." / "not ok - ..." lines; exits non-zero on a finding.
set -u
fuzzer=$1
runs=${2:-3000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
api=$(pkg-config --variable=libvirt_api libvirt)
dir=$(dirname "$api")
mkdir -p "$work/corpus"
for f in libvirt-qemu-api.xml libvirt-lxc-api.xml libvirt-admin-api.xml; do
    cp "$dir/$f" "$work/corpus/"
done
status=0
if "$fuzzer" -runs="$runs" -max_len=65536 -seed=1 -artifact_prefix="$work/" \
        "$work/corpus" >"$work/log" 2>&1; then
    execs=$(grep -o 'Done [0-9]* runs' "$work/log" | grep -o '[0-9]*')
    echo "ok - fuzz loader+classifier: ${execs:-$runs} executions, no crash"
else
    echo "not ok - fuzz loader+classifier found a crash:"
    tail -40 "$work/log"
    for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
        [ -f "$a" ] && cp "$a" "$here/regressions/" && echo "saved $(basename "$a") to tests/fuzz/regressions/"
    done
    status=1
fi
n=0
for r in "$here"/regressions/*; do
    [ -f "$r" ] || continue
    n=$((n + 1))
    if "$fuzzer" "$r" >"$work/replay" 2>&1; then
        echo "ok - fuzz regression $(basename "$r")"
    else
        echo "not ok - fuzz regression $(basename "$r")"
        tail -20 "$work/replay"
        status=1
    fi
done
exit $status
