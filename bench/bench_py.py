#!/usr/bin/python3
"""bench_py: the Python side of `make bench` (bench/run.py drives it).

    bench_py.py IMPL calibrate [ROW...]         -> {"n": {row: N}}
    bench_py.py IMPL run ROW=N... [--runs K]     -> {"us": {row: [us per call]...}}
    bench_py.py IMPL memory [COUNT]              -> {"heap_bytes_per_object": x, ...}
    bench_py.py IMPL paired ROW=N:NC... [--runs K] [--clib SO]
                                                 -> {"us": {...}, "c_us": {...}, "rel": {...}}

"paired" also runs the C rows of bench_c.c inside this process
(build/bench/libbench_c.so through ctypes, its own test:///default
connection): each of the K runs is BLOCKS blocks of N/BLOCKS binding calls,
each beside a block of NC/BLOCKS C calls, alternating which goes first, so
that the binding is compared with C on the same libvirt state and at the same
moment.  A ROW=N without :NC runs the binding alone, as in "run".

IMPL `floor` is bench/floor.c's _vbfloor (build/bench, or
$BENCH_FLOOR_PATH): a minimal hand-written extension method per row, for the
rows info and XMLDesc only.

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
BLOCKS = 10   # paired mode: blocks per run, each beside a C block
DOMNAME = "test"


def load(impl):
    if impl == "virtbind":
        here = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, os.environ.get("VIRTBIND_PATH",
                                          os.path.join(here, "..", "build", "python")))
        import virtbind as lv
    elif impl == "libvirt":
        import libvirt as lv
    elif impl == "floor":
        here = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, os.environ.get("BENCH_FLOOR_PATH",
                                          os.path.join(here, "..", "build", "bench")))
        import _vbfloor as lv
    else:
        sys.exit("bench_py: IMPL is libvirt, virtbind or floor")
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


class FloorBench(Bench):
    """bench/floor.c's _vbfloor: only the rows it has (info, XMLDesc), the
    same loops as the bindings'"""
    def __init__(self, lv):
        self.lv = lv
        self.dom = lv.domain()
        self.rows = {"info": self.row_info, "XMLDesc": self.row_XMLDesc}


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


def take_option(args, name, default):
    if name not in args:
        return default
    i = args.index(name)
    value = args[i + 1]
    del args[i:i + 2]
    return value


def load_clib(path):
    """bench_c.c built as a library: bench_c_setup(), bench_c_run(row, n)."""
    import ctypes
    lib = ctypes.CDLL(path)
    lib.bench_c_setup.restype = ctypes.c_int
    lib.bench_c_run.restype = ctypes.c_double
    lib.bench_c_run.argtypes = [ctypes.c_char_p, ctypes.c_long]
    if lib.bench_c_setup() != 0:
        sys.exit("bench_py: bench_c_setup failed")
    return lib


def paired(b, args):
    """Each run of a paired row is BLOCKS blocks of N/BLOCKS binding calls,
    each beside a block of NC/BLOCKS C calls (alternately before and after
    it): block pairs a few ms apart see the same machine.  "us"/"c_us":
    per-call time of each whole run; "rel": binding / C - 1 of each block
    pair, what the binding adds as a fraction of the C call (a fraction, not
    a difference: when the machine slows down, as a shared VM does for
    seconds at a time, both blocks slow alike and their ratio stays)."""
    here = os.path.dirname(os.path.abspath(__file__))
    runs = int(take_option(args, "--runs", "1"))
    clib = load_clib(take_option(args, "--clib", os.path.join(here, "..", "build", "bench",
                                                               "libbench_c.so")))
    out = {"us": {}, "c_us": {}, "rel": {}}
    for spec in args:
        name, ns = spec.split("=")
        n, _, nc = ns.partition(":")
        n, nc = int(n), int(nc or 0)
        if name not in b.rows:
            continue
        fn = b.rows[name]
        fn(max(n // 10, BATCH))
        if not nc:
            out["us"][name] = [round(fn(n) * 1e6 / n, 4) for _ in range(runs)]
            continue
        row = name.encode()
        bn, bnc = max(n // BLOCKS, 1), max(nc // BLOCKS, 1)

        def c_seconds(k):
            t = clib.bench_c_run(row, k)
            if t < 0:
                sys.exit("bench_py: bench_c_run(%s) failed" % name)
            return t

        c_seconds(max(nc // 10, BATCH))
        py, c, rel = [], [], []
        for k in range(runs):
            tp = tc = 0.0
            for j in range(BLOCKS):
                if (k * BLOCKS + j) % 2 == 0:
                    bc = c_seconds(bnc)
                    bp = fn(bn)
                else:
                    bp = fn(bn)
                    bc = c_seconds(bnc)
                tp += bp
                tc += bc
                rel.append(round((bp / bn) / (bc / bnc) - 1, 5))
            py.append(round(tp * 1e6 / (bn * BLOCKS), 4))
            c.append(round(tc * 1e6 / (bnc * BLOCKS), 4))
        out["us"][name], out["c_us"][name], out["rel"][name] = py, c, rel
    return out


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    lv = load(argv[1])
    b = FloorBench(lv) if argv[1] == "floor" else Bench(lv)
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
    elif mode == "paired":
        out = paired(b, args)
    elif mode == "memory":
        out = memory(b, int(args[0]) if args else 10000)
    else:
        sys.exit(__doc__)
    out["impl"] = argv[1]
    out["module"] = lv.__file__
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv)
