"""Event loops for the typed event methods (docs/events.md): libvirt's
default loop through virtbind.event_loop_start()/event_loop_stop(), a
custom loop registered from Python with virEventRegisterImpl, asyncio
(python3-libvirt's libvirtaio over the compat module), events over the
remote protocol from a real libvirtd (tests/lib/libvirtd.py), and 10,000
events with stable memory.  Each scenario in a child interpreter (one event
implementation per process).  Waits are bounded by counts."""
import glob
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYDIR = os.path.join(ROOT, "build", "python")
COMPAT = os.path.join(PYDIR, "compat")
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)
from libvirtd import daemon, libvirtd_daemon  # noqa: E402,F401

WAIT = """
import threading
def wait(cond, what, n=400):
    # bounded: n polls of 0.025 s, then a failure
    import time
    for _ in range(n):
        if cond():
            return
        time.sleep(0.025)
    raise AssertionError("timed out waiting for " + what)
"""


def run(code, compat=False, timeout=180):
    path = [COMPAT, PYDIR] if compat else [PYDIR]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    p = subprocess.run([sys.executable, "-c", WAIT + textwrap.dedent(code)], env=env,
                       capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, p.stderr + p.stdout
    return p.stdout


def test_default_loop_start_stop():
    out = run("""
        import virtbind as v
        assert not v.event_loop_running()
        t = v.event_loop_start()
        assert v.event_loop_start() is t and v.event_loop_running()
        c = v.open("test:///default")
        got = []
        cid = c.domain_event_lifecycle_register(lambda *a: got.append(a[2]))
        d = c.lookupByName("test")
        d.suspend(); d.resume()
        wait(lambda: len(got) == 2, "2 events")
        assert v.event_loop_stop() is True and not t.is_alive() and not v.event_loop_running()
        assert v.event_loop_stop() is True          # stopping twice is fine
        d.suspend()                                 # queued, not dispatched while stopped
        t2 = v.event_loop_start()                   # runs again (registered once)
        assert t2 is not t
        wait(lambda: len(got) == 3, "3rd event after restart")
        c.domain_event_deregister(cid)
        assert v.event_loop_stop()
        print("ok", got)
    """)
    assert "ok [3, 4, 3]" in out


def test_custom_loop_from_python():
    # a minimal poll()-based loop registered with virEventRegisterImpl
    # (libvirt-python's protocol), driving the typed methods
    out = run("""
        import select, time, virtbind as v
        handles, timers = {}, {}
        nxt = [1]
        def add_handle(fd, events, cb, opaque):
            h = nxt[0]; nxt[0] += 1; handles[h] = [fd, events, cb, opaque]; return h
        def update_handle(h, events):
            if h in handles: handles[h][1] = events
        def remove_handle(h):
            e = handles.pop(h, None)
            if e: v.virEventInvokeFreeCallback(e[3])
            return 0
        def add_timeout(ms, cb, opaque):
            t = nxt[0]; nxt[0] += 1; timers[t] = [ms, cb, opaque, time.monotonic()]; return t
        def update_timeout(t, ms):
            if t in timers: timers[t][0] = ms; timers[t][3] = time.monotonic()
        def remove_timeout(t):
            e = timers.pop(t, None)
            if e: v.virEventInvokeFreeCallback(e[2])
            return 0
        v.virEventRegisterImpl(add_handle, update_handle, remove_handle,
                               add_timeout, update_timeout, remove_timeout)
        def iterate():
            p = select.poll()
            for h, (fd, ev, cb, op) in list(handles.items()):
                if ev:
                    p.register(fd, ev)
            for fd, rev in p.poll(10):
                for h, (hfd, ev, cb, op) in list(handles.items()):
                    if hfd == fd:
                        cb(h, fd, rev, op)
            now = time.monotonic()
            for t, (ms, cb, op, since) in list(timers.items()):
                if ms >= 0 and (now - since) * 1000 >= ms:
                    timers[t][3] = now
                    cb(t, op)
        c = v.open("test:///default")
        got = []
        cid = c.domain_event_lifecycle_register(lambda c, d, e, det, o: got.append((d.name(), e, o)), opaque=9)
        d = c.lookupByName("test")
        d.suspend(); d.resume()
        for _ in range(400):                        # bounded iterations
            if len(got) == 2:
                break
            iterate()
        assert got == [("test", 3, 9), ("test", 4, 9)], got
        c.domain_event_deregister(cid)
        print("ok")
    """)
    assert "ok" in out


def test_libvirtaio_typed_methods():
    out = run("""
        import asyncio, libvirt, libvirtaio
        async def main():
            libvirtaio.virEventRegisterAsyncIOImpl()
            loop = asyncio.get_running_loop()
            c = libvirt.open("test:///default")
            got, threads = [], []
            done = asyncio.Event()
            def cb(conn, dom, event, detail, opaque):
                got.append((dom.name(), event, opaque))
                threads.append(threading.current_thread() is threading.main_thread())
                if len(got) == 2:
                    done.set()
            cid = c.domain_event_lifecycle_register(cb, opaque="aio")
            d = c.lookupByName("test")
            d.suspend(); d.resume()
            await asyncio.wait_for(done.wait(), 30)
            c.domain_event_deregister(cid)
            assert all(threads), threads           # on the asyncio loop's thread
            c.close()
            return got
        print("ok", asyncio.run(main()))
    """, compat=True)
    assert "ok [('test', 3, 'aio'), ('test', 4, 'aio')]" in out


def test_remote_events_default_loop_and_asyncio(daemon):
    uri = daemon.uri
    out = run("""
        import virtbind as v
        v.event_loop_start()
        c = v.open(%r)
        got, pools = [], []
        cid = c.domain_event_lifecycle_register(lambda conn, d, e, det, o: got.append((conn is c, d.name(), e, o)), None, "r")
        pid = c.storage_pool_event_refresh_register(lambda conn, p, o: pools.append(p.name()))
        d = c.lookupByName("test")
        d.suspend(); d.resume()
        c.storagePoolLookupByName("default-pool").refresh()
        wait(lambda: len(got) == 2 and pools, "remote events")
        assert got == [(True, "test", 3, "r"), (True, "test", 4, "r")], got
        assert pools == ["default-pool"]
        c.domain_event_deregister(cid); c.storage_pool_event_deregister(pid)
        c.close()
        assert v.event_loop_stop()
        print("ok")
    """ % uri)
    assert "ok" in out
    out = run("""
        import asyncio, libvirt, libvirtaio
        async def main():
            libvirtaio.virEventRegisterAsyncIOImpl()
            c = libvirt.open(%r)
            got = []
            done = asyncio.Event()
            def cb(conn, net, event, detail, opaque):
                got.append((net.name(), event, opaque))
                if len(got) == 2:
                    done.set()
            cid = c.network_event_lifecycle_register(cb, opaque=5)
            n = c.networkLookupByName("default"); n.destroy(); n.create()
            await asyncio.wait_for(done.wait(), 30)
            c.network_event_deregister(cid)
            c.close()
            return got
        print("ok", asyncio.run(main()))
    """ % uri, compat=True)
    assert "ok [('default', 3, 5), ('default', 2, 5)]" in out


def test_10000_events_stable_memory():
    # 5,000 suspend/resume pairs = 10,000 lifecycle events through a typed
    # method; Python memory (tracemalloc) and RSS after the first 2,000 events
    # (warm-up) and at the end
    out = run("""
        import gc, tracemalloc, virtbind as v
        def rss_kib():
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        v.event_loop_start()
        c = v.open("test:///default")
        n = [0]
        def cb(conn, dom, event, detail, opaque):
            n[0] += 1
        cid = c.domain_event_lifecycle_register(cb, opaque=[1, 2, 3])
        d = c.lookupByName("test")
        def burst(pairs):
            for _ in range(pairs):
                d.suspend(); d.resume()
            want = n[0] + 0
        burst(1000)
        wait(lambda: n[0] == 2000, "warm-up events", n=4000)
        gc.collect()
        tracemalloc.start()
        py0, rss0 = tracemalloc.get_traced_memory()[0], rss_kib()
        burst(4000)
        wait(lambda: n[0] == 10000, "10000 events", n=8000)
        gc.collect()
        py1, rss1 = tracemalloc.get_traced_memory()[0], rss_kib()
        c.domain_event_deregister(cid)
        v.event_loop_stop()
        print("events", n[0], "python_delta_bytes", py1 - py0, "rss_kib", rss0, rss1)
        assert n[0] == 10000
        assert py1 - py0 < 64 * 1024, py1 - py0        # not growing per event
        assert rss1 - rss0 < 8 * 1024, (rss0, rss1)   # KiB
    """, timeout=600)
    print(out)
    assert "events 10000" in out


AIO = """
import asyncio, virtbind as v, virtbind.aio
async def main(uri):
    impl = virtbind.aio.register()
    assert virtbind.aio.get_current() is impl
    c = v.open(uri)
    got, threads = [], []
    done = asyncio.Event()
    def cb(conn, dom, event, detail, opaque):
        got.append((dom.name(), event, opaque))
        threads.append(threading.current_thread() is threading.main_thread())
        if len(got) == 2:
            done.set()
    cid = c.domain_event_lifecycle_register(cb, opaque="aio")
    d = c.lookupByName("test")
    d.suspend(); d.resume()
    await asyncio.wait_for(done.wait(), 30)
    c.domain_event_deregister(cid)
    c.close()
    assert all(threads), threads
    return got
"""


def test_virtbind_aio_test_driver():
    out = run(AIO + """
print("ok", asyncio.run(main("test:///default")))
""")
    assert "ok [('test', 3, 'aio'), ('test', 4, 'aio')]" in out


def test_virtbind_aio_remote(daemon):
    out = run(AIO + """
print("ok", asyncio.run(main(%r)))
""" % daemon.uri)
    assert "ok [('test', 3, 'aio'), ('test', 4, 'aio')]" in out
