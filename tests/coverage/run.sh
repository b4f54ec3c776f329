#!/usr/bin/env bash
# tests/coverage/run.sh — tests of virtbind-coverage (issue #4).  Prints one
# line per check, "ok - NAME" or "not ok - NAME" (diagnostics on "  #" lines),
# and exits non-zero when any check failed.
#
# Inputs: the installed API XMLs (pkg-config, as the tool finds them), the
# fixture bindings under tests/coverage/fixtures/, and the installed
# python3-libvirt under /usr/bin/python3.  Edited XML copies live only in a
# temporary directory.  BUILD (default build) locates the binary;
# VB_VALGRIND=1 runs it under valgrind (any error or definite leak fails).
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
COV=$BUILD/bin/virtbind-coverage
FIX=$ROOT/tests/coverage/fixtures
PY=/usr/bin/python3
cd "$ROOT"

# The tests choose their XMLs themselves.
unset VIRTBIND_API_XML VIRTBIND_QEMU_API_XML VIRTBIND_LXC_API_XML \
      VIRTBIND_ADMIN_API_XML VIRTBIND_ANNOTATIONS

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vbcov.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
OUT=$TMP/stdout
ERR=$TMP/stderr
RC=0
FAILURES=0
CHECKS=0

VALGRIND=()
if [ "${VB_VALGRIND:-0}" = 1 ]; then
    VALGRIND=(valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 -q)
fi

# ------------------------------------------------------------- helpers

# cov ARGS...: run the checker; sets RC, OUT (stdout file), ERR (stderr file).
cov() {
    RC=0
    "${VALGRIND[@]}" "$COV" "$@" >"$OUT" 2>"$ERR" || RC=$?
}

pass() {
    CHECKS=$((CHECKS + 1))
    echo "ok - $1"
}

fail() {
    CHECKS=$((CHECKS + 1))
    FAILURES=$((FAILURES + 1))
    echo "not ok - $1"
    shift
    local d
    for d in "$@"; do
        printf '%s\n' "$d" | sed 's/^/  # /'
    done
}

diag() {
    printf 'exit %s\nstdout:\n%s\nstderr:\n%s' "$RC" "$(head -c 1500 "$OUT")" "$(head -c 1500 "$ERR")"
}

check() {   # check NAME CONDITION-EXIT-STATUS (0 = pass)
    if [ "$2" -eq 0 ]; then pass "$1"; else fail "$1" "$(diag)"; fi
}

check_rc() {
    if [ "$RC" = "$2" ]; then pass "$1"; else fail "$1" "expected exit $2" "$(diag)"; fi
}

check_eq() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got      '$2'" "expected '$3'"; fi
}

# has FILE TEXT...: FILE contains every TEXT (fixed strings).
has() {
    local f=$1 t
    shift
    for t in "$@"; do
        grep -qF -- "$t" "$f" || return 1
    done
}

# py EXPR [FILE]: evaluate EXPR with d = the JSON document in FILE (default $OUT).
py() {
    "$PY" -c "import json, sys
d = json.load(open(sys.argv[1]))
print($1)" "${2:-$OUT}"
}

# The nonzero bound counts of a JSON report: "main.enums=2 main.functions=4 ...".
BOUND='" ".join("%s.%s=%d" % (s, k, c["bound"]) for s, v in sorted(d["sources"].items()) for k, c in sorted(v.items()) if c["bound"])'

# --------------------------------------------------------- real XMLs

