"""The representative sanitizer and valgrind runs `make check` includes (issue #9;
docs/reliability.md, "Sanitizers", "Valgrind", "Security").  The full runs are
`make check-asan` (~2.5 min) and `make check-valgrind`; these are subsets sized
by count, not by clock:

* test_static_checks      tests/reliability/static.sh: -Wformat=2 -Werror on
                          every C file, reviewed non-literal formats, literal
                          PyErr_Format formats, cppcheck (~5 s)
* test_valgrind_subset    tests/reliability/valgrind.sh 100 10: 100 soak cycles
                          of every kind of call (~1 300 calls, 200 events), a
                          screenshot stream, the bad-input sweep of 10 functions
                          + typed-param and event cases, under memcheck (~15 s)
* test_asan_subset        `make asan-build` (incremental), then
                          tests/reliability/asan.sh: virtbind-gen in every mode
                          and the C unit tests under ASan + LeakSanitizer, and
                          the slice, sweep, soak and remote tests with the
                          ASan+UBSan extension (~60 s; first build ~40 s more)

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

ASAN_PYTEST = ("tests/python/test_python_slice.py tests/python/test_sweep_inputs.py "
               "tests/python/test_soak_memory.py tests/python/test_remote_basic.py")


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
def test_valgrind_subset():
    out = run(["bash", "tests/reliability/valgrind.sh", "100", "10"])
    assert "ok - valgrind:" in out


@needs_python
def test_asan_subset():
    asan = os.path.join(BUILD, "asan")
    run(["make", "-s", "--no-print-directory", "BUILD=" + BUILD, "ASAN_BUILD=" + asan, "asan-build"])
    out = run(["bash", "tests/reliability/asan.sh"],
              {"ASAN_BUILD": asan, "VB_ASAN_PARTS": "gen,c,python", "VB_ASAN_PYTEST": ASAN_PYTEST})
    assert "ok - asan: Python tests under ASan" in out
