#!/usr/bin/env bash
# counts.sh — for each of the four API XMLs, the item counts that
# `virtbind-gen --stats` reports equal an independent xmllint XPath count.
# shellcheck source=tests/lib/cli.sh
. "$(dirname "$0")/../lib/cli.sh"

mapfile -t args < <(real_args)
vbgen --stats "${args[@]}"
check_rc "stats: virtbind-gen --stats exits 0" 0

# The XML elements counted; --stats names its columns after them ("functions").
kinds=(function functype enum macro struct typedef)
# Column of each kind, from the --stats header line ("source functions ...").
read -r -a header < <(awk '$1 == "source" { print; exit }' "$OUT")
declare -A col=()
for i in "${!header[@]}"; do
    col[${header[$i]}]=$i
done
declare -A xml=([main]=$REAL_MAIN [qemu]=$REAL_QEMU [lxc]=$REAL_LXC [admin]=$REAL_ADMIN)

for src in main qemu lxc admin; do
    file=${xml[$src]}
    # One xmllint run per file: "N N N N N N".
    xpath="concat("
    for k in "${kinds[@]}"; do
        xpath+="count(/api/symbols/$k),' ',"
    done
    xpath+="'')"
    read -r -a want < <(xmllint --xpath "$xpath" "$file" 2>/dev/null; echo)
    # The stats row: "main   516   51 ..."
    read -r -a got < <(awk -v s="$src" '$1 == s { print; exit }' "$OUT")
    if [ ${#want[@]} -ne ${#kinds[@]} ]; then
        fail "stats: xmllint counts $src ($file)" "xmllint gave: ${want[*]:-nothing}"
        continue
    fi
    for i in "${!kinds[@]}"; do
        k=${kinds[$i]}s
        c=${col[$k]:-}
        check_eq "stats: $src $k = xmllint count (${want[$i]})" "${c:+${got[$c]:-missing}}" "${want[$i]}"
    done
done

finish
