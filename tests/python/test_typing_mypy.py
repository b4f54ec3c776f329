"""mypy --strict on the generated stubs and the example programs in
tests/mypy/ (they must pass), and on tests/mypy/negative/rejected.py (every
line marked `# E: code[|code]` must be reported, nothing else).  Two mypy
runs, cached in a temporary directory; the examples also run for real against
test:///default."""
import os
import re
import subprocess
import sys

import pytest

from typing_common import MYPY_DIR, PKG, PYDIR, ROOT, need_binding, run_mypy

EXAMPLES = sorted(p for p in MYPY_DIR.glob("*.py"))
NEGATIVE = MYPY_DIR / "negative" / "rejected.py"
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<sev>error|note): (?P<msg>.*?)(?:  \[(?P<code>[a-z-]+)\])?$")


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("mypy-cache")


def test_examples_and_stubs_pass_strict(cache):
    need_binding()
    files = EXAMPLES + [PKG / "__init__.pyi", PKG / "typed.pyi",
                        PYDIR / "compat" / "libvirt.pyi", PYDIR / "compat" / "libvirt_qemu.pyi",
                        PYDIR / "compat" / "libvirt_lxc.pyi"]
    for extra in ("virtbind_admin.pyi", "compat/libvirtmod.pyi", "compat/libvirtmod_qemu.pyi",
                  "compat/libvirtmod_lxc.pyi"):
        if (PYDIR / extra).exists():
            files.append(PYDIR / extra)
    assert len(EXAMPLES) >= 4
    rc, out = run_mypy(files, cache)
    assert rc == 0, out


def test_negative_cases_are_rejected(cache):
    need_binding()
    expected = {}
    for no, text in enumerate(NEGATIVE.read_text().split("\n"), 1):
        m = re.search(r"# E: ([a-z|-]+)\s*$", text)
        if m:
            expected[no] = set(m.group(1).split("|"))
    assert len(expected) >= 15
    rc, out = run_mypy([NEGATIVE], cache)
    assert rc == 1, out
    got = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if not m or m.group("sev") != "error":
            continue
        got.setdefault(int(m.group("line")), set()).add(m.group("code"))
    unexpected = sorted(set(got) - set(expected))
    missed = sorted(set(expected) - set(got))
    assert not unexpected, "errors on unmarked lines %s:\n%s" % (unexpected, out)
    assert not missed, "lines not rejected %s:\n%s" % (missed, out)
    wrong = {n: (expected[n], got[n]) for n in expected if not expected[n] & got[n]}
    assert not wrong, "other error codes than marked: %s" % wrong


@pytest.mark.parametrize("example", ["list_domains.py", "typed_params.py", "errors.py",
                                     "events.py", "compat_libvirt.py"])
def test_examples_run(example):
    need_binding()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PYDIR), str(PYDIR / "compat")]))
    r = subprocess.run([sys.executable, str(MYPY_DIR / example)], capture_output=True,
                       text=True, env=env, cwd=str(ROOT), timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
