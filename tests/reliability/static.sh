#!/usr/bin/env bash
# tests/reliability/static.sh — static checks of virtbind's C (docs/reliability.md,
# "Security"); speaks the runner's protocol.  A few seconds.
#
# 1. Every C source — hand-written (api-xml/, generator/, bindings/python/,
#    typedparams/) and generated ($BUILD/python/gen/*.c, $BUILD/cshim/*.c when
#    built) — compiles with -Wformat=2 -Wformat-security -Wformat-signedness
#    -Wformat-overflow=2 -Wformat-truncation=2 -Werror (syntax only).  A printf-
#    style call with a non-literal format is an error unless the site is in the
#    reviewed list below (FILE:FUNCTION, with why the format cannot come from
#    libvirt or a user).
# 2. CPython's formatting functions carry no format attribute, so -Wformat does
#    not see them: PyErr_Format / PyUnicode_FromFormat / PyErr_WarnFormat /
#    PyBytes_FromFormat / PySys_FormatStd* must have a string-literal format.
# 3. cppcheck (when installed) on the hand-written C: no warning (readdirCalled
#    suppressed: its advice, readdir_r, is deprecated by POSIX and glibc).
set -u
export LC_ALL=C   # ASCII quotes in compiler messages (parsed below)
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
CC=${CC:-cc}
passed=0
failed=0
ok() { echo "ok - static: $1"; passed=$((passed + 1)); }
nok() { echo "not ok - static: $1"; failed=$((failed + 1)); }

# Reviewed non-literal formats: FILE:FUNCTION  reason
REVIEWED_NONLITERAL=(
    # forms[] is a static const table of five literal formats ("n%s", "nr_%s"...),
    # each with one %s for one argument; nothing reaches it from input.
    "api-xml/vb_pass_args.c:vbCountNames"
    # every caller passes a string literal with one %s; the user's option value
    # is the argument, never the format (making it variadic with
    # __attribute__((format(printf, 1, 2))) would let gcc check the callers)
    "coverage/cov_cli.c:covFail"
)

FMT=(-std=c11 -D_GNU_SOURCE -Wall -Wextra -Wformat=2 -Wformat-security -Wformat-signedness
     -Wformat-overflow=2 -Wformat-truncation=2 -Wno-error=format-nonliteral -Werror -fsyntax-only)
XML=$(pkg-config --cflags libxml-2.0 2>/dev/null)
PYINC=$(/usr/bin/python3-config --includes 2>/dev/null)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

compile_all() {
    local f
    for f in api-xml/*.c generator/*.c coverage/*.c; do
        [ -f "$f" ] || continue
        # shellcheck disable=SC2086
        "$CC" "${FMT[@]}" $XML -Iapi-xml -DVB_DEFAULT_ANNOTATIONS='"x"' "$f" 2>&1
    done
    for f in bindings/python/*.c "$BUILD"/python/gen/*.c; do
        [ -f "$f" ] || continue
        # shellcheck disable=SC2086
        "$CC" "${FMT[@]}" $PYINC -Ibindings/python "$f" 2>&1
    done
    for f in typedparams/*.c "$BUILD"/cshim/*.c; do
        [ -f "$f" ] || continue
        "$CC" "${FMT[@]}" -I"$BUILD"/include -Itypedparams/include "$f" 2>&1
    done
}
compile_all >"$tmp/cc" 2>&1
nfiles=$(ls api-xml/*.c generator/*.c coverage/*.c bindings/python/*.c typedparams/*.c \
    "$BUILD"/python/gen/*.c "$BUILD"/cshim/*.c 2>/dev/null | wc -l)
if grep -E 'error:' "$tmp/cc" | grep -qv 'format-nonliteral'; then
    nok "-Wformat=2 -Wformat-security -Werror on $nfiles C files"
    grep -E 'error:' "$tmp/cc" | head -20 | sed 's/^/  # /'
else
    ok "-Wformat=2 -Wformat-security -Werror on $nfiles C files (hand-written and generated)"
fi

# non-literal formats: each must be reviewed (file:function from gcc's "In function" line)
awk '
    /: In function / { fn = $0; sub(/.*In function ./, "", fn); sub(/.:$/, "", fn) }
    /format not a string literal/ { split($1, a, ":"); print a[1] ":" fn }' "$tmp/cc" | sort -u >"$tmp/sites"
nsites=$(wc -l <"$tmp/sites")
unreviewed=$(while read -r site; do
        found=0
        for r in "${REVIEWED_NONLITERAL[@]}"; do [ "$r" = "$site" ] && found=1; done
        [ "$found" = 1 ] || echo "$site"
    done <"$tmp/sites")
if [ -n "$unreviewed" ]; then
    nok "printf-style calls with a non-literal format are all reviewed"
    printf '%s\n' "$unreviewed" | sed 's/^/  # unreviewed: /'
else
    ok "printf-style calls with a non-literal format: $nsites site(s), all reviewed"
fi

# CPython formatters with a non-literal format
py_fmt=$(grep -nE '(PyErr_Format|PyUnicode_FromFormat|PyBytes_FromFormat|PySys_FormatStdout|PySys_FormatStderr)\(' \
        bindings/python/*.c "$BUILD"/python/gen/*.c 2>/dev/null |
    grep -vE '(PyErr_Format\([^,]+,|PyUnicode_FromFormat\(|PyBytes_FromFormat\(|PySys_FormatStd(out|err)\()[[:space:]]*("|$)')
py_warn=$(grep -nE 'PyErr_WarnFormat\(' bindings/python/*.c "$BUILD"/python/gen/*.c 2>/dev/null |
    grep -vE 'PyErr_WarnFormat\([^,]+,[^,]+,[[:space:]]*("|$)')
if [ -n "$py_fmt$py_warn" ]; then
    nok "CPython format functions have literal formats"
    printf '%s\n' "$py_fmt" "$py_warn" | sed '/^$/d; s/^/  # /'
else
    ok "CPython format functions (PyErr_Format ...) have literal formats"
fi

if command -v cppcheck >/dev/null; then
    if cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr --std=c11 \
            -D_GNU_SOURCE --library=python --library=posix --library=gnu \
            -Iapi-xml -Ibindings/python -Itypedparams/include --suppress=missingIncludeSystem \
            --suppress=readdirCalled \
            api-xml generator coverage bindings/python typedparams/vb_tp_engine.c >"$tmp/cppcheck" 2>&1; then
        ok "cppcheck --enable=warning,portability on the hand-written C: clean"
    else
        nok "cppcheck --enable=warning,portability on the hand-written C"
        head -40 "$tmp/cppcheck" | sed 's/^/  # /'
    fi
else
    echo "# cppcheck is not installed: skipped"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
