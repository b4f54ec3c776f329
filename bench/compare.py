#!/usr/bin/python3
"""bench/compare.py RESULTS.json...: one line per row with each run's
virtbind median (us), overhead ratio with its 90% interval (call rows),
speedup (events) or
virtbind/libvirt-python ratio (import), and result -- to see how much the
verdicts move between runs of `make bench`."""
import json
import sys


def cell(row, rec):
    r = rec.get("result", "")
    r = r if r in ("PASS", "FAIL", "NOISE") else "-"
    if "overhead" in rec and "speedup" not in rec:
        o = rec["overhead"]
        o = "noise" if o is None or o == float("inf") else "%.2f" % o
        if rec.get("overhead_ci90"):
            o += " (%.2f-%.2f)" % tuple(rec["overhead_ci90"])
        return "%.3f %s %s" % (rec["virtbind"]["median"], o, r)
    if "speedup" in rec:
        return "%.0fk/s %.2fx %s" % (1e3 / rec["virtbind"]["median"], rec["speedup"], r)
    if row == "import":
        return "%.1fms %.2f %s" % (rec["virtbind"]["median"], rec["ratio"], r)
    if row == "regeneration":
        return "%.3fs %s" % (rec["virtbind"]["median"], r)
    return None


def main(paths):
    runs = [json.load(open(p)) for p in paths]
    rows = [r for r in runs[0]["rows"] if cell(r, runs[0]["rows"][r])]
    print("| row | " + " | ".join("%s (%s)" % (p.rsplit("/", 1)[-1], run["meta"]["date"][11:16])
                                   for p, run in zip(paths, runs)) + " |")
    print("|---|" + "---|" * len(runs))
    for row in rows:
        print("| %s | %s |" % (row, " | ".join(cell(row, run["rows"][row]) or "-" for run in runs)))


if __name__ == "__main__":
    main(sys.argv[1:])
