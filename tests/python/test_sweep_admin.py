"""Bad-input sweep of the admin module virtbind_admin (issue #9; docs/reliability.md,
"Bad-input sweep"): tests/reliability/sweep_admin_worker.py, in a child Python
in a scratch directory, calls 100% of ``virtbind_admin.__virtbind_manifest__``
against a private libvirtd (tests/lib/libvirtd.py, its admin socket) with the
main sweep's bad values (tests/reliability/sweep_common.py), wrong arity and
keywords, a wrong ``self``, a closed admin connection; then the typed
parameters of setThreadPoolParameters / setClientLimits and close-callback
registration.  Only TypeError, OverflowError, ValueError, LookupError and
libvirtError may come out; a crash or hang names the call (as in
test_sweep_inputs.py).  The daemon must still answer afterwards, with its
settings as found.  Figures: $BUILD/reliability/sweep-admin.json.
"""
import glob
import json
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", "build")
PYDIR = os.path.join(ROOT, BUILD, "python")
WORKER = os.path.join(ROOT, "tests", "reliability", "sweep_admin_worker.py")
sys.path.insert(0, os.path.join(ROOT, "tests", "reliability"))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
import sweep_common  # noqa: E402
from libvirtd import daemon, libvirtd_daemon  # noqa: E402,F401

if not glob.glob(os.path.join(PYDIR, "virtbind_admin*.so")):
    pytest.skip("build/python/virtbind_admin*.so is missing: run `make python` first",
                allow_module_level=True)


def admin_uri(d):
    return d.admin_uri


def run_sweep(d, tmp_path, extra_args=(), extra_env=None):
    if not d.running():
        d.restart()
    env = dict(os.environ, PYTHONPATH=PYDIR, LIBVIRT_ADMIN_DEFAULT_URI=admin_uri(d),
               **(extra_env or {}))
    return sweep_common.run_sweep(
        WORKER, tmp_path, env,
        ["--uri", admin_uri(d), "--main-socket", d.socket, *extra_args],
        timeout=int(os.environ.get("VB_SWEEP_TIMEOUT", "900")))


def settings(d):
    code = textwrap.dedent("""
        import json, sys, virtbind_admin as adm
        c = adm.open(sys.argv[1])
        s = {n: c.lookupServer(n) for n in ('libvirtd', 'admin')}
        print(json.dumps([c.getLoggingOutputs(), c.getLoggingFilters() or '',
                          {n: {k: v for k, v in x.getThreadPoolParameters().items()
                               if k in ('minWorkers', 'maxWorkers', 'prioWorkers')}
                           for n, x in s.items()},
                          {k: v for k, v in s['libvirtd'].getClientLimits().items()
                           if k.endswith('_max')}]))
    """)
    r = subprocess.run([sys.executable, "-c", code, admin_uri(d)], capture_output=True,
                       text=True, timeout=60, env=dict(os.environ, PYTHONPATH=PYDIR))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_sweep_admin(daemon, tmp_path):
    before = settings(daemon)
    pid = daemon.pid
    results, crashes = run_sweep(daemon, tmp_path)
    assert results, "the admin sweep never finished:\n%s" % json.dumps(crashes, indent=1)[-4000:]
    summary = sweep_common.summarize(results, crashes)
    sweep_common.write_summary(ROOT, BUILD, "sweep-admin.json", summary)
    assert not crashes, "crash or hang in: %s\n%s" % (
        ", ".join(c["last_call"] for c in crashes), crashes[0]["stderr"])
    r = results[-1]
    # 100% of the admin manifest, each function called
    assert summary["swept"] == r["manifest"] == len(set(r["order"])) >= 28
    assert all(any(t.startswith(k + " ") for t in r["per_func"]) for k in summary["swept_names"])
    assert summary["tp_fields"] >= 10
    assert not summary["findings"], "unexpected exception kinds:\n" + "\n".join(
        "%(func)s [%(case)s]: %(exception)s: %(message)s" % f for f in summary["findings"][:40])
    # the daemon survived, answers, and has its settings back
    assert daemon.running() and daemon.pid == pid
    assert settings(daemon) == before


def test_sweep_admin_reports_a_crash(daemon, tmp_path):
    """The harness: an abort inside one admin function is reported with its
    name and the sweep goes on after it."""
    only = "virAdmConnectGetURI,virAdmConnectIsAlive,virAdmConnectListServers"
    results, crashes = run_sweep(daemon, tmp_path, ["--only", only],
                                 {"VB_SWEEP_CRASH_AT": "virAdmConnectIsAlive"})
    assert len(crashes) == 1 and crashes[0]["status"] < 0
    assert crashes[0]["last_call"].split()[1] == "virAdmConnectIsAlive"
    assert results and set(results[-1]["swept"]) == {"virAdmConnectListServers"}


@pytest.mark.skipif(bool(os.environ.get("VB_SANITIZED")) or "libasan" in os.environ.get("LD_PRELOAD", ""),
                    reason="valgrind does not run inside an ASan run")
def test_sweep_admin_under_valgrind(daemon, tmp_path):
    """The whole admin sweep (extras included) under memcheck: no invalid
    read/write, no uninitialised value, no definite leak (the suppressions of
    tests/reliability/valgrind.sh; none names virtbind)."""
    import shutil
    if not shutil.which("valgrind"):
        pytest.skip("valgrind is not installed (make deps)")
    if not daemon.running():
        daemon.restart()
    supps = ["--suppressions=" + os.path.join(ROOT, "tests", "valgrind", "python.supp")]
    if os.path.exists("/usr/lib/valgrind/python3.supp"):
        supps.append("--suppressions=/usr/lib/valgrind/python3.supp")
    log = tmp_path / "vg.log"
    env = dict(os.environ, PYTHONPATH=PYDIR, PYTHONMALLOC="malloc",
               LIBVIRT_ADMIN_DEFAULT_URI=admin_uri(daemon))
    p = subprocess.run(
        ["valgrind", "--log-file=%s" % log, "--leak-check=full", "--show-leak-kinds=definite",
         "--errors-for-leak-kinds=definite", "--error-exitcode=9", "--num-callers=40", *supps,
         sys.executable, WORKER, "--uri", admin_uri(daemon), "--main-socket", daemon.socket,
         "--extras"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    text = log.read_text()
    assert p.returncode == 0 and "ERROR SUMMARY: 0 errors" in text, text[-6000:] + p.stderr[-2000:]
    r = json.loads(p.stdout)
    assert r["findings"] == [] and len(r["swept"]) == r["manifest"]
    lost = [ln for ln in text.splitlines() if "definitely lost:" in ln]
    print("admin sweep under valgrind: %d calls; %s" % (r["calls"], lost[-1] if lost else "no leak summary"))
