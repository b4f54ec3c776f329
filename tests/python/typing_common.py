"""Shared helpers of the typing tests (tests/python/test_typing_*.py)."""
import ast
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("BUILD", ROOT / "build"))
if not BUILD.is_absolute():
    BUILD = ROOT / BUILD
PYDIR = BUILD / "python"
PKG = PYDIR / "virtbind"
STUB = PKG / "__init__.pyi"
MYPY_DIR = ROOT / "tests" / "mypy"


def need_binding():
    """Skip unless the built package, its stubs and typed.py are there."""
    if not list(PKG.glob("_virtbind*.so")) or not STUB.exists() or not (PKG / "typed.py").exists():
        pytest.skip("build/python lacks the virtbind package or its stubs (make python)")
    for p in (str(PYDIR), str(PYDIR / "compat")):
        if p not in sys.path:
            sys.path.insert(0, p)


def mypy_cmd():
    if shutil.which("mypy") or os.path.exists("/usr/bin/mypy"):
        try:
            subprocess.run([sys.executable, "-m", "mypy", "--version"], check=True,
                           capture_output=True)
            return [sys.executable, "-m", "mypy"]
        except (subprocess.CalledProcessError, OSError):
            pass
    pytest.skip("mypy is not installed (apt install mypy)")


def run_mypy(files, cache_dir):
    """mypy --strict over FILES with the build's package on MYPYPATH."""
    env = dict(os.environ, MYPYPATH=os.pathsep.join([str(PYDIR), str(PYDIR / "compat")]))
    r = subprocess.run(mypy_cmd() + ["--strict", "--cache-dir", str(cache_dir),
                                     "--no-error-summary", "--show-error-codes"]
                       + [str(f) for f in files],
                       capture_output=True, text=True, env=env, cwd=str(ROOT))
    return r.returncode, r.stdout + r.stderr


def stub_tree(path=STUB):
    return ast.parse(path.read_text())


def parse_signature(doc):
    """'name(a, b=0, c=None) -> ...' -> (name, [(param, default or None)])."""
    line = (doc or "").split("\n")[0]
    if "(" not in line or ")" not in line:
        return None
    name = line[:line.index("(")].strip()
    inner = line[line.index("(") + 1:line.index(")")]
    params = []
    for tok in inner.split(","):
        tok = tok.strip()
        if not tok:
            continue
        if "=" in tok:
            k, v = tok.split("=", 1)
            params.append((k.strip(), v.strip()))
        else:
            params.append((tok, None))
    return name, params


def def_params(node):
    """[(name, default source or None)] of an ast.FunctionDef, without self."""
    a = node.args
    names = [x.arg for x in a.args]
    defaults = [None] * (len(a.args) - len(a.defaults)) + [ast.unparse(d) for d in a.defaults]
    out = list(zip(names, defaults))
    if out and out[0][0] == "self":
        out = out[1:]
    return out
