"""tests/reliability/none_worker.py — the child of tests/python/test_compat_none.py,
run by sweep_common.run_sweep (restarted after a crash).

Runs under python3-libvirt (`import libvirt`): for each job [Class.method,
PARAM, signature] of the JSON file --jobs, from --start on, calls the method
with None for PARAM and plausible values elsewhere (sweep_worker's Env and
plausible(), on a fresh test:///default state per call), and appends one
JSON line per job to --out: [index, outcome...] (appended as it goes, so a
crash keeps what came before).  Outcome: ["TypeError", msg],
["libvirtError", code, msg], ["ok"], ["noobj"] (test:///default has no object
of that class), ["nofunc"] (python3-libvirt has no such method), or another
exception's name.  ``@ INDEX METHOD PARAM`` goes to stderr before each call
(the sweep protocol, which names a crash); at the end {"jobs": N} on stdout.
"""
import argparse
import faulthandler
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import libvirt  # noqa: E402  python3-libvirt, the reference

import sweep_worker as W  # noqa: E402  (imports virtbind too: only its tables are used)

W.V = libvirt
faulthandler.enable()
libvirt.registerErrorHandler(lambda ctx, err: None, None)


def outcome(target, pname, sig):
    env = W.Env()
    try:
        cls, meth = target.split(".", 1)
        obj = env.objs.get(cls)
        if obj is None:
            return ["noobj"]
        f = getattr(obj, meth, None)
        if f is None:
            return ["nofunc"]
        args = [None if n == pname else W.plausible(n, a, env, target) for n, a, _ in sig]
        try:
            f(*args)
            return ["ok"]
        except TypeError as e:
            return ["TypeError", str(e)[:200]]
        except libvirt.libvirtError as e:
            return ["libvirtError", e.get_error_code(), str(e)[:200]]
        except Exception as e:
            return [type(e).__name__, str(e)[:200]]
    finally:
        env.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--extras", action="store_true")   # run_sweep's; nothing extra here
    ns = ap.parse_args()
    with open(ns.jobs) as f:
        jobs = json.load(f)
    with open(ns.out, "a") as out:
        for i in range(ns.start, len(jobs)):
            target, pname, sig = jobs[i]
            print("@ %d %s %s" % (i, target, pname), file=sys.stderr, flush=True)
            out.write(json.dumps([i] + outcome(target, pname, [tuple(s) for s in sig])) + "\n")
            out.flush()
    json.dump({"jobs": len(jobs)}, sys.stdout)


if __name__ == "__main__":
    main()
