#!/usr/bin/env bash
# tools/demo.sh — the virtbind demo (called by `make demo`, which installs
# the dependencies and builds first).  Each step is a function below; add a
# step by writing a function and listing it in STEPS.
#
#   model   virtbind-gen --stats and --check-model on the installed API XMLs
#   ir      write the classified model to build/ir/
#   typed   a C program against libvirt's test driver (test:///default):
#           domain info and memory parameters, each named by its macro
#   cshim   libvirtbind (C): typed struct for memory tunables + typed events
#   python  the generated Python binding: libvirt-python code on virtbind
#   compat  the same through the compat `libvirt` module (PYTHONPATH only)
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
GEN=$BUILD/bin/virtbind-gen
DEMO_TYPED=$BUILD/bin/vb-demo-typed
URI=${VB_DEMO_URI:-test:///default}

STEPS=(model ir typed cshim python compat)
PYTHON=${PYTHON:-/usr/bin/python3}

header() {
    printf '\n======== %s ========\n' "$1"
}

step_model() {
    header "The model: libvirt's API XML as loaded by virtbind-gen"
    echo "\$ $GEN --stats"
    "$GEN" --stats

    header "Classification: virtbind-gen --check-model"
    local report=$BUILD/ir/check-model.txt rc=0
    mkdir -p "$BUILD/ir"
    "$GEN" --check-model >"$report" 2>"$report.err" || rc=$?
    case $rc in
    0)
        cat "$report"
        ;;
    1)
        # Classification is still being completed: show the start of the list.
        local n
        n=$(wc -l <"$report")
        head -n 10 "$report"
        [ "$n" -gt 10 ] && echo "... ($((n - 10)) more lines; full list in $report)"
        cat "$report.err"
        echo "(the model is not complete yet: the demo goes on)"
        ;;
    *)
        cat "$report.err" >&2
        return "$rc"
        ;;
    esac
}

step_ir() {
    header "The IR: the classified model as JSON"
    local ir=$BUILD/ir/virtbind-model.json
    echo "\$ $GEN --ir $ir"
    "$GEN" --ir "$ir"
    echo "wrote $ir ($(wc -c <"$ir") bytes)"
}

step_typed() {
    header "Typed parameters against $URI (tools/demo/demo_typed.c)"
    if [ ! -x "$DEMO_TYPED" ]; then
        echo "demo: $DEMO_TYPED is not built: run make demo" >&2
        return 1
    fi
    echo "\$ $DEMO_TYPED $URI test"
    "$DEMO_TYPED" "$URI" test
}

step_cshim() {
    header "libvirtbind: typed parameters and typed events in C (typedparams/examples/memtune.c)"
    local bin=$BUILD/bin/vb-demo-memtune
    echo "\$ cc typedparams/examples/memtune.c -I$BUILD/include $BUILD/lib/libvirtbind.a \$(pkg-config --libs libvirt) -o $bin"
    ${CC:-cc} -std=c11 -Wall -Wextra -Werror -I"$BUILD/include" $(pkg-config --cflags libvirt) \
        -o "$bin" typedparams/examples/memtune.c "$BUILD/lib/libvirtbind.a" \
        $(pkg-config --libs libvirt libvirt-qemu libvirt-admin)
    echo "\$ $bin $URI test"
    "$bin" "$URI" test
}

step_python() {
    header "The Python binding (build/python): import virtbind as libvirt"
    echo "\$ PYTHONPATH=$BUILD/python $PYTHON tools/demo/demo.py $URI"
    PYTHONPATH=$BUILD/python "$PYTHON" tools/demo/demo.py "$URI"
}

step_compat() {
    header "Unchanged libvirt-python code: PYTHONPATH=$BUILD/python/compat"
    local code="import libvirt; c = libvirt.open('$URI'); d = c.lookupByName('test'); print(libvirt.__name__, 'is', libvirt.__file__); print('info():', d.info(), ' state():', d.state(), ' isActive():', d.isActive())"
    echo "\$ PYTHONPATH=$BUILD/python/compat:$BUILD/python $PYTHON -c \"$code\""
    PYTHONPATH=$BUILD/python/compat:$BUILD/python "$PYTHON" -c "$code"
}

for step in "${STEPS[@]}"; do
    "step_$step"
done
header "Done"
