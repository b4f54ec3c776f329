#!/usr/bin/env bash
# bad-input.sh — broken API XMLs and annotations files make virtbind-gen
# exit 2 with "FILE:LINE: message" naming the problem.  Each XML fixture
# replaces libvirt-api.xml; the other three XMLs are the installed ones.
# shellcheck source=tests/lib/cli.sh
. "$(dirname "$0")/../lib/cli.sh"

BAD=$FIXTURES/bad

# bad_xml NAME FILE LINE TEXT...: virtbind-gen --api-xml FILE fails at LINE.
bad_xml() {
    local name=$1 file=$2 line=$3
    shift 3
    vbgen --stats --api-xml "$file" --qemu-api-xml "$REAL_QEMU" \
        --lxc-api-xml "$REAL_LXC" --admin-api-xml "$REAL_ADMIN"
    check_rc "bad xml: $name: exit 2" 2
    check_err "bad xml: $name: reports $(basename "$file"):$line" "$file" "$line" "$@"
}

bad_xml "missing file" "$VB_TMP/no-such-file.xml" 0 "cannot open" "No such file"
bad_xml "empty file" "$BAD/empty.xml" 1 "malformed XML" "empty"
# libxml2 notices the truncation at the end of the file, on its last line.
bad_xml "truncated XML" "$BAD/truncated.xml" "$(awk 'END { print NR }' "$BAD/truncated.xml")" \
    "malformed XML" "Premature end of data"
bad_xml "malformed XML (mismatched tag)" "$BAD/malformed.xml" \
    "$(line_of "$BAD/malformed.xml" '^ *</arg>')" "malformed XML" "mismatch" "return"
bad_xml "wrong root element" "$BAD/wrong-root.xml" \
    "$(line_of "$BAD/wrong-root.xml" '^<library')" "<library>" "expected <api>"
bad_xml "<function> without name" "$BAD/function-no-name.xml" \
    "$(line_of "$BAD/function-no-name.xml" '<function file=')" "<function>" "'name'"
bad_xml "<arg> without type" "$BAD/arg-no-type.xml" \
    "$(line_of "$BAD/arg-no-type.xml" "<arg name='conn'")" "<arg>" "'type'"
bad_xml "unknown element in <symbols>" "$BAD/unknown-element.xml" \
    "$(line_of "$BAD/unknown-element.xml" '<gizmo')" "<gizmo>" "<symbols>"
bad_xml "enum naming no constant" "$BAD/enum-unresolved.xml" \
    "$(line_of "$BAD/enum-unresolved.xml" "name='VIR_FIXTURE_B'")" "VIR_FIXTURE_B" "VIR_FIXTURE_NOWHERE"

# bad_ann NAME FILE LINE TEXT...: virtbind-gen --annotations FILE fails at LINE.
bad_ann() {
    local name=$1 file=$2 line=$3
    shift 3
    mapfile -t args < <(real_args)
    vbgen --stats "${args[@]}" --annotations "$file"
    check_rc "bad annotations: $name: exit 2" 2
    check_err "bad annotations: $name: reports $(basename "$file"):$line" "$file" "$line" "$@"
}

A=$BAD/annotations
bad_ann "missing file" "$VB_TMP/no-such-annotations.txt" 0 "cannot open" "No such file"
bad_ann "entry without reason" "$A-no-reason.txt" \
    "$(line_of "$A-no-reason.txt" '^arg virDomainGetInfo.info')" "reason"
bad_ann "unknown kind" "$A-unknown-kind.txt" \
    "$(line_of "$A-unknown-kind.txt" '^widget ')" "unknown annotation kind" "'widget'"
bad_ann "malformed KEY=VALUE" "$A-bad-keyvalue.txt" \
    "$(line_of "$A-bad-keyvalue.txt" ' nullable --')" "KEY=VALUE" "'nullable'"
first=$(line_of "$A-duplicate.txt" '^field VIR_DOMAIN_BLKIO_WEIGHT ')
second=$(grep -n '^field VIR_DOMAIN_BLKIO_WEIGHT ' "$A-duplicate.txt" | sed -n 2p | cut -d: -f1)
bad_ann "duplicate entry" "$A-duplicate.txt" "${second:-0}" \
    "duplicate annotation" "VIR_DOMAIN_BLKIO_WEIGHT" "line $first"

finish
