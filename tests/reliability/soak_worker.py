"""tests/reliability/soak_worker.py — the child process of the leak soak
(tests/python/test_soak_memory.py); prints one JSON object on stdout.

One *cycle* runs every kind of call the soak covers once, on test:///default:

    lookupByName, info, XMLDesc, memoryParameters + setMemoryParameters
    (typed-param get + set), listAllDomains, getAllDomainStats, an error-raising
    call (lookupByName of a missing domain -> libvirtError, err read),
    domainEventRegisterAny + domainEventDeregisterAny, a closed-connection
    error (getType on a close()d connection, every --conn-every cycles a new
    connection is opened and closed), and — with the default event loop
    (virEventRegisterDefaultImpl + a thread running virEventRunDefaultImpl,
    woken by a virEventAddTimeout timer) — suspend + resume, whose two
    lifecycle events are dispatched to a Python callback.

Phases (each window ends with: every event dispatched, 0.2 s for the loop
thread's deferred frees, gc.collect(), then the measurement):
  warm-up   --warmup cycles (caches, libvirt's lazily created objects, the
            allocator's arenas settle)
  rss       --windows windows of --cycles cycles; RSS (/proc/self/statm) and
            the C heap in use (glibc mallinfo2) after each window
  trace     tracemalloc started, --trace-windows windows of --trace-cycles
            cycles; traced Python memory after each window, plus the top
            growing allocation sites between the first and last window
"""
import argparse
import ctypes
import gc
import json
import os
import sys
import threading
import time
import tracemalloc

import virtbind as V

URI = "test:///default"
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                 "fsmblks", "uordblks", "fordblks", "keepcost")]


_libc = ctypes.CDLL(None)
try:
    _libc.mallinfo2.restype = _Mallinfo2
except AttributeError:  # glibc < 2.33
    _libc = None


def heap():
    """Bytes malloc() has handed out and not had back, all arenas (glibc's
    mallinfo2: uordblks + hblkhd): C allocations of libvirt and the binding,
    exact, without RSS's page and fragmentation noise.  -1 without mallinfo2."""
    if _libc is None:
        return -1
    m = _libc.mallinfo2()
    return m.uordblks + m.hblkhd


def sample():
    return [rss(), heap()]


class Loop:
    """libvirt's default event loop on a thread, kept awake by a timer."""

    def __init__(self):
        V.virEventRegisterDefaultImpl()
        self.stop = False
        self.ticks = 0
        self.timer = V.virEventAddTimeout(10, self._tick, None)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _tick(self, timer, opaque):
        self.ticks += 1

    def _run(self):
        while not self.stop:
            V.virEventRunDefaultImpl()

    def close(self):
        self.stop = True
        V.virEventRemoveTimeout(self.timer)
        self.thread.join(10)
        return not self.thread.is_alive()


class Soak:
    def __init__(self, events, conn_every):
        self.conn = V.open(URI)
        self.events = events
        self.conn_every = conn_every
        self.dispatched = 0
        self.expected = 0
        self.calls = 0
        self.n = 0
        self.closed = V.open(URI)
        self.closed.close()
        if events:
            self.ev_dom = self.conn.createXML(
                "<domain type='test'><name>soak-ev</name><memory>1024</memory>"
                "<os><type>hvm</type></os></domain>", 0)
            self.ev_id = self.conn.domainEventRegisterAny(
                self.ev_dom, V.VIR_DOMAIN_EVENT_ID_LIFECYCLE, self._on_event, None)

    def _on_event(self, conn, dom, event, detail, opaque):
        self.dispatched += 1

    def cycle(self):
        c = self.conn
        d = c.lookupByName("test")
        d.info()
        d.XMLDesc(0)
        mp = d.memoryParameters(0)
        d.setMemoryParameters({"hard_limit": mp.get("hard_limit", 0) or 1 << 20}, 0)
        c.listAllDomains(0)
        c.getAllDomainStats(0, 0)
        try:
            c.lookupByName("no-such-domain")
        except V.libvirtError as e:
            e.get_error_code()
            e.get_error_message()
        if self.events:  # registration needs an event loop
            cid = c.domainEventRegisterAny(d, V.VIR_DOMAIN_EVENT_ID_REBOOT, self._on_event, [1])
            c.domainEventDeregisterAny(cid)
        try:
            self.closed.getType()
        except V.libvirtError:
            pass
        calls = 11
        if self.conn_every and self.n % self.conn_every == 0:
            c2 = V.open(URI)
            c2.lookupByName("test").name()
            c2.close()
            calls += 3
        if self.events:
            self.ev_dom.suspend()
            self.ev_dom.resume()
            self.expected += 2
            calls += 2
        self.n += 1
        self.calls += calls

    def drain(self):
        """Wait (bounded) until the loop dispatched every event."""
        for _ in range(2000):
            if self.dispatched >= self.expected:
                return True
            time.sleep(0.005)
        return False

    def close(self):
        if self.events:
            self.conn.domainEventDeregisterAny(self.ev_id)
            self.ev_dom.destroy()
        self.conn.close()


def run_windows(s, windows, cycles, measure):
    out = []
    for _ in range(windows):
        for _ in range(cycles):
            s.cycle()
        if not s.drain():
            raise SystemExit("event dispatch stalled: %d of %d" % (s.dispatched, s.expected))
        # let the loop thread run the deferred frees of deregistered callbacks
        time.sleep(0.2)
        gc.collect()
        out.append(measure())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--warmup", type=int, default=5000)
    ap.add_argument("--windows", type=int, default=8)
    ap.add_argument("--cycles", type=int, default=10000)
    ap.add_argument("--trace-windows", type=int, default=4)
    ap.add_argument("--trace-cycles", type=int, default=3000)
    ap.add_argument("--conn-every", type=int, default=10)
    ap.add_argument("--no-events", action="store_true")
    ns = ap.parse_args()

    loop = None if ns.no_events else Loop()
    s = Soak(not ns.no_events, ns.conn_every)
    t0 = time.monotonic()
    run_windows(s, 1, ns.warmup, sample)
    samples = run_windows(s, ns.windows, ns.cycles, sample)
    tracemalloc.start(8)
    # the first traced window is tracemalloc's own warm-up (its tables, one-off
    # caches first allocated while tracing): not compared
    run_windows(s, 1, ns.trace_cycles, lambda: 0)
    snap0 = tracemalloc.take_snapshot()
    trace = [tracemalloc.get_traced_memory()[0]]
    for i in range(ns.trace_windows):
        trace += run_windows(s, 1, ns.trace_cycles, lambda: tracemalloc.get_traced_memory()[0])
    snap1 = tracemalloc.take_snapshot()
    tracemalloc.stop()
    top = [str(st) for st in snap1.compare_to(snap0, "lineno")[:5]]
    elapsed = time.monotonic() - t0
    s.close()
    loop_ok = loop.close() if loop else True
    json.dump({"cycles": s.n, "calls": s.calls, "events_expected": s.expected,
               "events_dispatched": s.dispatched, "timer_ticks": loop.ticks if loop else 0,
               "warmup": ns.warmup, "rss_cycles_per_window": ns.cycles, "rss": [x[0] for x in samples], "heap": [x[1] for x in samples],
               "trace_cycles_per_window": ns.trace_cycles, "traced": trace, "top_growth": top,
               "loop_stopped": loop_ok, "seconds": round(elapsed, 1)}, sys.stdout)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