cov --symbols /dev/null --json --kinds functions
check_rc "baseline: an empty symbols list leaves everything missing (exit 1)" 1
mapfile -t REAL < <(py '"\n".join(d["api_xml"][s] for s in ("main", "qemu", "lxc", "admin"))' 2>/dev/null)
if [ ${#REAL[@]} -ne 4 ] || [ ! -f "${REAL[0]}" ]; then
    fail "baseline: the installed API XMLs are found" "$(diag)"
    exit 1
fi
OTHER_XMLS=(--qemu-api-xml "${REAL[1]}" --lxc-api-xml "${REAL[2]}" --admin-api-xml "${REAL[3]}")

# ---------------------------------------------------------------- usage

cov
check_rc "usage: no binding input is exit 2" 2
has "$ERR" "no binding input"
check "usage: ... and says so" $?

cov --symbols "$FIX/symbols.txt" --c-sources "$FIX/csrc"
check_rc "usage: two binding inputs are exit 2" 2
has "$ERR" "several binding inputs"
check "usage: ... and says so" $?

cov --symbols "$FIX/symbols.txt" --python /usr/bin/python3
check_rc "usage: --python without --python-module is exit 2" 2

cov --symbols "$FIX/symbols.txt" --kinds functions,widgets
check_rc "usage: an unknown kind is exit 2" 2
has "$ERR" "unknown kind 'widgets'"
check "usage: ... naming it" $?

cov --symbols "$FIX/symbols.txt" --sources main,xen
check_rc "usage: an unknown source is exit 2" 2

cov --symbols "$FIX/symbols.txt" --json --markdown
check_rc "usage: --json with --markdown is exit 2" 2

cov --symbols "$FIX/symbols.txt" --max-list -3
check_rc "usage: a negative --max-list is exit 2" 2

cov --help
check_rc "usage: --help is exit 0" 0

# ------------------------------------------------------------ mutation

cov --list-items
check_rc "list-items: exit 0" 0
cut -f3 "$OUT" | sort -u >"$TMP/all-names.txt"
n_items=$(wc -l <"$OUT")
n_names=$(wc -l <"$TMP/all-names.txt")
[ "$n_names" -gt 1500 ]
check "list-items: lists every item ($n_items items, $n_names names)" $?

cov --symbols "$TMP/all-names.txt"
check_rc "mutation: every real name bound -> exit 0 on the real XMLs" 0

# The real libvirt-api.xml plus one fake function, enum value and macro.
awk '
/<\/symbols>/ {
    print "    <function name='\''virFakeCoverageProbe'\'' file='\''libvirt-host'\'' module='\''libvirt-host'\'' version='\''99.0.0'\''>"
    print "      <info><![CDATA[A fake function added by tests/coverage/run.sh.]]></info>"
    print "      <return type='\''int'\'' info='\''0 on success, -1 on error'\''/>"
    print "      <arg name='\''conn'\'' type='\''virConnectPtr'\'' info='\''a connection'\''/>"
    print "    </function>"
    print "    <enum name='\''VIR_FAKE_COVERAGE_VALUE'\'' file='\''libvirt-domain'\'' value='\''4242'\'' type='\''virDomainState'\'' version='\''99.0.0'\'' info='\''fake'\''/>"
    print "    <macro name='\''VIR_FAKE_COVERAGE_MACRO'\'' file='\''libvirt-host'\'' string='\''fake'\'' version='\''99.0.0'\''>"
    print "      <info><![CDATA[A fake macro.]]></info>"
    print "    </macro>"
}
{ print }' "${REAL[0]}" >"$TMP/libvirt-api.xml"
MUT=(--api-xml "$TMP/libvirt-api.xml" "${OTHER_XMLS[@]}")
FAKES=(virFakeCoverageProbe VIR_FAKE_COVERAGE_VALUE VIR_FAKE_COVERAGE_MACRO)

cov "${MUT[@]}" --symbols "$TMP/all-names.txt"
check_rc "mutation: the edited XML -> exit 1" 1
has "$OUT" "missing (3):" "${FAKES[@]}"
check "mutation: the report names all three fake items, and only them" $?

cov "${MUT[@]}" --symbols "$TMP/all-names.txt" --json
check_eq "mutation: --json lists exactly the fakes as missing" \
    "$(py '" ".join(sorted(n for v in d["sources"].values() for c in v.values() for n in c["missing_names"]))')" \
    "VIR_FAKE_COVERAGE_MACRO VIR_FAKE_COVERAGE_VALUE virFakeCoverageProbe"

cov "${MUT[@]}" --symbols "$TMP/all-names.txt" --markdown
check_rc "mutation: --markdown -> exit 1" 1
has "$OUT" "| source | kind | bound |" "| **all** | functions |" '`virFakeCoverageProbe`'
check "mutation: --markdown has the table and the missing names" $?

# -------------------------------------------------------------- ignore

cat >"$TMP/ignore.txt" <<'EOF'
# deliberately unbound
virFakeCoverageProbe -- a test-only function
VIR_FAKE_COVERAGE_VALUE -- a test-only enum value

VIR_FAKE_COVERAGE_MACRO    --   a test-only macro
EOF
cov "${MUT[@]}" --symbols "$TMP/all-names.txt" --ignore "$TMP/ignore.txt" --json
check_rc "ignore: all three fakes ignored -> exit 0" 0
check_eq "ignore: ... and counted as ignored" "$(py 'd["missing_count"], sum(c["ignored"] for c in d["totals"].values())')" "0 3"

grep -v VIR_FAKE_COVERAGE_VALUE "$TMP/ignore.txt" >"$TMP/ignore-2.txt"
cov "${MUT[@]}" --symbols "$TMP/all-names.txt" --ignore "$TMP/ignore-2.txt"
check_rc "ignore: removing an entry -> exit 1" 1
has "$OUT" "missing (1):" "VIR_FAKE_COVERAGE_VALUE"
check "ignore: ... naming the unignored item" $?

{ cat "$TMP/ignore.txt"; echo "VIR_NO_SUCH_THING_ANYWHERE -- stale: not in any XML"; } >"$TMP/ignore-3.txt"
cov "${MUT[@]}" --symbols "$TMP/all-names.txt" --ignore "$TMP/ignore-3.txt"
check_rc "stale: an entry naming nothing in the XMLs -> exit 1" 1
has "$OUT" "stale ignore entries (1):" "ignore-3.txt:6: VIR_NO_SUCH_THING_ANYWHERE: not in the API XML"
check "stale: ... listed as stale with file:line" $?

{ cat "$TMP/ignore.txt"; echo "virConnectOpen -- stale: it is bound"; } >"$TMP/ignore-4.txt"
cov "${MUT[@]}" --symbols "$TMP/all-names.txt" --ignore "$TMP/ignore-4.txt" --json
check_rc "stale: an entry for a bound item -> exit 1" 1
check_eq "stale: ... listed as stale (it is bound), nothing missing" \
    "$(py '[(s["name"], s["why"], s["line"]) for s in d["stale"]], d["missing_count"]')" \
    "[('virConnectOpen', 'it is bound', 6)] 0"

printf 'virFakeCoverageProbe -- fine\nVIR_FAKE_COVERAGE_VALUE\n' >"$TMP/ignore-5.txt"
cov "${MUT[@]}" --symbols "$TMP/all-names.txt" --ignore "$TMP/ignore-5.txt"
check_rc "ignore: an entry without a reason -> exit 2" 2
has "$ERR" "ignore-5.txt:2:" "has no reason"
check "ignore: ... with file:line" $?

printf 'VIR_FAKE_COVERAGE_VALUE --   \n' >"$TMP/ignore-6.txt"
cov "${MUT[@]}" --symbols "$TMP/all-names.txt" --ignore "$TMP/ignore-6.txt"
check_rc "ignore: an empty reason after '--' -> exit 2" 2

printf 'virFakeCoverageProbe -- one\nvirFakeCoverageProbe -- two\n' >"$TMP/ignore-7.txt"
cov "${MUT[@]}" --symbols "$TMP/all-names.txt" --ignore "$TMP/ignore-7.txt"
check_rc "ignore: a duplicate entry -> exit 2" 2
has "$ERR" "ignore-7.txt:2:" "already ignored at"
check "ignore: ... pointing at both lines" $?

cov --symbols "$FIX/symbols.txt" --ignore "$TMP/no-such-ignore-file"
check_rc "ignore: an unreadable ignore file -> exit 2" 2

# An entry for an item outside --sources is neither used nor stale.
printf 'virAdmConnectOpen -- the admin API is not bound\n' >"$TMP/ignore-8.txt"
cov --symbols "$TMP/all-names.txt" --sources main --ignore "$TMP/ignore-8.txt"
check_rc "ignore: an entry for an XML item outside --sources is not stale" 0

# -------------------------------------------------------- input modes

cov --c-sources "$FIX/csrc" --json
check_rc "c-sources: fixture tree -> exit 1 (most items missing)" 1
check_eq "c-sources: exact bound counts" "$(py "$BOUND")" \
    "main.enums=2 main.events=1 main.fields=1 main.functions=4 main.macros=1 qemu.functions=1"
# Of the names the fixture mentions, only whole identifiers in scanned files count.
check_eq "c-sources: bound functions are whole identifiers (comments count)" \
    "$(py '" ".join(sorted(n for n in ("virConnectClose", "virConnectOpen", "virDomainFree", "virDomainGetName", "virDomainSuspend", "virDomainResume", "virDomainCreate", "virDomainDestroy", "virDomainReboot") if n not in d["sources"]["main"]["functions"]["missing_names"]))')" \
    "virConnectClose virConnectOpen virDomainFree virDomainGetName"
cov --c-sources "$FIX/csrc"
has "$OUT" "(3 source files)"
check "c-sources: scans 3 files (hidden dir and .txt skipped)" $?

cov --c-sources "$TMP/no-such-dir"
check_rc "c-sources: a missing directory -> exit 2" 2

cov --symbols "$FIX/symbols.txt" --json
check_eq "symbols: exact bound counts" "$(py "$BOUND")" \
    "lxc.functions=1 main.enums=2 main.fields=1 main.functions=3 main.macros=1"

printf 'virConnectOpen\nvir Connect Close\n' >"$TMP/bad-symbols.txt"
cov --symbols "$TMP/bad-symbols.txt"
check_rc "symbols: two words on a line -> exit 2" 2
has "$ERR" "bad-symbols.txt:2:"
check "symbols: ... with file:line" $?

cov --symbols "$TMP/no-such-file"
check_rc "symbols: a missing file -> exit 2" 2

cov --python-module vbfixture --path "$FIX/python" --json
check_rc "python: fixture module -> exit 1" 1
check_eq "python: exact bound counts (libvirt-python conventions)" "$(py "$BOUND")" \
    "main.enums=3 main.events=2 main.fields=1 main.functions=4 main.macros=3 qemu.enums=1 qemu.functions=1"
check_eq "python: wrong value, wrong type and wrong string are missing with a reason" \
    "$(py 'd["sources"]["main"]["enums"]["details"]["VIR_DOMAIN_PAUSED"] + " / " + d["sources"]["main"]["enums"]["details"]["VIR_DOMAIN_SHUTDOWN"] + " / " + d["sources"]["main"]["macros"]["details"]["VIR_DOMAIN_BLKIO_DEVICE_WEIGHT"]')" \
    "value 99, the XML says 3 / is a str, not an int / value 'not-device_weight', the XML says 'device_weight'"
check_eq "python: a module without its _lxc companion leaves lxc functions missing" \
    "$(py 'd["sources"]["lxc"]["functions"]["bound"], d["sources"]["lxc"]["functions"]["details"]["virDomainLxcOpenNamespace"]')" \
    "0 module vbfixture_lxc cannot be imported"
has "$ERR" "vbfixture: noise on stdout" "note: cannot import vbfixture_lxc"
check "python: the module's own stdout goes to stderr; import notes are shown" $?
[ -z "$(find "$FIX/python" -name __pycache__)" ]
check "python: no __pycache__ is written into the binding's tree" $?

cov --python-module vbmanifest --path "$FIX/python" --sources main,qemu --json
check_eq "python: exact bound counts (__virtbind_manifest__)" "$(py "$BOUND")" \
    "main.enums=2 main.events=1 main.functions=3 qemu.enums=1"
check_eq "python: manifest paths that do not resolve or are not callable are missing" \
    "$(py 'sorted((n, t) for n, t in d["sources"]["main"]["functions"]["details"].items() if n in ("virConnectClose", "virConnectGetType", "virDomainFree"))')" \
    "[('virConnectClose', 'manifest path virConnect.close does not resolve'), ('virConnectGetType', 'manifest path virConnect.notCallable is not callable'), ('virDomainFree', 'not in __virtbind_manifest__')]"

# enum types (--kinds enumtypes): judged only when asked for
cov --python-module vbenums --path "$FIX/python" --sources main --kinds enumtypes --json
check_rc "enumtypes: fixture module -> exit 1" 1
check_eq "enumtypes: one IntEnum with every value but _LAST is bound" "$(py "$BOUND")" "main.enumtypes=1"
check_eq "enumtypes: a missing value, a class that is no enum, a path that does not resolve, no entry" \
    "$(py '" / ".join(d["sources"]["main"]["enumtypes"]["details"][n] for n in ("virDomainXMLFlags", "virErrorLevel", "virVcpuState", "virDomainEventType"))')" \
    "DomainXMLFlags has no member of value 8 / ErrorLevel is not an IntEnum or IntFlag class / NoSuchClass is not an IntEnum or IntFlag class / not in __virtbind_enum_types__"
check_eq "enumtypes: one item per enum type of the XML" \
    "$(py 'd["sources"]["main"]["enumtypes"]["total"] > 150')" "True"
cov --python-module vbfixture --path "$FIX/python" --sources main --kinds enumtypes --json
check_eq "enumtypes: a module without __virtbind_enum_types__ binds none" \
    "$(py 'd["sources"]["main"]["enumtypes"]["bound"], d["sources"]["main"]["enumtypes"]["details"]["virDomainState"]')" \
    "0 no __virtbind_enum_types__"
cov --python-module vbfixture --path "$FIX/python" --json
check_eq "enumtypes: not judged by default" "$(py '"enumtypes" in d["totals"]')" "False"

cov --python-module vbbroken --path "$FIX/python"
check_rc "python: a module that fails to import -> exit 2" 2
has "$ERR" "cannot import vbbroken" "vbbroken refuses to load"
check "python: ... with Python's message" $?

cov --python-module vb_no_such_module --path "$FIX/python"
check_rc "python: a module that does not exist -> exit 2" 2

cov --python-module vbfixture --path "$FIX/python" --python "$TMP/no-python"
check_rc "python: a missing interpreter -> exit 2" 2
has "$ERR" "cannot run the Python interpreter"
check "python: ... and says so" $?

# ------------------------------------------------- real python3-libvirt

if "$PY" -c 'import libvirt' 2>/dev/null; then
    cov --python-module libvirt --sources main,qemu,lxc --json
    check_rc "libvirt-python: the report runs (exit 1: libvirt-python misses some items)" 1
    check_eq "libvirt-python: bound + missing + ignored = total, per XML and kind" \
        "$(py 'all(c["bound"] + c["missing"] + c["ignored"] == c["total"] for v in list(d["sources"].values()) + [d["totals"]] for c in v.values())')" \
        "True"
    check_eq "libvirt-python: the name lists match the counts" \
        "$(py 'all(len(c["missing_names"]) == c["missing"] and len(c["ignored_names"]) == c["ignored"] for v in d["sources"].values() for c in v.values())')" \
        "True"
    check_eq "libvirt-python: per-XML counts add up to the totals" \
        "$(py 'all(sum(d["sources"][s][k][f] for s in d["sources"]) == d["totals"][k][f] for k in d["totals"] for f in ("bound", "missing", "ignored", "total"))')" \
        "True"
    check_eq "libvirt-python: judges main, qemu, lxc only" "$(py '" ".join(d["judged"]["sources"]), " ".join(sorted(d["sources"]))')" \
        "lxc main qemu lxc main qemu"
    check_eq "libvirt-python: well-known items are bound" \
        "$(py 'd["sources"]["main"]["functions"]["bound"] > 400, "VIR_DOMAIN_RUNNING" in d["sources"]["main"]["enums"]["missing_names"], "virDomainCreate" in d["sources"]["main"]["functions"]["missing_names"], d["sources"]["qemu"]["functions"]["bound"] > 0')" \
        "True False False True"
    cp "$OUT" "$TMP/first.json"
    cov --python-module libvirt --sources main,qemu,lxc --json
    cmp -s "$OUT" "$TMP/first.json"
    check "libvirt-python: --json output is identical across runs" $?
    check_eq "libvirt-python: --json keys are sorted at every level" \
        "$(py 'json.dumps(d, indent=2, sort_keys=True) == json.dumps(d, indent=2)')" "True"
    cov --python-module libvirt --sources main --kinds functions --max-list 5
    check_eq "libvirt-python: --max-list 5 lists five names" \
        "$(awk '/^missing \(/ { on = 1; next } on && /^  main / { n++ } END { print n + 0 }' "$OUT")" "5"
    has "$OUT" "and " "more (raise --max-list"
    check "libvirt-python: ... and says how many more" $?
else
    fail "libvirt-python: /usr/bin/python3 cannot import libvirt (install python3-libvirt)"
fi

[ "$FAILURES" -eq 0 ] && [ "$CHECKS" -gt 0 ]
