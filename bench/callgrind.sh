#!/bin/sh
# bench/callgrind.sh IMPL ROW [N]: instructions per call of one row under
# callgrind (deterministic, unlike the timings).  IMPL is c, libvirt or
# virtbind.  Runs the row with N and 2N calls (each preceded by the usual
# N/10 warm-up) and prints (Ir(2N) - Ir(N)) / (1.1 N); keeps the 2N profile
# as build/bench/callgrind/IMPL.ROW.out for callgrind_annotate.
set -eu
impl=$1 row=$2 n=${3:-2000}
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$here/build}
out=$build/bench/callgrind
mkdir -p "$out"
case $impl in
    c) cmd="$build/bench/bench_c run" ;;
    libvirt|virtbind) cmd="/usr/bin/python3 $here/bench/bench_py.py $impl run" ;;
    *) echo "IMPL is c, libvirt or virtbind" >&2; exit 2 ;;
esac
ir() {
    PYTHONHASHSEED=0 VIRTBIND_PATH=$build/python valgrind --tool=callgrind --callgrind-out-file="$2" \
        $cmd "$row=$1" >/dev/null 2>"$2.log"
    awk '/^(summary|totals):/ { print $2; exit }' "$2"
}
a=$(ir "$n" "$out/$impl.$row.small.out")
b=$(ir "$((2 * n))" "$out/$impl.$row.out")
rm -f "$out/$impl.$row.small.out" "$out/$impl.$row.small.out.log"
awk -v a="$a" -v b="$b" -v n="$n" -v i="$impl" -v r="$row" \
    'BEGIN { printf "%s %s: %.0f instructions per call\n", i, r, (b - a) / (1.1 * n) }'
