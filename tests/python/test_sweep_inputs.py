"""Bad-input sweep of the Python binding virtbind (issue #9; docs/reliability.md,
"Bad-input sweep").

tests/reliability/sweep_worker.py, in a child Python in a scratch directory,
calls 100% of ``virtbind.__virtbind_manifest__`` (signatures from the
generated stubs) with wrong types, None, negative and huge integers, str with
NUL, bytes for str, format probes, wrong arity and keywords, a wrong ``self``,
on a closed connection and on objects whose connection was closed; then
typed-parameter dicts and event registration.  Only TypeError, OverflowError,
ValueError, LookupError (unknown typed-parameter field) and libvirtError may
come out — or MemoryError for a buffer size the caller asked for (>= 2**63
bytes; libvirt-python raises the same).

A crash or a hang (the worker's faulthandler timer, VB_SWEEP_HANG_S, default
30 s per function) ends the child: the test names the last call from its
progress lines, restarts it after that function, and fails at the end with
every such function listed.  The figures land in $BUILD/reliability/sweep.json.
"""
import glob
import json
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", "build")
PYDIR = os.path.join(ROOT, BUILD, "python")
WORKER = os.path.join(ROOT, "tests", "reliability", "sweep_worker.py")

if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)

MAX_RESTARTS = 25
# MemoryError is accepted only for these: the binding (like libvirt-python)
# allocates the caller-sized buffer before calling libvirt
MEMORY_OK = re.compile(r"arg (size|nbytes)=int 2\*\*6[34]$")


def run_sweep(tmp_path, extra_args=(), extra_env=None):
    env = dict(os.environ, PYTHONPATH=PYDIR, **(extra_env or {}))
    crashes = []
    results = []
    start = 0
    extras = True
    for _ in range(MAX_RESTARTS):
        args = [sys.executable, WORKER, "--start", str(start), *extra_args]
        if extras:
            args.append("--extras")
        p = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path,
                           timeout=int(os.environ.get("VB_SWEEP_TIMEOUT", "900")))
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


def test_sweep_inputs(tmp_path):
    results, crashes = run_sweep(tmp_path)
    assert results, "the sweep never finished:\n%s" % json.dumps(crashes, indent=1)[-4000:]
    r = results[-1]
    man = r["manifest"]
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
    summary = {"manifest": man, "swept": len(swept), "skipped": r["skipped"],
               "crashed": sorted(crashed), "calls": calls, "outcomes": outcomes,
               "tp_fields": r["tp_fields"], "findings": findings, "crashes": crashes}
    out = os.path.join(ROOT, BUILD, "reliability")
    os.makedirs(out, exist_ok=True)
    name = "sweep-%s.json" % os.environ["VB_SANITIZED"] if os.environ.get("VB_SANITIZED") else "sweep.json"
    with open(os.path.join(out, name), "w") as f:
        json.dump(summary, f, indent=1)

    assert not crashes, "crash or hang in: %s\n%s" % (
        ", ".join(c["last_call"] for c in crashes), crashes[0]["stderr"])
    # 100% of the manifest: swept, or skipped with a reason
    assert len(swept) + len(r["skipped"]) == man == len(set(r["order"]))
    assert all(r["per_func"].get(k, 0) > 0 or k in swept for k in swept)
    bad = [f for f in findings
           if not (f["exception"] == "MemoryError" and MEMORY_OK.search(f["case"]))]
    assert not bad, "unexpected exception kinds:\n" + "\n".join(
        "%(func)s [%(case)s]: %(exception)s: %(message)s" % f for f in bad[:40])


def test_sweep_reports_a_crash(tmp_path):
    """The harness itself: a crash (abort) inside one function is reported
    with that function's name and the sweep goes on after it."""
    only = "virDomainGetInfo,virDomainGetName,virDomainGetXMLDesc"
    results, crashes = run_sweep(tmp_path, ["--only", only],
                                 {"VB_SWEEP_CRASH_AT": "virDomainGetName"})
    assert len(crashes) == 1 and crashes[0]["status"] < 0
    assert crashes[0]["last_call"].split()[1] == "virDomainGetName"
    assert results and set(results[-1]["swept"]) == {"virDomainGetXMLDesc"}
