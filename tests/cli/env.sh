#!/usr/bin/env bash
# env.sh — the VIRTBIND_* environment variables choose the input files, and
# the command-line options override them.
# shellcheck source=tests/lib/cli.sh
. "$(dirname "$0")/../lib/cli.sh"

BAD_XML=$FIXTURES/bad/wrong-root.xml
BAD_ANN=$FIXTURES/bad/annotations-unknown-kind.txt

# With nothing set, pkg-config finds the installed XMLs.
vbgen --stats
check_rc "env: no overrides: pkg-config discovery works" 0

# env_case VAR OPTION REAL BAD LINE: VAR=BAD makes virtbind-gen read BAD
# (it fails with BAD:LINE:); OPTION REAL given as well wins over VAR.
env_case() {
    local var=$1 opt=$2 real=$3 bad=$4 line=$5
    # The other XMLs are given explicitly, so only VAR can name BAD.
    local -A xml=([--api-xml]=$REAL_MAIN [--qemu-api-xml]=$REAL_QEMU
                  [--lxc-api-xml]=$REAL_LXC [--admin-api-xml]=$REAL_ADMIN)
    local o others=()
    for o in "${!xml[@]}"; do
        [ "$o" = "$opt" ] || others+=("$o" "${xml[$o]}")
    done

    export "$var=$bad"
    vbgen --stats "${others[@]}"
    check_rc "env: $var=bad file is read (exit 2)" 2
    check_err "env: $var=bad file is named in the error" "$bad" "$line"

    vbgen --stats "${others[@]}" "$opt" "$real"
    check_rc "env: $opt overrides $var" 0
    unset "$var"
}

XML_LINE=$(line_of "$BAD_XML" '^<library')
ANN_LINE=$(line_of "$BAD_ANN" '^widget ')
env_case VIRTBIND_API_XML --api-xml "$REAL_MAIN" "$BAD_XML" "$XML_LINE"
env_case VIRTBIND_QEMU_API_XML --qemu-api-xml "$REAL_QEMU" "$BAD_XML" "$XML_LINE"
env_case VIRTBIND_LXC_API_XML --lxc-api-xml "$REAL_LXC" "$BAD_XML" "$XML_LINE"
env_case VIRTBIND_ADMIN_API_XML --admin-api-xml "$REAL_ADMIN" "$BAD_XML" "$XML_LINE"
env_case VIRTBIND_ANNOTATIONS --annotations "$REAL_ANNOTATIONS" "$BAD_ANN" "$ANN_LINE"

# An empty variable counts as unset.
export VIRTBIND_API_XML=
vbgen --stats
check_rc "env: empty VIRTBIND_API_XML is ignored" 0
unset VIRTBIND_API_XML

finish
