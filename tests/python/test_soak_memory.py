"""Leak soak of the Python binding virtbind (issue #9; docs/reliability.md,
"Leak soak").  The soak runs in a child Python (tests/reliability/soak_worker.py):
it registers libvirt's default event loop, which is process-global.

About 100 000 cycles of lookup / info / XMLDesc / typed-param get + set /
listAllDomains / getAllDomainStats / an error-raising call / event
registration + deregistration / a closed-connection error / suspend + resume
with both lifecycle events dispatched by the default event loop (+ an
open/lookup/close every 10 cycles): ~1.2 million calls, ~10 s.

Pass criteria, per cycle: the median of the windows' growth (a leak grows in
every window, a one-off in one), after a 5 000-cycle warm-up; no wall-clock:

* Python memory (tracemalloc) <= 2 bytes/cycle over 12 000 traced cycles: a
  leaked object is >= 28 bytes (an int; an empty list 56), so one per cycle is
  caught 14x over and one per 10 cycles (the open/close) still above the bar;
  measured: 0.04-0.6 byte/cycle, a bounded few KB of 52-byte objects the
  event-loop thread's timing leaves alive at a sample, not growing per cycle.
* C heap in use (glibc mallinfo2 uordblks + hblkhd, all arenas) <= 8
  bytes/cycle: one leaked malloc per cycle is >= 32 bytes (smallest glibc
  chunk); measured: 1.2-1.6 bytes/cycle, steady, and the same soak on
  python3-libvirt gives 1.5: libvirt's own (test driver + event callbacks).
* RSS <= 64 bytes/cycle (page granularity, arena growth in steps of a few
  hundred KB): a backstop for what mallinfo2 does not see (mmap).
* Every event dispatched (the loop kept up), the loop thread stopped.
"""
import glob
import json
import os
import statistics
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", "build")
PYDIR = os.path.join(ROOT, BUILD, "python")
WORKER = os.path.join(ROOT, "tests", "reliability", "soak_worker.py")

if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)

# Under a sanitizer (tests/reliability/asan.sh sets VB_SANITIZED, or libasan is
# preloaded) the allocator is ASan's: its quarantine makes RSS grow by design
# and mallinfo2 reports nothing, so only the Python criterion and the event
# checks apply, on a shorter soak.
SANITIZED = bool(os.environ.get("VB_SANITIZED")) or "libasan" in os.environ.get("LD_PRELOAD", "")
# Five trace windows: the median of four deltas ignores a one-off table resize.
# 3 000 cycles each, as without ASan: what the event-loop thread's timing leaves
# alive at a sample (deregistered callbacks' opaques not yet purged, a bounded
# 0-2 KB) is then <= 0.7 B/cycle; with 1 000-cycle windows it reached 1.5-2 on a
# loaded machine, at the 2 B bar (a flake in make check, Nov 2026).
SANITIZED_ARGS = "--warmup 1000 --windows 3 --cycles 3000 --trace-windows 5 --trace-cycles 3000"

PY_BYTES_PER_CYCLE = 2.0
HEAP_BYTES_PER_CYCLE = 8.0
RSS_BYTES_PER_CYCLE = 64.0


def run_soak(*args):
    env = dict(os.environ, PYTHONPATH=PYDIR)
    p = subprocess.run([sys.executable, WORKER, *args], capture_output=True, text=True,
                       env=env, timeout=int(os.environ.get("VB_SOAK_TIMEOUT", "300")))
    assert p.returncode == 0, "soak worker failed (status %d):\n%s" % (p.returncode, p.stderr[-3000:])
    return json.loads(p.stdout)


def per_cycle(values, cycles_per_window):
    """The median of the windows' growth, per cycle: a leak grows every window;
    a one-off (a global table of CPython's resized once: tracemalloc then sees
    its new, bigger table, ~400 KB, appear at whatever line ran; an allocator
    arena or heap step for RSS) moves one window only."""
    deltas = sorted(b - a for a, b in zip(values, values[1:]))
    return statistics.median(deltas) / cycles_per_window


def total_per_cycle(values, cycles_per_window):
    return (values[-1] - values[0]) / (cycles_per_window * (len(values) - 1))


def test_soak_memory(tmp_path):
    r = run_soak(*os.environ.get("VB_SOAK_ARGS", SANITIZED_ARGS if SANITIZED else "").split())
    assert r["events_dispatched"] == r["events_expected"] > 0
    assert r["loop_stopped"]
    py = per_cycle(r["traced"], r["trace_cycles_per_window"])
    heap = per_cycle(r["heap"], r["rss_cycles_per_window"]) if r["heap"][0] >= 0 else 0.0
    rss = per_cycle(r["rss"], r["rss_cycles_per_window"])
    r["per_cycle"] = {
        "python_median": py, "python_total": total_per_cycle(r["traced"], r["trace_cycles_per_window"]),
        "heap_median": heap, "heap_total": total_per_cycle(r["heap"], r["rss_cycles_per_window"]),
        "rss_median": rss, "rss_total": total_per_cycle(r["rss"], r["rss_cycles_per_window"])}
    (tmp_path / "soak.json").write_text(json.dumps(r, indent=1))
    out = os.path.join(ROOT, BUILD, "reliability")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "soak-asan.json" if SANITIZED else "soak.json"), "w") as f:
        json.dump(r, f, indent=1)

    msg = ("median growth: Python %.2f B/cycle (traced %s, growth: %s), C heap %.2f B/cycle "
           "(%s), RSS %.2f B/cycle (%s)" % (py, r["traced"], r["top_growth"], heap, r["heap"],
                                            rss, r["rss"]))
    # and no window may hide a big one: total growth bounded too (1 MB Python)
    assert r["traced"][-1] - r["traced"][0] <= 1 << 20, msg
    assert py <= PY_BYTES_PER_CYCLE, msg
    if not SANITIZED:
        assert heap <= HEAP_BYTES_PER_CYCLE, msg
        assert rss <= RSS_BYTES_PER_CYCLE, msg
