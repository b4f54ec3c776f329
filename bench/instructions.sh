#!/bin/sh
# bench/instructions.sh: the deterministic half of `make bench` — for each call
# row, instructions per call under callgrind for C, python3-libvirt and
# virtbind (bench/callgrind.sh), total and outside libvirt's entry point, and
# the overhead ratio (vb - C) / (lp - C) of the "outside" figures.  Prints a
# markdown table (docs/performance.md, "Instruction counts").  Takes about
# 5 minutes on 2 cores; instruction counts do not depend on machine load.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
n=${BENCH_CG_N:-2000}
jobs=${BENCH_CG_JOBS:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# row and the libvirt function it calls
cat >"$tmp/rows" <<'ROWS'
lookupByName virDomainLookupByName
info virDomainGetInfo
XMLDesc virDomainGetXMLDesc
memoryParameters virDomainGetMemoryParameters
blkioParameters virDomainGetBlkioParameters
listAllDomains virConnectListAllDomains
getAllDomainStats virConnectGetAllDomainStats
lookupByName_fail virDomainLookupByName
ROWS
# bench/floor.c's _vbfloor has the rows info and XMLDesc
while read -r row entry; do
    for impl in c libvirt virtbind floor; do
        case $impl.$row in floor.info|floor.XMLDesc|[!f]*) echo "$impl $row $n $entry" ;; esac
    done
done <"$tmp/rows" | xargs -P "$jobs" -L 1 sh "$here/bench/callgrind.sh" >"$tmp/out"
echo "| row (libvirt entry point) | C total | lp total | vb total | C outside | lp outside | vb outside | overhead (outside) | floor outside | floor overhead |"
echo "|---|---|---|---|---|---|---|---|---|---|"
while read -r row entry; do
    awk -v row="$row" -v entry="$entry" '
        # "IMPL ROW: T instructions per call, O outside ENTRY"
        $2 == row ":" { t[$1] = $3; o[$1] = $7 }
        END {
            if (!("c" in t) || !("libvirt" in t) || !("virtbind" in t)) {
                printf "| %s (%s) | missing |\n", row, entry; exit }
            d = o["libvirt"] - o["c"]
            r = d > 0 ? sprintf("%.2f", (o["virtbind"] - o["c"]) / d) : "n/a"
            fo = fr = "-"
            if ("floor" in o) {
                fo = o["floor"]
                fr = d > 0 ? sprintf("%.2f", (o["floor"] - o["c"]) / d) : "n/a"
            }
            printf "| %s (%s) | %.1fk | %.1fk | %.1fk | %d | %d | %d | %s | %s | %s |\n", row, entry,
                   t["c"] / 1000, t["libvirt"] / 1000, t["virtbind"] / 1000,
                   o["c"], o["libvirt"], o["virtbind"], r, fo, fr }' "$tmp/out"
done <"$tmp/rows"
