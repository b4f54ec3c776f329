#!/bin/sh
# bench/callgrind.sh IMPL ROW [N [ENTRY]]: instructions per call of one row
# under callgrind (deterministic, unlike the timings).  IMPL is c, libvirt,
# virtbind or floor.  Runs the row with N and 2N calls (each preceded by the usual
# N/10 warm-up) and prints (Ir(2N) - Ir(N)) / (1.1 N); keeps the 2N profile
# as build/bench/callgrind/IMPL.ROW.out for callgrind_annotate.  IMPL floor
# is bench/floor.c (rows info and XMLDesc; `make bench` builds it).
# With ENTRY (libvirt's function the row calls, e.g. virDomainGetXMLDesc) it
# also prints the instructions per call outside ENTRY: the binding's own work
# plus the loop.  That figure is exact; the total moves by +-1,500 between
# runs because libvirt seeds its hash tables at random.
set -eu
impl=$1 row=$2 n=${3:-2000} entry=${4:-}
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$here/build}
out=$build/bench/callgrind
mkdir -p "$out"
case $impl in
    c) cmd="$build/bench/bench_c run" ;;
    libvirt|virtbind|floor) cmd="/usr/bin/python3 $here/bench/bench_py.py $impl run" ;;
    *) echo "IMPL is c, libvirt, virtbind or floor" >&2; exit 2 ;;
esac
# "TOTAL INSIDE" of one profile (INSIDE: ENTRY's inclusive count, 0 without ENTRY)
ir() {
    PYTHONHASHSEED=0 VIRTBIND_PATH=$build/python BENCH_FLOOR_PATH=$build/bench valgrind --tool=callgrind --callgrind-out-file="$2" \
        $cmd "$row=$1" >/dev/null 2>"$2.log"
    total=$(awk '/^(summary|totals):/ { print $2; exit }' "$2")
    inside=0
    if [ -n "$entry" ]; then
        inside=$(callgrind_annotate --inclusive=yes --threshold=100 "$2" 2>/dev/null |
                 awk -v e=":$entry " 'index($0, e) && $1 ~ /^[0-9,]+$/ { gsub(",", "", $1); print $1; exit }')
        [ -n "$inside" ] || { echo "$entry: not in the profile of $impl $row" >&2; exit 1; }
    fi
    echo "$total $inside"
}
a=$(ir "$n" "$out/$impl.$row.small.out")
b=$(ir "$((2 * n))" "$out/$impl.$row.out")
rm -f "$out/$impl.$row.small.out" "$out/$impl.$row.small.out.log"
echo "$a $b" | awk -v n="$n" -v i="$impl" -v r="$row" -v e="$entry" '{
    printf "%s %s: %.0f instructions per call", i, r, ($3 - $1) / (1.1 * n)
    if (e != "") printf ", %.0f outside %s", (($3 - $1) - ($4 - $2)) / (1.1 * n), e
    printf "\n" }'
