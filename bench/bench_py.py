#!/usr/bin/python3
"""bench_py: the Python side of `make bench` (bench/run.py drives it).

    bench_py.py IMPL calibrate [ROW...]         -> {"n": {row: N}}
    bench_py.py IMPL run ROW=N... [--runs K]     -> {"us": {row: [us per call]...}}
    bench_py.py IMPL memory [COUNT]              -> {"heap_bytes_per_object": x, ...}

IMPL is `libvirt` (python3-libvirt, the Debian package) or `virtbind`
(build/python, or $VIRTBIND_PATH).  Both run the same code below, written as an
application would (`conn.lookupByName(name)`, attribute lookups included), on
the same setup as bench_c.c: default event loop registered, then
test:///default opened, the domain "test" looked up, a lifecycle callback
registered.  GC stays enabled.  Each row: a warm-up run of N/10 calls, then K
timed runs of N calls (time.perf_counter around the whole loop).  The
*.typed rows use the binding's typed-parameter classes (IMPL.typed, e.g.
virtbind.typed.get_memory_parameters(dom, 0)) when it has them.
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
            # the str decode every binding returning XMLDesc's document as a
            # str must do (no binding involved: the same in both processes)
            "str_decode": self.row_str_decode,
            "str_decode_empty": self.row_str_decode_empty,
        }
        # typed-parameter classes (virtbind.typed), when the binding has them
        try:
            import importlib
            self.typed = importlib.import_module(lv.__name__ + ".typed")
        except ImportError:
            self.typed = None
        if self.typed is not None:
            self.rows.update({
                "memoryParameters.typed": self.row_memoryParameters_typed,
                "schedulerParameters.typed": self.row_schedulerParameters_typed,
                "blkioParameters.typed": self.row_blkioParameters_typed,
                "getAllDomainStats.typed": self.row_getAllDomainStats_typed,
            })
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

    def row_str_decode(self, n):
        raw = self.dom.XMLDesc(0).encode()
        t0 = time.perf_counter()
        for _ in range(n):
            raw.decode("utf-8", "surrogateescape")
        return time.perf_counter() - t0

    def row_str_decode_empty(self, n):
        raw = b""   # the same call returning the cached empty str: its overhead
        t0 = time.perf_counter()
        for _ in range(n):
            raw.decode("utf-8", "surrogateescape")
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

    def row_memoryParameters_typed(self, n):
        dom, get = self.dom, self.typed.get_memory_parameters
        t0 = time.perf_counter()
        for _ in range(n):
            get(dom, 0)
        return time.perf_counter() - t0

    def row_schedulerParameters_typed(self, n):
        dom, get = self.dom, self.typed.get_scheduler_parameters
        t0 = time.perf_counter()
        for _ in range(n):
            get(dom)
        return time.perf_counter() - t0

    def row_blkioParameters_typed(self, n):
        dom, get = self.dom, self.typed.get_blkio_parameters
        t0 = time.perf_counter()
        for _ in range(n):
            get(dom, 0)
        return time.perf_counter() - t0

    def row_getAllDomainStats_typed(self, n):
        conn, get = self.conn, self.typed.get_all_domain_stats
        t0 = time.perf_counter()
        for _ in range(n):
            get(conn)
        return time.perf_counter() - t0

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


def malloc_bytes():
    """glibc's in-use bytes (mallinfo2: uordblks + hblkhd): libvirt's objects
    and whatever Python takes from malloc directly."""
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost")]
    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = MallInfo2
    mi = libc.mallinfo2()
    return mi.uordblks + mi.hblkhd


def memory(b, count):
    """Per virDomain kept alive (the list holding them allocated beforehand):
    malloc-heap growth (libvirt's object; exact) plus Python-heap growth
    (tracemalloc: the wrapper; measured in a second pass, since tracemalloc's
    own bookkeeping is malloc'd); and RSS growth (noisy: freed memory is
    reused)."""
    import gc
    import tracemalloc
    conn = b.conn
    malloc_bytes()   # load ctypes and libc before measuring
    listsize = sys.getsizeof([None] * count)
    # pass 1: RSS and malloc (tracemalloc off: its own bookkeeping is malloc'd)
    gc.collect()
    objs = [None] * count
    rss0, heap0 = rss_bytes(), malloc_bytes()
    for i in range(count):
        objs[i] = conn.lookupByName(DOMNAME)
    heap1, rss1 = malloc_bytes(), rss_bytes()
    del objs
    # pass 2: the Python heap
    gc.collect()
    tracemalloc.start()
    objs = [None] * count
    traced0 = tracemalloc.get_traced_memory()[0]
    for i in range(count):
        objs[i] = conn.lookupByName(DOMNAME)
    traced1 = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del objs
    rss = (rss1 - rss0) / count
    c_heap = (heap1 - heap0) / count
    py_heap = (traced1 - traced0) / count
    return {"heap_bytes_per_object": c_heap + py_heap, "malloc_bytes_per_object": c_heap,
            "tracemalloc_bytes_per_object": py_heap, "rss_bytes_per_object": rss}


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
