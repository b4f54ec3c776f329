#!/usr/bin/python3
"""bench/run.py: `make bench` (issue #8).  Not a test: nothing here is part of
`make check`.

Runs the C baseline (build/bench/bench_c), python3-libvirt and virtbind
(bench/bench_py.py under /usr/bin/python3) on test:///default, prints one
table and writes build/bench/results.json.

    /usr/bin/python3 bench/run.py [--rounds R] [--runs K] [--out FILE]
                                  [--virtbind-path DIR]

--virtbind-path measures another build of the module (default build/python),
e.g. one with a proposed patch (bench/proposals/) applied.

Method: N per row and implementation is calibrated once so that a run takes
~50 ms; then R rounds (default 12), each starting one fresh process per
implementation (order rotated every round) that warms up and times K runs
(default 2) of N calls per row, spread over the whole benchmark so that
other load on the machine hits all implementations alike.  Reported: the
median over the runs of the per-call time in us and the interquartile range
(q1-q3; min and max are in results.json).

The overhead ratio of the call rows comes from paired runs.  Each Python
process also runs the C rows in-process (build/bench/libbench_c.so, its own
connection): every run is 10 blocks of N/10 binding calls, each beside a
block of C calls, and the block pair gives binding / C - 1, what the binding
adds as a fraction of the C call.  Pairing removes what moves between
processes and over time on a shared machine: libvirt's per-process hash
seeds, and slowdowns of the whole VM for seconds at a time, which scale both
blocks of a pair alike.  overhead = median(vb / C - 1) / median(lp / C - 1)
over all pairs, the issue's (vb - C) / (lp - C); its 90% interval comes from
resampling the processes (bootstrap).  The floor (bench/floor.c, rows info
and XMLDesc) is measured the same way.  Import time: a fresh interpreter per sample,
perf_counter around the import statement, median of IMPORT_N.  Memory per live
virDomain over 10,000 lookups kept alive (fresh process): growth of glibc's
in-use malloc bytes (libvirt's objects; exact, unlike RSS, which is in
results.json too) plus, for Python, of tracemalloc's traced bytes (the
wrappers).  Regeneration:
`virtbind-gen --ir --python-out --cshim-out` into a temporary directory,
median of 5.  Set BENCH_TASKSET="taskset -c 1" (or "nice -n -5" ...) to prefix
every measured command.
"""
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
PY = "/usr/bin/python3"
BENCH_C = os.path.join(BUILD, "bench", "bench_c")
BENCH_PY = os.path.join(ROOT, "bench", "bench_py.py")
GEN = os.path.join(BUILD, "bin", "virtbind-gen")
VB_PATH = os.path.join(BUILD, "python")
PREFIX = shlex.split(os.environ.get("BENCH_TASKSET", ""))
IMPORT_N = 21
REGEN_N = 5
MEMORY_COUNT = 10000

IMPLS = ("c", "libvirt", "virtbind")
ROUND_IMPLS = IMPLS + ("floor",)   # bench/floor.c: only info and XMLDesc
LABEL = {"c": "C", "libvirt": "libvirt-python", "virtbind": "virtbind", "floor": "floor"}
CALL_ROWS = ["lookupByName", "info", "XMLDesc", "memoryParameters", "schedulerParameters",
             "blkioParameters", "listAllDomains", "getAllDomainStats", "lookupByName_fail",
             "create_destroy"]
TYPED_ROWS = ["memoryParameters.typed", "schedulerParameters.typed", "blkioParameters.typed",
              "getAllDomainStats.typed"]
ROW_TITLE = {
    "lookupByName_fail": "lookupByName fail (raise)",
    "create_destroy": "create+destroy (/object)",
    "events": "event dispatch (events/s)",
}
OVERHEAD_TARGET = 0.5
EVENTS_TARGET = 1.5
REGEN_TARGET = 2.0


BENCH_C_LIB = os.path.join(BUILD, "bench", "libbench_c.so")
FLOOR_DIR = os.path.join(BUILD, "bench")   # bench/floor.c's _vbfloor
BOOTSTRAP_N = 1000


