#!/usr/bin/env bash
# own-bindings.sh — virtbind-coverage judging virtbind's own bindings, as
# they are built so far.  Each binding must reach 100% of what it claims:
#   - libvirtbind (C shim, build/cshim): every typed-parameter field macro
#     and every event ID of the four XMLs;
#   - the Python package virtbind: every function is either bound (in
#     __virtbind_manifest__, resolving to a callable) or listed by the module
#     itself with a reason (__virtbind_skip_reasons__: not bound yet, or
#     __virtbind_internal__: used internally); every enum constant and macro
#     is an attribute (an int / str of the XML's value; function-like macros
#     are callables) or listed in __virtbind_skipped_constants__ with a
#     reason; a listed item that is in fact bound is stale and fails;
#   - the Python module virtbind_admin (libvirt's admin API), the same way;
#   - every enum type of the four XMLs has its IntEnum/IntFlag class
#     (virtbind.enums, virtbind_admin_enums; --kinds enumtypes).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
COV=$BUILD/bin/virtbind-coverage
PYTHON=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

judge() {   # NAME COMMAND...
    local name=$1
    shift
    if "$@" >"$tmp/out" 2>&1; then
        echo "ok - $name"
    else
        echo "not ok - $name"
        sed 's/^/  # /' "$tmp/out" | head -40
        status=1
    fi
}

if [ -f "$BUILD/cshim/typedparams.c" ]; then
    judge "libvirtbind binds 100% of typed-parameter fields and event IDs" \
        "$COV" --c-sources "$BUILD/cshim" --kinds fields,events
else
    echo "ok - libvirtbind not built in this tree (skipped) # SKIP"
fi

if ls "$BUILD"/python/virtbind/_virtbind*.so >/dev/null 2>&1; then
    PYTHONPATH=$BUILD/python "$PYTHON" - >"$tmp/ignore.txt" <<'PY'
import virtbind
reasons = dict(getattr(virtbind, "__virtbind_skip_reasons__", {}))
reasons.update(getattr(virtbind, "__virtbind_internal__", {}))
reasons.update(getattr(virtbind, "__virtbind_skipped_constants__", {}))
for name in sorted(reasons):
    print(f"{name} -- {reasons[name]}")
PY
    judge "Python virtbind: every function, enum constant and macro bound or listed with a reason ($(wc -l <"$tmp/ignore.txt") listed)" \
        "$COV" --python-module virtbind --path "$BUILD/python" --kinds functions,enums,macros --ignore "$tmp/ignore.txt"
else
    echo "ok - Python binding not built in this tree (skipped) # SKIP"
fi

# enum types: an IntEnum/IntFlag class per enum type (virtbind.enums; the
# admin XML's in virtbind_admin_enums), every value but _LAST a member
if [ -f "$BUILD/python/virtbind/enums.py" ]; then
    judge "Python virtbind: every enum type of main/qemu/lxc is an IntEnum or IntFlag" \
        "$COV" --python-module virtbind --path "$BUILD/python" --sources main,qemu,lxc --kinds enumtypes
    judge "Python virtbind_admin_enums: every enum type of the admin XML is an IntEnum or IntFlag" \
        "$COV" --python-module virtbind_admin_enums --path "$BUILD/python" --sources admin --kinds enumtypes
else
    echo "ok - Python enum classes not built in this tree (skipped) # SKIP"
fi

# virtbind_admin: the admin XML, judged in its own process (it cannot share
# one with virtbind; the main module lists the admin functions with that reason)
if ls "$BUILD"/python/virtbind_admin*.so >/dev/null 2>&1; then
    PYTHONPATH=$BUILD/python "$PYTHON" - >"$tmp/ignore-admin.txt" <<'PY'
import virtbind_admin as m
reasons = dict(m.__virtbind_skip_reasons__)
reasons.update(m.__virtbind_internal__)
reasons.update(m.__virtbind_skipped_constants__)
for name in sorted(reasons):
    print(f"{name} -- {reasons[name]}")
PY
    judge "Python virtbind_admin: every admin function, enum constant and macro bound or listed with a reason ($(wc -l <"$tmp/ignore-admin.txt") listed)" \
        "$COV" --python-module virtbind_admin --path "$BUILD/python" --sources admin \
        --kinds functions,enums,macros --ignore "$tmp/ignore-admin.txt"
else
    echo "ok - Python admin module not built in this tree (skipped) # SKIP"
fi
exit $status
