"""The sanitizer and valgrind runs `make check` (and so CI, .ci/run) includes
(issue #9; docs/reliability.md, "Sanitizers", "Valgrind", "Security"):

* test_static_checks      tests/reliability/static.sh: -Wformat=2 -Werror on
                          every C file, reviewed non-literal formats, literal
                          PyErr_Format formats, cppcheck (~5 s)
* test_valgrind_python    tests/reliability/valgrind.sh 300 60, the size of
                          make check-valgrind: 300 soak cycles of every kind of
                          call (3 900 calls, 600 events), a screenshot stream,
                          the bad-input sweep of 60 functions + typed-param and
                          event cases, under memcheck (~50 s).  The C unit tests
                          and virtbind-gen run under valgrind in
                          tests/cli/valgrind.sh, the admin sweep in
                          test_sweep_admin.py.
* test_check_asan         the whole `make check-asan`: `make asan-build`
                          (incremental), then tests/reliability/asan.sh:
                          virtbind-gen in every mode, the C unit tests, the CLI
                          and coverage tests with the ASan binaries, and the
                          whole Python suite on the ASan+UBSan extension
                          (~2 min; first build ~40 s more).  VB_ASAN_PYTEST
                          (pytest arguments) narrows the Python part.

Skipped inside a sanitizer run (VB_SANITIZED) so that check-asan does not recurse.
"""
import glob
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", "build")
PYDIR = os.path.join(ROOT, BUILD, "python")

if os.environ.get("VB_SANITIZED") or "libasan" in os.environ.get("LD_PRELOAD", ""):
    pytest.skip("inside a sanitizer run", allow_module_level=True)

needs_python = pytest.mark.skipif(
    not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")),
    reason="build/python/virtbind/_virtbind*.so is missing: run `make python` first")

def run(cmd, env=None, timeout=900):
    e = dict(os.environ, BUILD=BUILD, **(env or {}))
    # make's jobserver and flags from an enclosing `make check` do not apply
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        e.pop(k, None)
    p = subprocess.run(cmd, cwd=ROOT, env=e, capture_output=True, text=True, timeout=timeout)
    out = p.stdout + p.stderr
    assert p.returncode == 0 and "not ok - " not in out, out[-6000:]
    return out


def test_static_checks():
    run(["bash", "tests/reliability/static.sh"])


@needs_python
def test_valgrind_python():
    out = run(["bash", "tests/reliability/valgrind.sh", "300", "60"])
    assert "ok - valgrind:" in out


@needs_python
def test_check_asan():
    asan = os.path.join(BUILD, "asan")
    run(["make", "-s", "--no-print-directory", "BUILD=" + BUILD, "ASAN_BUILD=" + asan, "asan-build"])
    out = run(["bash", "tests/reliability/asan.sh"], {"ASAN_BUILD": asan})
    assert "ok - asan: Python tests under ASan" in out
    print(out)