def cmd_for(impl, *args):
    if impl == "c":
        return PREFIX + [BENCH_C, *args]
    return PREFIX + [PY, BENCH_PY, impl, *args]


def run_json(cmd):
    env = dict(os.environ, VIRTBIND_PATH=VB_PATH, BENCH_FLOOR_PATH=FLOOR_DIR)
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    if p.returncode != 0:
        sys.exit("bench: %s failed (%d):\n%s" % (" ".join(cmd), p.returncode, p.stderr))
    return json.loads(p.stdout)


def spread(xs):
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs),
            "q1": quantile(xs, 0.25), "q3": quantile(xs, 0.75), "n": len(xs)}


def quantile(xs, q):
    s = sorted(xs)
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def import_times():
    code = ("import sys, time; sys.path.insert(0, %r); t = time.perf_counter(); "
            "import %%s; print(time.perf_counter() - t)" % VB_PATH)
    res = {"libvirt": [], "virtbind": []}
    for i in range(IMPORT_N):
        for impl in (("libvirt", "virtbind") if i % 2 == 0 else ("virtbind", "libvirt")):
            p = subprocess.run(PREFIX + [PY, "-c", code % impl], capture_output=True, text=True,
                               check=True)
            res[impl].append(float(p.stdout) * 1e3)
    return res


def regen_times():
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        cmd = PREFIX + [GEN, "--ir", os.path.join(tmp, "ir.json"),
                        "--python-out", os.path.join(tmp, "py"),
                        "--cshim-out", os.path.join(tmp, "cshim")]
        for _ in range(REGEN_N):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            out.append(time.perf_counter() - t0)
    return out, " ".join(cmd[len(PREFIX):]).replace(tmp, "$TMP")


def overhead(c, lp, vb):
    """(vb - c) / (lp - c), None when libvirt-python did not measure slower
    than C (noise)."""
    return (vb - c) / (lp - c) if lp > c else None


def pooled(per_process):
    return [x for blocks in per_process for x in blocks]


def overhead_of(r_lp, r_vb):
    """the issue's (vb - C) / (lp - C), from what each binding adds to the C
    call beside it (median over all block pairs of all processes); None when
    libvirt-python measured no slower than C (noise)"""
    lp, vb = statistics.median(pooled(r_lp)), statistics.median(pooled(r_vb))
    return vb / lp if lp > 0 else None


def bootstrap(r_lp, r_vb):
    """5th and 95th percentile of overhead_of over BOOTSTRAP_N resamples of
    the processes (not of the blocks: a process's blocks share its memory
    layout and hash seeds, so they are not independent).  Fixed seed: the
    same data gives the same interval."""
    import random
    rnd = random.Random(8)
    ratios = []
    for _ in range(BOOTSTRAP_N):
        r = overhead_of(rnd.choices(r_lp, k=len(r_lp)), rnd.choices(r_vb, k=len(r_vb)))
        ratios.append(float("inf") if r is None else r)
    ratios.sort()
    return quantile(ratios, 0.05), quantile(ratios, 0.95)


def fmt_pct(per_process):
    return "%+.1f%%" % (100 * statistics.median(pooled(per_process)))


def fmt_ratio(x):
    return "noise" if x is None else "%.2f" % x


def fmt_us(s):
    if s is None:
        return "n/a"
    m = s["median"]
    digits = 3 if m < 10 else 2 if m < 100 else 1
    return "%.*f (%.*f-%.*f)" % (digits, m, digits, s["q1"], digits, s["q3"])


def fmt_rate(s):
    if s is None:
        return "n/a (not bound yet)"
    # events/s from us/event: the median maps over; min/max swap
    return "%.0fk (%.0fk-%.0fk)" % (1e3 / s["median"], 1e3 / s["q3"], 1e3 / s["q1"])


