#!/usr/bin/python3
"""bench_py: the Python side of `make bench` (bench/run.py drives it).

    bench_py.py IMPL calibrate [ROW...]         -> {"n": {row: N}}
    bench_py.py IMPL run ROW=N... [--runs K]     -> {"us": {row: [us per call]...}}
    bench_py.py IMPL memory [COUNT]              -> {"rss_bytes_per_object": x,
                                                     "tracemalloc_bytes_per_object": y}

IMPL is `libvirt` (python3-libvirt, the Debian package) or `virtbind`
(build/python, or $VIRTBIND_PATH).  Both run the same code below, written as an
application would (`conn.lookupByName(name)`, attribute lookups included), on
the same setup as bench_c.c: default event loop registered, then
test:///default opened, the domain "test" looked up, a lifecycle callback
registered.  GC stays enabled.  Each row: a warm-up run of N/10 calls, then K
timed runs of N calls (time.perf_counter around the whole loop).
"""
import json
import os
import sys
import time

BATCH = 100   # objects per create_destroy batch, events per event batch
DOMNAME = "test"


def load(impl):
    if impl == "virtbind":
        here = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, os.environ.get("VIRTBIND_PATH",
                                          os.path.join(here, "..", "build", "python")))
        import virtbind as lv
    elif impl == "libvirt":
        import libvirt as lv
    else:
        sys.exit("bench_py: IMPL is libvirt or virtbind")
    return lv


class Bench:
    def __init__(self, lv):
        self.lv = lv
        self.events_seen = 0
        self.rows = {
            "lookupByName": self.row_lookupByName,
            "info": self.row_info,
            "XMLDesc": self.row_XMLDesc,
            "memoryParameters": self.row_memoryParameters,
            "schedulerParameters": self.row_schedulerParameters,
            "blkioParameters": self.row_blkioParameters,
            "listAllDomains": self.row_listAllDomains,
            "getAllDomainStats": self.row_getAllDomainStats,
            "lookupByName_fail": self.row_lookupByName_fail,
            "create_destroy": self.row_create_destroy,
        }
        self.has_events = all(hasattr(lv, f) for f in
                              ("virEventRegisterDefaultImpl", "virEventRunDefaultImpl")) \
            and hasattr(lv.virConnect, "domainEventRegisterAny")
        if self.has_events:
            self.rows["events"] = self.row_events
            lv.virEventRegisterDefaultImpl()
        self.conn = lv.open("test:///default")
        self.dom = self.conn.lookupByName(DOMNAME)
        if self.has_events:
            def on_lifecycle(conn, dom, event, detail, opaque):
                self.events_seen += 1
            self.cb_id = self.conn.domainEventRegisterAny(
                self.dom, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, None)

    # Each row returns the seconds it measured (normally the whole loop).
    def row_lookupByName(self, n):
        conn = self.conn
        t0 = time.perf_counter()
        for _ in range(n):
            conn.lookupByName(DOMNAME)
        return time.perf_counter() - t0

    def row_info(self, n):
        dom = self.dom
        t0 = time.perf_counter()
        for _ in range(n):
            dom.info()
        return time.perf_counter() - t0

    def row_XMLDesc(self, n):
        dom = self.dom
        t0 = time.perf_counter()
        for _ in range(n):
            dom.XMLDesc(0)
        return time.perf_counter() - t0

    def row_memoryParameters(self, n):
        dom = self.dom
        t0 = time.perf_counter()
        for _ in range(n):
            dom.memoryParameters(0)
        return time.perf_counter() - t0

    def row_schedulerParameters(self, n):
        dom = self.dom
        t0 = time.perf_counter()
        for _ in range(n):
            dom.schedulerParameters()
        return time.perf_counter() - t0

    def row_blkioParameters(self, n):
        dom = self.dom
        t0 = time.perf_counter()
        for _ in range(n):
            dom.blkioParameters(0)
        return time.perf_counter() - t0

    def row_listAllDomains(self, n):
        conn = self.conn
        t0 = time.perf_counter()
        for _ in range(n):
            conn.listAllDomains(0)
        return time.perf_counter() - t0

    def row_getAllDomainStats(self, n):
        conn = self.conn
        t0 = time.perf_counter()
        for _ in range(n):
            conn.getAllDomainStats()
        return time.perf_counter() - t0

    def row_lookupByName_fail(self, n):
        conn = self.conn
        err = self.lv.libvirtError
        codes = 0
        # python3-libvirt's default error handler prints every error on
        # stderr: keep that (it is the default behaviour) but into /dev/null
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        try:
            t0 = time.perf_counter()
            for _ in range(n):
                try:
                    conn.lookupByName("no-such-domain")
                except err as e:
                    codes += e.get_error_code()
            t = time.perf_counter() - t0
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(devnull)
        assert codes == n * self.lv.VIR_ERR_NO_DOMAIN
        return t

    def row_create_destroy(self, n):
        conn = self.conn
        t0 = time.perf_counter()
        for _ in range(n // BATCH):
            objs = [conn.lookupByName(DOMNAME) for _ in range(BATCH)]
            del objs
        return time.perf_counter() - t0

    def row_events(self, n):
        dom, run = self.dom, self.lv.virEventRunDefaultImpl
        t = 0.0
        for _ in range(n // BATCH):
            want = self.events_seen + BATCH
            for _ in range(BATCH // 2):
                dom.suspend()
                dom.resume()
            t0 = time.perf_counter()
            while self.events_seen < want:
                run()
            t += time.perf_counter() - t0
        return t

    def calibrate(self, fn, target=0.05):
        n = BATCH
        t = fn(n)
        while t < 0.02:
            n *= 2
            t = fn(n)
        want = -(-int(n * target / t) // BATCH) * BATCH
        return max(want, BATCH)


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGESIZE")


def memory(b, count):
    """RSS growth (libvirt's objects + the wrappers) and Python-heap growth
    (tracemalloc: the wrappers only) per virDomain kept alive."""
    import gc
    import tracemalloc
    conn = b.conn
    gc.collect()
    before = rss_bytes()
    objs = [conn.lookupByName(DOMNAME) for _ in range(count)]
    rss = (rss_bytes() - before) / count
    del objs
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    objs = [conn.lookupByName(DOMNAME) for _ in range(count)]
    # the list itself (8 bytes a slot) is not part of the object
    traced = (tracemalloc.get_traced_memory()[0] - base - sys.getsizeof(objs)) / count
    tracemalloc.stop()
    del objs
    return {"rss_bytes_per_object": rss, "tracemalloc_bytes_per_object": traced}


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    lv = load(argv[1])
    b = Bench(lv)
    mode, args = argv[2], argv[3:]
    if mode == "calibrate":
        names = args or list(b.rows)
        out = {"n": {r: b.calibrate(b.rows[r]) for r in names if r in b.rows}}
    elif mode == "run":
        runs = 1
        if "--runs" in args:
            i = args.index("--runs")
            runs = int(args[i + 1])
            del args[i:i + 2]
        out = {"us": {}}
        for spec in args:
            name, n = spec.split("=")
            n = int(n)
            if name not in b.rows:
                continue
            fn = b.rows[name]
            fn(max(n // 10, BATCH))
            out["us"][name] = [round(fn(n) * 1e6 / n, 4) for _ in range(runs)]
    elif mode == "memory":
        out = memory(b, int(args[0]) if args else 10000)
    else:
        sys.exit(__doc__)
    out["impl"] = argv[1]
    out["module"] = lv.__file__
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv)
