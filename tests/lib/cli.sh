# tests/lib/cli.sh — sourced by the shell tests in tests/cli/*.sh (bash).
#
# Result lines follow the runner's protocol: "ok - NAME" / "not ok - NAME",
# with diagnostics on lines starting with "  #".  A script ends with
# `finish`, which exits 1 when any of its checks failed.
#
#   vbrun PROGRAM ARGS...  run one of our programs (under valgrind when
#                        VB_VALGRIND=1); sets RC, OUT (stdout file), ERR (stderr file)
#   vbgen ARGS...        vbrun build/bin/virtbind-gen ARGS...
#   real_args            the four --*-api-xml options for the installed XMLs
#   pass NAME / fail NAME [DIAG...]
#   check_rc NAME WANT   check $RC
#   check_eq NAME GOT WANT
#   check_err NAME FILE LINE TEXT...
#                        stderr names FILE:LINE: and contains every TEXT
#   check_stderr NAME TEXT...   stderr contains every TEXT
#   line_of FILE REGEX   number of the first line of FILE matching REGEX

# shellcheck disable=SC2034  # it sets variables for the scripts that source it
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
GEN=$BUILD/bin/virtbind-gen
FIXTURES=$ROOT/tests/fixtures
cd "$ROOT" || exit 2

# The tests choose their XMLs themselves.
unset VIRTBIND_API_XML VIRTBIND_QEMU_API_XML VIRTBIND_LXC_API_XML \
      VIRTBIND_ADMIN_API_XML VIRTBIND_ANNOTATIONS

# The installed XMLs, found the same way the loader does (pkg-config), with
# the admin XML beside libvirt-api.xml.
REAL_MAIN=$(pkg-config --variable=libvirt_api libvirt 2>/dev/null || true)
REAL_QEMU=$(pkg-config --variable=libvirt_qemu_api libvirt-qemu 2>/dev/null || true)
REAL_LXC=$(pkg-config --variable=libvirt_lxc_api libvirt-lxc 2>/dev/null || true)
: "${REAL_MAIN:=/usr/share/libvirt/api/libvirt-api.xml}"
: "${REAL_QEMU:=/usr/share/libvirt/api/libvirt-qemu-api.xml}"
: "${REAL_LXC:=/usr/share/libvirt/api/libvirt-lxc-api.xml}"
REAL_ADMIN=$(dirname "$REAL_MAIN")/libvirt-admin-api.xml
REAL_ANNOTATIONS=$ROOT/api-xml/annotations.txt

VB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/vbtest.XXXXXX")
trap 'rm -rf "$VB_TMP"' EXIT
OUT=$VB_TMP/stdout
ERR=$VB_TMP/stderr
RC=0
VB_FAILURES=0
VB_CHECKS=0

VALGRIND=()
if [ "${VB_VALGRIND:-0}" = 1 ]; then
    VALGRIND=(valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 -q)
fi

vbrun() {
    RC=0
    "${VALGRIND[@]}" "$@" >"$OUT" 2>"$ERR" || RC=$?
}

vbgen() {
    vbrun "$GEN" "$@"
}

real_args() {
    printf '%s\n' --api-xml "$REAL_MAIN" --qemu-api-xml "$REAL_QEMU" \
        --lxc-api-xml "$REAL_LXC" --admin-api-xml "$REAL_ADMIN"
}

pass() {
    VB_CHECKS=$((VB_CHECKS + 1))
    echo "ok - $1"
}

fail() {
    VB_CHECKS=$((VB_CHECKS + 1))
    VB_FAILURES=$((VB_FAILURES + 1))
    echo "not ok - $1"
    shift
    local d
    for d in "$@"; do
        printf '%s\n' "$d" | sed 's/^/  # /'
    done
}

# The last command's stderr, for diagnostics.
stderr_diag() {
    printf 'exit %s; stderr:\n%s' "$RC" "$(head -c 2000 "$ERR")"
}

check_rc() {
    if [ "$RC" = "$2" ]; then
        pass "$1"
    else
        fail "$1" "expected exit $2, got $(stderr_diag)"
    fi
}

check_eq() {
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "got '$2', expected '$3'"
    fi
}

check_err() {
    local name=$1 file=$2 line=$3
    shift 3
    check_stderr "$name" "$file:$line: " "$@"
}

check_stderr() {
    local name=$1
    shift
    local t missing=()
    for t in "$@"; do
        grep -qF -- "$t" "$ERR" || missing+=("$t")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        pass "$name"
    else
        fail "$name" "stderr lacks: ${missing[*]}" "$(stderr_diag)"
    fi
}

line_of() {
    local n
    n=$(grep -n -m1 -E -- "$2" "$1" | cut -d: -f1)
    echo "${n:-0}"
}

finish() {
    [ "$VB_FAILURES" -eq 0 ] && [ "$VB_CHECKS" -gt 0 ]
    exit $?
}
