"""tests/reliability/sweep_common.py — what the bad-input sweeps of virtbind
(sweep_worker.py) and virtbind_admin (sweep_admin_worker.py) share: the
signatures read from a module's generated stubs, the bad values, the call
recorder, the typed-parameter bad values, and the parent side that runs a
worker, restarts it after a crash or hang and names the call (run_sweep).

Imports no binding: virtbind (libvirt.so.0) and virtbind_admin
(libvirt-admin.so.0) cannot share a process, and the parent (pytest) loads
neither for the sweep.

Worker protocol: progress lines on stderr, ``@ INDEX NAME CASE`` before every
call (INDEX -1 for the typed-parameter / event part); at the end one JSON
object on stdout (manifest, order, swept, skipped, calls, outcomes, findings,
per_func, tp_fields); ``--start N`` resumes at the Nth function of the
worker's order; ``--extras`` adds the typed-parameter and event part.
"""
import ast
import json
import os
import re
import subprocess
import sys


class Other:
    """An object of no binding class (a wrong type for every parameter)."""


def cb(*a):
    return 0


def load_signatures(stub_path):
    """{"virDomain.info": [(name, annotation, has_default)], "open": [...]}
    from generated stubs (first overload wins)."""
    with open(stub_path) as f:
        tree = ast.parse(f.read())
    sigs = {}

    def params(fn, method):
        a = fn.args
        args = a.args[1:] if method else a.args
        ndef = len(a.defaults)
        out = []
        for i, p in enumerate(args):
            ann = ast.unparse(p.annotation) if p.annotation is not None else "Any"
            out.append((p.arg, ann, i >= len(args) - ndef))
        return out

    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            sigs.setdefault(node.name, params(node, False))
        elif isinstance(node, ast.ClassDef):
            for f in node.body:
                if isinstance(f, ast.FunctionDef):
                    sigs.setdefault(node.name + "." + f.name, params(f, True))
    return sigs


def bad_values(uri=None):
    """(label, value) pairs that are wrong for a parameter in some way.  For a
    URI parameter ``uri`` is (unknown URI, URI with a printf probe), both of
    which must fail without resolving or connecting anywhere."""
    return [
        ("None", None),
        ("object()", Other()),
        ("float", 1.5),
        ("int -1", -1),
        ("int 2**31", 2 ** 31),
        ("int 2**63", 2 ** 63),
        ("int 2**64", 2 ** 64),
        ("int -2**63-1", -2 ** 63 - 1),
        ("str", uri[0] if uri else "nosuch"),
        ("str NUL", "a\0b"),
        ("str format", uri[1] if uri else "%s%n%x%s%n%p"),
        ("str surrogate", "\udcff"),
        ("bytes", b"x"),
        ("list", [1, "x", None]),
        ("list of None", [None]),
        ("tuple of bool", (True, 2, "x")),
        ("dict unknown key", {"nosuch.field": 1}),
        ("dict non-str key", {1: 1}),
        ("dict bad value", {"weight": Other()}),
        ("dict NUL key", {"a\0b": 1}),
        ("callable", cb),
        ("bool", True),
    ]


# wrong values for one typed-parameter field
TP_BAD = [("str", "x"), ("None", None), ("2**64", 2 ** 64), ("-2**63-1", -2 ** 63 - 1),
          ("-1", -1), ("float", 1.5), ("list", [1, 2]), ("bytes", b"x"), ("NUL str", "a\0b"),
          ("object", Other()), ("dict", {}), ("bool", True)]

# whole typed-parameter arguments that are wrong (given the current values)
def tp_bad_dicts(cur, keys):
    return [("unknown field", {"nosuch_field": 1}),
            ("unknown + known", dict(cur, nosuch_field=1)),
            ("non-str key", {7: 1}),
            ("NUL key", {"a\0b": 1}),
            ("key too long", {"k" * 200: 1}),
            ("list value", {keys[0]: ["a", "b"]}),
            ("not a dict", [("weight", 1)]),
            ("dict subclass", type("D", (dict,), {})(cur))]


class Sweep:
    """Makes the calls and records what came out: an exception of ``allowed``
    (its last entry: the module's libvirtError) or a return is an outcome,
    anything else a finding."""

    def __init__(self, allowed, verbose=False):
        self.allowed = allowed
        self.verbose = verbose
        self.calls = 0
        self.outcomes = {}
        self.findings = []
        self.per_func = {}

    def call(self, idx, fname, case, f, args, kwargs=None):
        sys.stderr.write("@ %d %s %s\n" % (idx, fname, case))
        sys.stderr.flush()
        self.calls += 1
        self.per_func[fname] = self.per_func.get(fname, 0) + 1
        try:
            r = f(*args, **(kwargs or {}))
            kind = "returned"
            del r
        except self.allowed as e:
            # libvirtError's per-code subclasses (virtbind.errors) count as one
            kind = "libvirtError" if isinstance(e, self.allowed[-1]) else type(e).__name__
        except BaseException as e:  # noqa: B902 - everything else is a finding
            kind = type(e).__name__
            self.findings.append({"func": fname, "case": case, "exception": kind,
                                  "message": str(e)[:300]})
        self.outcomes[kind] = self.outcomes.get(kind, 0) + 1
        if self.verbose:
            sys.stderr.write("= %s\n" % kind)
        return kind


