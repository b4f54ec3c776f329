"""The benchmark's tools work (issue #8, docs/performance.md): the C program
times every row, bench_py.py's paired mode puts a block of in-process C calls
beside each block of binding calls for python3-libvirt, virtbind and the
floor, the in-process C library leaves the binding's error reporting alone,
and run.py's overhead ratio and interval come out of the pairs as documented.
No timing is asserted: these are tiny runs, and benchmarks are not tests.
Run: /usr/bin/python3 -m pytest tests/python/test_bench_tools.py
"""
import importlib.util
import json
import math
import os
import subprocess
import sys

import pytest

from typing_common import BUILD, PYDIR, ROOT, need_binding

BENCH = ROOT / "bench"
BENCH_C = BUILD / "bench" / "bench_c"
BENCH_C_LIB = BUILD / "bench" / "libbench_c.so"


def need_bench(*paths):
    need_binding()
    for p in (BENCH_C, BENCH_C_LIB) + paths:
        if not p.exists():
            pytest.skip("%s is not built (make check builds it)" % p)


def floor_module():
    return next((BUILD / "bench").glob("_vbfloor*.so"), None)


def bench_py(impl, *args):
    env = dict(os.environ, VIRTBIND_PATH=str(PYDIR), BENCH_FLOOR_PATH=str(BUILD / "bench"))
    p = subprocess.run([sys.executable, str(BENCH / "bench_py.py"), impl, *args],
                       capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def run_module():
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def finite_positive(xs):
    return all(isinstance(x, float) and math.isfinite(x) and x > 0 for x in xs)


def test_c_program_times_every_row():
    need_bench()
    run = run_module()   # the rows make bench asks the C program for
    rows = run.CALL_ROWS + ["events"] + run.TYPED_ROWS
    p = subprocess.run([str(BENCH_C), "run", *("%s=100" % r for r in rows), "--runs", "2"],
                       capture_output=True, text=True, check=True, timeout=120)
    us = json.loads(p.stdout)["us"]
    assert sorted(us) == sorted(rows)
    assert all(len(v) == 2 and finite_positive(v) for v in us.values())


@pytest.mark.parametrize("impl", ["libvirt", "virtbind"])
def test_paired_mode_puts_a_c_block_beside_each_binding_block(impl):
    need_bench()
    if impl == "libvirt":
        pytest.importorskip("libvirt")
    out = bench_py(impl, "paired", "info=200:300", "lookupByName_fail=100:100",
                   "lookupByName=100", "--runs", "2", "--clib", str(BENCH_C_LIB))
    assert sorted(out["rel"]) == ["info", "lookupByName_fail"]
    for row in ("info", "lookupByName_fail"):
        assert len(out["us"][row]) == 2 and finite_positive(out["us"][row])
        assert len(out["c_us"][row]) == 2 and finite_positive(out["c_us"][row])
        rel = out["rel"][row]
        assert len(rel) == 2 * 10   # runs x blocks
        assert all(math.isfinite(x) and x > -1 for x in rel)
    # a row without :NC runs the binding alone
    assert "lookupByName" in out["us"] and "lookupByName" not in out["rel"]


def test_floor_has_info_and_xmldesc_and_pairs_like_a_binding():
    need_bench()
    if floor_module() is None:
        pytest.skip("build/bench/_vbfloor is not built (make check builds it)")
    assert sorted(bench_py("floor", "calibrate")["n"]) == ["XMLDesc", "info"]
    out = bench_py("floor", "paired", "info=200:200", "XMLDesc=50:50", "--runs", "1",
                   "--clib", str(BENCH_C_LIB))
    assert sorted(out["rel"]) == ["XMLDesc", "info"]
    assert all(len(v) == 10 for v in out["rel"].values())


def test_in_process_c_runs_leave_the_bindings_errors_alone():
    """libbench_c.so silences errors on its own connection only: virtbind's
    failing calls still raise libvirtError with libvirt's code and message."""
    need_bench()
    code = """
import ctypes, json, sys
sys.path.insert(0, %r)
import virtbind
lib = ctypes.CDLL(%r)
lib.bench_c_run.restype = ctypes.c_double
lib.bench_c_run.argtypes = [ctypes.c_char_p, ctypes.c_long]
assert lib.bench_c_setup() == 0
ran = lib.bench_c_run(b"lookupByName_fail", 50)
unknown = lib.bench_c_run(b"no-such-row", 1), lib.bench_c_run(b"events", 1)
conn = virtbind.open("test:///default")
try:
    conn.lookupByName("no-such-domain")
    print(json.dumps(None))
except virtbind.libvirtError as e:
    print(json.dumps([ran > 0, list(unknown), e.get_error_code(), str(e)]))
""" % (str(PYDIR), str(BENCH_C_LIB))
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    ran, unknown, err_code, msg = json.loads(p.stdout)
    assert ran and unknown == [-1.0, -1.0]
    assert err_code == 42   # VIR_ERR_NO_DOMAIN
    assert msg.startswith("Domain not found")
    assert p.stderr == ""   # nothing printed by a default handler


def test_overhead_ratio_is_the_ratio_of_what_each_binding_adds():
    run = run_module()
    lp = [[0.40] * 10 for _ in range(6)]
    vb = [[0.20] * 10 for _ in range(6)]
    assert run.overhead_of(lp, vb) == pytest.approx(0.5)
    lo, hi = run.bootstrap(lp, vb)
    assert lo == pytest.approx(0.5) and hi == pytest.approx(0.5)
    assert run.overhead_of([[-0.01] * 10], vb) is None   # lp no slower than C: noise


def test_overhead_interval_brackets_the_estimate_and_is_reproducible():
    run = run_module()
    lp = [[0.30 + 0.02 * p + 0.001 * b for b in range(10)] for p in range(8)]
    vb = [[0.12 + 0.03 * (p % 3) + 0.002 * b for b in range(10)] for p in range(8)]
    point = run.overhead_of(lp, vb)
    lo, hi = run.bootstrap(lp, vb)
    assert lo <= point <= hi and lo < hi
    assert run.bootstrap(lp, vb) == (lo, hi)   # fixed seed
