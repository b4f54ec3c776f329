"""None for string parameters, virtbind against python3-libvirt.

python3-libvirt's generator passes every `const char *` as nullable: None
reaches libvirt, which rejects it (VIR_ERR_INVALID_ARG), accepts it, or —
where it checks nothing — crashes.  virtbind accepts None where the API XML's
text (or a reviewed annotation, api-xml/annotations.txt) says NULL is
allowed, and raises TypeError elsewhere (its stubs: `Optional[str]` against
`str`).  This test calls python3-libvirt with None for every parameter
virtbind types as plain `str` (tests/reliability/none_worker.py, one
process, restarted after a crash by sweep_common.run_sweep) and fails where libvirt accepted NULL: a
libvirt-python program passing None there would break under virtbind.
Run: /usr/bin/python3 -m pytest tests/python/test_compat_none.py
"""
import json
import os
import sys

import pytest

from typing_common import PYDIR, ROOT, need_binding

RELIABILITY = os.path.join(str(ROOT), "tests", "reliability")
sys.path.insert(0, RELIABILITY)
import sweep_common  # noqa: E402

# libvirt reached with NULL and failing for a reason other than the NULL
# (reviewed: NULL is not valid there, so TypeError is the better answer)
NOT_NULLABLE = {
    ("virDomain.managedSaveDefineXML", "dxml"):
        "libvirt checks nothing before the driver (the test driver: NO_SUPPORT); the "
        "qemu driver parses the XML: NULL is no domain definition",
    ("virDomain.interfaceParameters", "device"):
        "python3-libvirt crashes: libvirt dereferences the NULL device (SIGSEGV)",
    ("virDomain.setBlockIoTune", "disk"):
        "python3-libvirt refuses the empty dict first; NULL is valid only in the size probe",
    ("virDomain.setInterfaceParameters", "device"):
        "python3-libvirt refuses the empty dict first; libvirt needs the device",
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    need_binding()
    try:
        import libvirt  # noqa: F401
    except ImportError:
        pytest.skip("python3-libvirt is not installed")
    sigs = sweep_common.load_signatures(os.path.join(str(PYDIR), "virtbind", "__init__.pyi"))
    jobs = [(t, n, sig) for t, sig in sorted(sigs.items()) if "." in t
            for n, ann, _ in sig if ann == "str"]
    tmp = tmp_path_factory.mktemp("none")
    path, out = tmp / "jobs.json", tmp / "outcomes.jsonl"
    path.write_text(json.dumps(jobs))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PYDIR), RELIABILITY]))
    results, crashes = sweep_common.run_sweep(
        os.path.join(RELIABILITY, "none_worker.py"), str(tmp), env,
        ["--jobs", str(path), "--out", str(out)], timeout=300)
    assert results, "the worker never finished: %s" % crashes
    got = {}
    for line in out.read_text().splitlines():
        row = json.loads(line)
        got[row[0]] = row[1:]
    for c in crashes:             # "@ INDEX METHOD PARAM" of the call that crashed
        got[int(c["last_call"].split()[0])] = ["crash", c["status"]]
    return {(jobs[i][0], jobs[i][1]): got[i] for i in got}, len(jobs)


def test_every_plain_str_parameter_was_tried(outcomes):
    got, njobs = outcomes
    assert len(got) == njobs and njobs > 50


def test_none_is_refused_by_libvirt_wherever_virtbind_refuses_it(outcomes):
    got, _ = outcomes
    accepted = {}
    for key, out in got.items():
        if out[0] in ("noobj", "nofunc", "TypeError") or key in NOT_NULLABLE:
            continue
        if out[0] == "libvirtError" and out[1] == 8:   # VIR_ERR_INVALID_ARG: NULL refused
            continue
        accepted[key] = out
    assert accepted == {}, "libvirt took NULL where virtbind's stub says str: %s" % accepted


def test_reviewed_exceptions_still_behave_as_reviewed(outcomes):
    got, _ = outcomes
    for key in NOT_NULLABLE:
        assert key in got, key
        assert got[key][0] != "ok", (key, got[key])