def signature_of(sw, sigs, cname, pyname):
    """pyname's parameters from the stubs; a missing stub is a finding."""
    sig = sigs.get(pyname)
    if sig is None:
        sw.findings.append({"func": cname, "case": "signature",
                            "exception": "no stub", "message": pyname})
        sig = []
    return sig


def target_of(mod, pyname, objs):
    """(bound callable or None, unbound callable or None, class name or None)
    of a manifest value: "Class.method" on ``objs[Class]``, or a function."""
    if "." in pyname:
        cls, meth = pyname.split(".", 1)
        unbound = getattr(getattr(mod, cls), meth)
        obj = objs.get(cls)
        return (getattr(obj, meth) if obj is not None else None), unbound, cls
    return getattr(mod, pyname), None, None


def argument_cases(sw, idx, tag, sig, base, bound, unbound, other, uri_of=None,
                   all_none_without_params=True):
    """The cases every sweep makes for one function: each parameter of ``sig``
    (from load_signatures) in turn replaced by every bad value, the others
    ``base`` (plausible); too few / too many arguments, an unknown and a
    duplicate keyword, all None — on ``bound``; then ``unbound`` with a wrong
    self (None, object(), ``other``: an object of another class, none).
    ``uri_of(pname)`` gives the (unknown URI, printf-probe URI) pair of a URI
    parameter, or None.  ``all_none_without_params``: whether "all None" may
    call a function that has no parameters (a valid call)."""
    if bound is not None:
        for i, (pn, ann, _) in enumerate(sig):
            for label, bad in bad_values(uri_of(pn) if uri_of else None):
                args = list(base)
                args[i] = bad
                sw.call(idx, tag, "arg %s=%s" % (pn, label), bound, args)
        nreq = sum(1 for _, _, d in sig if not d)
        if nreq > 0:
            sw.call(idx, tag, "too few args", bound, base[:nreq - 1])
        sw.call(idx, tag, "too many args", bound, base + [0, "x"])
        sw.call(idx, tag, "unknown keyword", bound, base[:nreq], {"nosuch_kw": 1})
        if sig:
            sw.call(idx, tag, "duplicate keyword", bound, base[:1], {sig[0][0]: base[0]})
        if sig or all_none_without_params:
            sw.call(idx, tag, "all None", bound, [None] * len(sig))
    if unbound is not None:
        sw.call(idx, tag, "unbound self=None", unbound, [None] + base)
        sw.call(idx, tag, "unbound self=object()", unbound, [Other()] + base)
        sw.call(idx, tag, "unbound self=other class", unbound, [other] + base)
        sw.call(idx, tag, "unbound no self", unbound, [])


def report(man, order, swept, skipped, limited, sw, fields):
    """The worker's last output: one JSON object on stdout."""
    json.dump({"manifest": len(man), "order": order, "swept": swept, "skipped": skipped,
               "limited": limited, "calls": sw.calls, "outcomes": sw.outcomes,
               "findings": sw.findings, "per_func": sw.per_func, "tp_fields": fields},
              sys.stdout)
    sys.stdout.flush()


# ------------------------------------------------------------ the parent side

MAX_RESTARTS = 25


def run_sweep(worker, cwd, env, extra_args=(), timeout=900):
    """Runs ``worker`` until it finishes; after a crash or hang (non-zero
    status) names the last call from the progress lines and restarts after
    that function (or without the extras when the crash was there).
    Returns (results: the JSON objects, crashes: [{status, last_call, stderr}])."""
    crashes = []
    results = []
    start = 0
    extras = True
    for _ in range(MAX_RESTARTS):
        args = [sys.executable, worker, "--start", str(start), *extra_args]
        if extras:
            args.append("--extras")
        p = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd,
                           timeout=timeout)
        if p.returncode == 0:
            results.append(json.loads(p.stdout))
            return results, crashes
        last = [ln for ln in p.stderr.splitlines() if ln.startswith("@ ")]
        where = last[-1][2:] if last else "(before the first call)"
        crashes.append({"status": p.returncode, "last_call": where,
                        "stderr": p.stderr[-2000:]})
        m = re.match(r"(-?\d+) ", where)
        if not m or int(m.group(1)) < 0:
            # in the typed-parameter / event part: rerun without it
            extras = False
            if not m:
                break
            continue
        start = int(m.group(1)) + 1
    return results, crashes


def summarize(results, crashes):
    """One summary over the (restarted) runs."""
    r = results[-1]
    swept = set()
    calls = 0
    outcomes = {}
    findings = []
    for x in results:
        swept |= set(x["swept"])
        calls += x["calls"]
        for k, v in x["outcomes"].items():
            outcomes[k] = outcomes.get(k, 0) + v
        findings += x["findings"]
    crashed = {c["last_call"].split()[1] for c in crashes if len(c["last_call"].split()) > 1}
    return {"manifest": r["manifest"], "swept": len(swept), "swept_names": sorted(swept),
            "skipped": r["skipped"], "order": r["order"], "per_func": r["per_func"],
            "crashed": sorted(crashed), "calls": calls, "outcomes": outcomes,
            "tp_fields": r["tp_fields"], "findings": findings, "crashes": crashes}


def write_summary(root, build, name, summary):
    out = os.path.join(root, build, "reliability")
    os.makedirs(out, exist_ok=True)
    if os.environ.get("VB_SANITIZED"):
        name = name.replace(".json", "-%s.json" % os.environ["VB_SANITIZED"])
    with open(os.path.join(out, name), "w") as f:
        json.dump({k: v for k, v in summary.items() if k != "swept_names"}, f, indent=1)
