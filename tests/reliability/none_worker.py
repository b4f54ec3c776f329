"""tests/reliability/none_worker.py — the child of tests/python/test_compat_none.py.

Runs under python3-libvirt (`import libvirt`): for each job "Class.method
PARAM" read from argv's JSON file, starting at --start, calls the method with
None for PARAM and plausible values elsewhere (sweep_worker's Env and
plausible(), on a fresh test:///default state per call), and prints one JSON
line per job: [index, outcome...].  Outcome: ["TypeError", msg],
["libvirtError", code, msg], ["ok"], ["noobj"] (test:///default has no object
of that class), ["nofunc"] (python3-libvirt has no such method), or another
exception's name.  ``@ INDEX`` goes to stderr before each call, so the parent
can name a crash and restart after it.
"""
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
    jobs_file, start = sys.argv[1], int(sys.argv[2])
    with open(jobs_file) as f:
        jobs = json.load(f)
    for i in range(start, len(jobs)):
        target, pname, sig = jobs[i]
        print("@ %d" % i, file=sys.stderr, flush=True)
        print(json.dumps([i] + outcome(target, pname, [tuple(s) for s in sig])), flush=True)


if __name__ == "__main__":
    main()
