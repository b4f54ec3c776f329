"""Bad-input sweep of the Python binding virtbind (issue #9; docs/reliability.md,
"Bad-input sweep").

tests/reliability/sweep_worker.py, in a child Python in a scratch directory,
calls 100% of ``virtbind.__virtbind_manifest__`` (signatures from the
generated stubs) with wrong types, None, negative and huge integers, str with
NUL, bytes for str, format probes, wrong arity and keywords, a wrong ``self``,
on a closed connection and on objects whose connection was closed; then
typed-parameter dicts and event registration.  Only TypeError, OverflowError,
ValueError, LookupError (unknown typed-parameter field) and libvirtError may
come out.

A crash or a hang (the worker's faulthandler timer, VB_SWEEP_HANG_S, default
30 s per function) ends the child: the test names the last call from its
progress lines, restarts it after that function, and fails at the end with
every such function listed.  The figures land in $BUILD/reliability/sweep.json.
"""
import glob
import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", "build")
PYDIR = os.path.join(ROOT, BUILD, "python")
WORKER = os.path.join(ROOT, "tests", "reliability", "sweep_worker.py")
sys.path.insert(0, os.path.join(ROOT, "tests", "reliability"))
import sweep_common  # noqa: E402

if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)

def run_sweep(tmp_path, extra_args=(), extra_env=None):
    env = dict(os.environ, PYTHONPATH=PYDIR, **(extra_env or {}))
    return sweep_common.run_sweep(WORKER, tmp_path, env, extra_args,
                                  timeout=int(os.environ.get("VB_SWEEP_TIMEOUT", "900")))


def test_sweep_inputs(tmp_path):
    results, crashes = run_sweep(tmp_path)
    assert results, "the sweep never finished:\n%s" % json.dumps(crashes, indent=1)[-4000:]
    summary = sweep_common.summarize(results, crashes)
    sweep_common.write_summary(ROOT, BUILD, "sweep.json", summary)
    r = results[-1]
    assert not crashes, "crash or hang in: %s\n%s" % (
        ", ".join(c["last_call"] for c in crashes), crashes[0]["stderr"])
    # 100% of the manifest: swept, or skipped with a reason
    assert summary["swept"] + len(r["skipped"]) == r["manifest"] == len(set(r["order"]))
    # (MemoryError for a caller-given 2**63-byte buffer was accepted until the
    # binding checked buffer sizes before allocating, f553b62: no longer)
    bad = summary["findings"]
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