def table(rows):
    head = ["row", "C us", "libvirt-python us", "virtbind us", "vb/lp", "lp over C", "vb over C",
            "overhead", "90% interval", "floor over C", "floor ovh", "target", "result"]
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def main(argv):
    global VB_PATH, GEN
    rounds, runs = 12, 2
    if "--virtbind-path" in argv:
        VB_PATH = os.path.abspath(argv[argv.index("--virtbind-path") + 1])
        # time the generator of the same tree when there is one
        gen = os.path.join(os.path.dirname(VB_PATH), "bin", "virtbind-gen")
        GEN = gen if os.path.exists(gen) else GEN
    out_path = os.path.join(BUILD, "bench", "results.json")
    if "--rounds" in argv:
        rounds = int(argv[argv.index("--rounds") + 1])
    if "--runs" in argv:
        runs = int(argv[argv.index("--runs") + 1])
    if "--out" in argv:
        out_path = argv[argv.index("--out") + 1]
    for f in (BENCH_C, BENCH_C_LIB, GEN, VB_PATH):
        if not os.path.exists(f):
            sys.exit("bench: %s is missing (make demo python bench builds it)" % f)

    started = time.time()
    load_before = os.getloadavg()
    print("bench: calibrating (N per row so that a run takes ~50 ms) ...", file=sys.stderr)
    n = {impl: run_json(cmd_for(impl, "calibrate"))["n"] for impl in ROUND_IMPLS}
    samples = {impl: {} for impl in ROUND_IMPLS}
    inproc_c = {impl: {} for impl in ROUND_IMPLS[1:]}   # the paired C runs per process
    rel = {impl: {} for impl in ROUND_IMPLS[1:]}   # binding / C - 1 of each block pair, per process
    for r in range(rounds):
        print("bench: round %d/%d" % (r + 1, rounds), file=sys.stderr)
        rot = r % len(ROUND_IMPLS)
        for impl in ROUND_IMPLS[rot:] + ROUND_IMPLS[:rot]:
            if impl == "c":
                args = ["%s=%d" % (row, k) for row, k in n[impl].items()]
                res = run_json(cmd_for(impl, "run", *args, "--runs", str(runs)))
            else:
                # call rows paired with the in-process C runs (bench_py.py)
                args = ["%s=%d:%d" % (row, k, n["c"][row]) if row in CALL_ROWS
                        else "%s=%d" % (row, k) for row, k in n[impl].items()]
                res = run_json(cmd_for(impl, "paired", *args, "--runs", str(runs),
                                       "--clib", BENCH_C_LIB))
            for row, v in res["us"].items():
                samples[impl].setdefault(row, []).extend(v)
            for row, v in res.get("c_us", {}).items():
                inproc_c[impl].setdefault(row, []).extend(v)
            for row, v in res.get("rel", {}).items():
                rel[impl].setdefault(row, []).append(v)
    print("bench: memory, import, regeneration ...", file=sys.stderr)
    memory = {impl: run_json(cmd_for(impl, "memory", str(MEMORY_COUNT))) for impl in IMPLS}
    imports = import_times()
    regen, regen_cmd = regen_times()
    load_after = os.getloadavg()

    stats = {impl: {row: spread(v) for row, v in rows.items()} for impl, rows in samples.items()}
    results = {"rows": {}, "meta": {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": round(time.time() - started, 1),
        "rounds": rounds, "runs_per_round": runs, "n": n, "taskset": PREFIX,
        "loadavg_before": load_before, "loadavg_after": load_after,
        "python": sys.version.split()[0], "kernel": platform.release(),
        "cpu": cpu_model(), "nproc": os.cpu_count(),
        "libvirt": pkg_version("libvirt0"), "python3-libvirt": pkg_version("python3-libvirt"),
        "git": git_head(), "uri": "test:///default", "virtbind_path": VB_PATH,
        "generator": GEN}}
    table_rows = []

    for row in CALL_ROWS:
        c, lp, vb = (stats[i].get(row) for i in IMPLS)
        r_lp, r_vb, r_fl = (rel[i].get(row) for i in ("libvirt", "virtbind", "floor"))
        over = overhead_of(r_lp, r_vb)
        lo, hi = bootstrap(r_lp, r_vb)
        rec = {"unit": "us/call", "c": c, "libvirt": lp, "virtbind": vb,
               "c_in_process": {i: spread(inproc_c[i][row]) for i in inproc_c
                                if row in inproc_c[i]},
               "libvirt_over_c": spread(pooled(r_lp)), "virtbind_over_c": spread(pooled(r_vb)),
               "overhead_unpaired": overhead(c["median"], lp["median"], vb["median"])}
        floor_cols = ["", ""]
        if r_fl:
            rec["floor"] = stats["floor"][row]
            rec["floor_over_c"] = spread(pooled(r_fl))
            rec["floor_overhead"] = overhead_of(r_lp, r_fl)
            floor_cols = [fmt_pct(r_fl), fmt_ratio(rec["floor_overhead"])]
        ratio = vb["median"] / lp["median"]
        target = "<= %.1f" % OVERHEAD_TARGET
        if over is None:
            result = "NOISE"   # libvirt-python measured no slower than C: rerun
        else:
            result = "PASS" if over <= OVERHEAD_TARGET else "FAIL"
        rec.update(ratio=ratio, overhead=over, overhead_ci90=[lo, hi],
                   target="overhead " + target, result=result)
        results["rows"][row] = rec
        table_rows.append([ROW_TITLE.get(row, row), fmt_us(c), fmt_us(lp), fmt_us(vb),
                           "%.2f" % ratio, fmt_pct(r_lp), fmt_pct(r_vb), fmt_ratio(over),
                           "%s-%s" % (fmt_ratio(lo), fmt_ratio(hi))] + floor_cols
                          + [target, result])

    c, lp, vb = (stats[i].get("events") for i in IMPLS)
    rec = {"unit": "us/event", "c": c, "libvirt": lp, "virtbind": vb,
           "target": "virtbind events/s >= %.1f x libvirt-python" % EVENTS_TARGET}
    if vb is None:
        rec.update(result="n/a (not bound yet)")
        table_rows.append([ROW_TITLE["events"], fmt_rate(c), fmt_rate(lp), fmt_rate(None),
                           "", "", "", "", "", "", "", ">= %.1fx lp" % EVENTS_TARGET, "n/a"])
    else:
        speedup = lp["median"] / vb["median"]
        speedup_min = lp["min"] / vb["min"]
        over = overhead(c["median"], lp["median"], vb["median"])
        rec.update(speedup=speedup, speedup_at_min=speedup_min, overhead=over,
                   result="PASS" if speedup >= EVENTS_TARGET else "FAIL")
        table_rows.append([ROW_TITLE["events"], fmt_rate(c), fmt_rate(lp), fmt_rate(vb),
                           "%.2fx" % speedup, "", "", "", "%.2fx" % speedup_min + " (min)", "", "",
                           ">= %.1fx lp" % EVENTS_TARGET, rec["result"]])
    results["rows"]["events"] = rec

    for row in TYPED_ROWS:
        base = row.split(".")[0]
        c, lp, vb = (stats[i].get(row) for i in IMPLS)
        raw_c, vb_dict = stats["c"].get(base), stats["virtbind"].get(base)
        rec = {"unit": "us/call", "c": c, "c_raw": raw_c, "libvirt": lp, "virtbind": vb,
               "virtbind_dict": vb_dict, "c_typed_vs_raw": c["median"] / raw_c["median"],
               "result": "info (python3-libvirt has no typed classes)"}
        note = "C %.2fx raw" % rec["c_typed_vs_raw"]
        if vb is not None:
            rec["virtbind_typed_vs_dict"] = vb["median"] / vb_dict["median"]
            note += ", vb %.2fx dict" % rec["virtbind_typed_vs_dict"]
        else:
            rec["result"] = "n/a (no typed Python classes yet)"
        results["rows"][row] = rec
        table_rows.append([row + " (C: libvirtbind)", fmt_us(c), "n/a (no typed classes)",
                           fmt_us(vb) if vb else "n/a (not bound yet)", "", "", "", "", "", "", "",
                           note,
                           "info" if vb else "n/a"])

    imp = {k: spread(v) for k, v in imports.items()}
    ok = imp["virtbind"]["median"] <= imp["libvirt"]["median"]
    results["rows"]["import"] = {"unit": "ms", "libvirt": imp["libvirt"],
                                 "virtbind": imp["virtbind"],
                                 "ratio": imp["virtbind"]["median"] / imp["libvirt"]["median"],
                                 "target": "virtbind <= libvirt-python",
                                 "result": "PASS" if ok else "FAIL"}
    table_rows.append(["import (ms, median of %d)" % IMPORT_N, "-", fmt_us(imp["libvirt"]),
                       fmt_us(imp["virtbind"]),
                       "%.2f" % results["rows"]["import"]["ratio"], "", "", "", "", "", "", "<= lp",
                       "PASS" if ok else "FAIL"])

    mem = {"unit": "bytes/object", "c": memory["c"], "libvirt": memory["libvirt"],
           "virtbind": memory["virtbind"], "result": "info (no target)"}
    results["rows"]["memory"] = mem
    h = {i: memory[i]["heap_bytes_per_object"] for i in IMPLS}
    table_rows.append(["memory/live virDomain, heap (B)", "%.0f" % h["c"], "%.0f" % h["libvirt"],
                       "%.0f" % h["virtbind"], "%.2f" % (h["virtbind"] / h["libvirt"]), "", "", "", "",
                       "", "", "-",
                       "info"])
    table_rows.append(["  of which Python objects (B)", "-",
                       "%.0f" % memory["libvirt"]["tracemalloc_bytes_per_object"],
                       "%.0f" % memory["virtbind"]["tracemalloc_bytes_per_object"],
                       "%.2f" % (memory["virtbind"]["tracemalloc_bytes_per_object"]
                                 / memory["libvirt"]["tracemalloc_bytes_per_object"]),
                       "", "", "", "", "", "", "-", "info"])

    rg = spread(regen)
    ok = rg["median"] < REGEN_TARGET
    results["rows"]["regeneration"] = {"unit": "s", "virtbind": rg, "command": regen_cmd,
                                       "target": "< %.0f s" % REGEN_TARGET,
                                       "result": "PASS" if ok else "FAIL"}
    table_rows.append(["full regeneration (s)", "-", "-",
                       "%.3f (%.3f-%.3f)" % (rg["median"], rg["q1"], rg["q3"]), "", "", "", "", "", "", "",
                       "< %.0f s" % REGEN_TARGET, "PASS" if ok else "FAIL"])

    results["samples"] = samples
    results["samples_c_in_process"] = inproc_c
    results["pair_rel"] = rel
    results["imports_ms"] = imports
    results["regen_s"] = regen
    results["table"] = table(table_rows)
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
        f.write("\n")

    print("virtbind benchmark, test:///default, %s: %d rounds x %d runs of ~50 ms per row and "
          "implementation; us per call: median (interquartile range)"
          % (results["meta"]["date"], rounds, runs))
    print("C us: the C program.  lp/vb/floor over C: what each adds to the C call, as a fraction "
          "of it, measured beside C calls in the same process (median over %d processes x %d "
          "runs x %d block pairs).  overhead = vb over C / lp over C, the issue's (vb - C) / "
          "(lp - C) (gives PASS/FAIL), with its 90%% bootstrap interval over processes; floor: "
          "bench/floor.c, a minimal hand-written method; vb/lp = virtbind / libvirt-python"
          % (rounds, runs, len(rel["virtbind"]["info"][0]) // runs))
    print(results["table"])
    print("loadavg before %s, after %s; %s s; written to %s" % (
        "/".join("%.2f" % x for x in load_before), "/".join("%.2f" % x for x in load_after),
        results["meta"]["seconds"], os.path.relpath(out_path, ROOT)))
    return 0


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def pkg_version(pkg):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], capture_output=True,
                              text=True).stdout.strip() or None
    except OSError:
        return None


def git_head():
    try:
        p = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"],
                           capture_output=True, text=True)
        return p.stdout.strip() or None
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
