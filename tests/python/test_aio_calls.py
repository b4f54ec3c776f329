"""virtbind.aio's awaitable calls (docs/python.md "asyncio"): async wrappers
derived from the binding's classes, results wrapped, the bounded worker
pool, cancellation, bad input.  Each scenario runs in a child interpreter
(libvirt takes one event implementation per process); every wait is bounded
(asyncio.wait_for or a counted poll), nothing measures speed."""
import glob
import json
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYDIR = os.path.join(ROOT, os.environ.get("BUILD", "build"), "python")
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)
from libvirtd import daemon, libvirtd_daemon  # noqa: E402,F401

PRELUDE = """
import asyncio, inspect, threading
import virtbind as v, virtbind.aio as aio
v.registerErrorHandler(lambda c, e: None, None)
async def until(cond, what, n=800):
    # bounded: n polls of 0.025 s, then a failure
    for _ in range(n):
        if cond():
            return
        await asyncio.sleep(0.025)
    raise AssertionError("timed out waiting for " + what)
"""


def run(code, timeout=180):
    env = dict(os.environ, PYTHONPATH=PYDIR)
    p = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(code)], env=env,
                       capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, p.stderr + p.stdout
    return p.stdout


def test_awaitable_calls_return_async_wrappers():
    out = run("""
        async def main():
            conn = await aio.open("test:///default")
            assert type(conn) is aio.AsyncConnect and isinstance(conn.sync, v.virConnect)
            dom = await conn.lookupByName("test")
            assert type(dom) is aio.AsyncDomain and isinstance(dom.sync, v.virDomain)
            assert (await dom.info())[:4] == dom.sync.info()[:4]
            assert dom.name() == "test"                 # borrowed string: synchronous
            assert await dom.UUIDString() == dom.sync.UUIDString()
            doms = await conn.listAllDomains()
            assert doms and all(type(d) is aio.AsyncDomain for d in doms), doms
            assert type(dom.connect()) is aio.AsyncConnect and dom.connect() == conn
            pool = await conn.storagePoolLookupByName("default-pool")
            assert type(pool) is aio.AsyncStoragePool and pool.name() == "default-pool"
            vols = await pool.listAllVolumes()
            assert all(type(x) is aio.AsyncStorageVol for x in vols)
            net = await conn.networkLookupByName("default")
            assert type(net) is aio.AsyncNetwork and await net.isActive() == 1
            # async wrappers are accepted where plain objects are expected
            assert (await aio.call(v.virDomain.info, dom))[:4] == (await dom.info())[:4]
            assert await conn.domain_event_deregister(
                await conn.domain_event_lifecycle_register(lambda *a: None, dom)) is None
            stats = await conn.getAllDomainStats()
            assert stats and type(stats[0][0]) is aio.AsyncDomain and isinstance(stats[0][1], dict)
            with_threads = set()
            async def hostname():
                with_threads.add(threading.current_thread().name)
                return await conn.getHostname()
            names = await asyncio.gather(*(hostname() for _ in range(20)))
            assert len(set(names)) == 1
            assert await conn.close() >= 0
            print("ok", aio.workers(), aio.DEFAULT_WORKERS, aio.in_flight())
        asyncio.run(main())
    """)
    assert "ok 8 8 0" in out


def test_method_set_derived_from_the_binding_classes():
    # every public method of every virtbind class, no hand-written list: the
    # model's non-blocking ones synchronous, the rest coroutines
    out = run("""
        from virtbind import _aio_model
        n_async = n_sync = 0
        for cname, sync_names in _aio_model.NONBLOCKING.items():
            scls = getattr(v, cname)
            acls = getattr(aio, "Async" + cname[3:])
            assert acls._sync_cls is scls
            assert "c_pointer" in sync_names
            for name in dir(scls):
                if name.startswith("_") or not callable(getattr(scls, name)):
                    continue
                m = getattr(acls, name)
                if name in sync_names:
                    assert not inspect.iscoroutinefunction(m), (cname, name); n_sync += 1
                else:
                    assert inspect.iscoroutinefunction(m), (cname, name); n_async += 1
        assert set(_aio_model.NONBLOCKING["virDomain"]) == {"c_pointer", "connect", "name"}
        assert "close" not in _aio_model.NONBLOCKING["virConnect"]
        # a method attached to the class after aio's import (virtbind.errors,
        # typed methods use _add_method) is a coroutine too
        v._virtbind._add_method(v.virDomain, "aio_test_late", lambda self, x: (self.name(), x))
        async def main():
            conn = await aio.open("test:///default")
            dom = await conn.lookupByName("test")
            assert await dom.aio_test_late(1) == ("test", 1)
            await conn.close()
        asyncio.run(main())
        print("ok", len(_aio_model.NONBLOCKING), n_async, n_sync)
    """)
    classes, n_async, n_sync = (int(x) for x in out.split("ok ")[1].split())
    assert classes == 14 and n_async > 400 and n_sync >= 30, out


def test_worker_pool_is_bounded_and_the_loop_keeps_running():
    out = run("""
        async def main():
            assert aio.workers() == aio.DEFAULT_WORKERS
            aio.set_workers(3)
            assert aio.workers() == 3
            gate = threading.Event()
            lock = threading.Lock()
            running = [0, 0]     # now, max
            def blocking(i):
                with lock:
                    running[0] += 1; running[1] = max(running[1], running[0])
                gate.wait(60)
                with lock:
                    running[0] -= 1
                return i
            calls = asyncio.gather(*(aio.call(blocking, i) for i in range(10)))
            ticks = 0
            while running[0] < 3:          # the loop runs while the pool is busy
                await asyncio.sleep(0.01); ticks += 1
                assert ticks < 6000
            await asyncio.sleep(0.05)
            assert running[0] == 3 and aio.in_flight() == 10, (running, aio.in_flight())
            gate.set()
            assert await asyncio.wait_for(calls, 60) == list(range(10))
            assert running[1] == 3 and aio.in_flight() == 0
            aio.set_workers(aio.DEFAULT_WORKERS)
            print("ok", ticks > 0)
        asyncio.run(main())
    """)
    assert "ok True" in out


def test_cancelled_await_lets_the_call_finish_in_its_worker():
    out = run("""
        import weakref
        async def main():
            conn = await aio.open("test:///default")
            started, gate = threading.Event(), threading.Event()
            results = []
            def slow_lookup():
                started.set(); gate.wait(60)
                d = conn.sync.lookupByName("test")      # a real libvirt call after the cancel
                results.append(weakref.ref(d))
                return d
            task = asyncio.ensure_future(aio.call(slow_lookup))
            await until(started.is_set, "the worker to start")
            task.cancel()
            try:
                await task
                raise AssertionError("not cancelled")
            except asyncio.CancelledError:
                pass
            assert aio.in_flight() == 1
            gate.set()
            await until(lambda: aio.in_flight() == 0, "the cancelled call to finish")
            await until(lambda: results and results[0]() is None, "the dropped result to be freed")
            # queued calls are cancelled before they start
            aio.set_workers(1)
            gate2 = threading.Event()
            first = asyncio.ensure_future(aio.call(gate2.wait, 60))
            queued = [asyncio.ensure_future(conn.getHostname()) for _ in range(5)]
            await asyncio.sleep(0.05)
            for t in queued:
                t.cancel()
            gate2.set()
            await first
            await until(lambda: aio.in_flight() == 0, "the queue to drain")
            assert all(t.cancelled() for t in queued)
            dom = await conn.lookupByName("test")        # the pool still works
            assert await dom.isActive() == 1
            await conn.close()
            print("ok")
        asyncio.run(main())
    """)
    assert "ok" in out


def test_bad_input_raises_python_exceptions():
    out = run("""
        async def main():
            conn = await aio.open("test:///default")
            dom = await conn.lookupByName("test")
            net = await conn.networkLookupByName("default")
            checks = []
            async def expect(exc, coro_or_fn):
                try:
                    r = coro_or_fn()
                    if inspect.isawaitable(r):
                        await r
                except exc:
                    checks.append(exc.__name__); return
                raise AssertionError("no %s" % exc.__name__)
            await expect(TypeError, lambda: dom.suspend(1, 2, 3))
            await expect(TypeError, lambda: conn.lookupByName(5))
            await expect(OverflowError, lambda: dom.setMemory(2**70))
            await expect(v.libvirtError, lambda: conn.lookupByName("no-such-domain"))
            await expect(v.libvirtError, lambda: aio.open("bogus-driver:///x"))
            await expect(TypeError, lambda: aio.set_workers("4"))
            await expect(ValueError, lambda: aio.set_workers(0))
            await expect(TypeError, lambda: aio.AsyncDomain(conn.sync))
            await expect(ValueError, lambda: conn.domain_events(9999))
            await expect(TypeError, lambda: conn.domain_events("lifecycle"))
            await expect(TypeError, lambda: conn.domain_lifecycle_events(net))
            await expect(TypeError, lambda: conn.domain_lifecycle_events(dom, dom))
            await expect(TypeError, lambda: conn.domain_lifecycle_events(bogus=1))
            await expect(ValueError, lambda: conn.domain_lifecycle_events(maxsize=0))
            await expect(TypeError, lambda: conn.domain_lifecycle_events(maxsize="1"))
            await expect(ValueError, lambda: conn.domain_lifecycle_events(overflow="block"))
            await expect(ValueError, lambda: aio.open("test:///default", backoff=(0, 1)))
            await expect(TypeError, lambda: aio.open("test:///default", keepalive=5))
            await expect(AttributeError, lambda: dom.noSuchMethod())
            assert aio.in_flight() == 0
            await conn.close()
            await expect(v.libvirtError, lambda: conn.getHostname())     # closed connection
            print("ok", len(checks))
        asyncio.run(main())
    """)
    assert "ok 20" in out


def test_readonly_and_auth_openers():
    out = run("""
        async def main():
            ro = await aio.openReadOnly("test:///default")
            assert await ro.isAlive() == 1
            assert (await ro.lookupByName("test")).name() == "test"
            await ro.close()
            c = await aio.openAuth("test:///default", [[], None, None], 0)
            assert await c.getType() == "TEST"
            await c.close()
            async with await aio.open("test:///default", readonly=True) as c2:
                assert await c2.numOfDomains() >= 1
            assert not c2.connected
            print("ok")
        asyncio.run(main())
    """)
    assert "ok" in out


def test_remote_call_blocked_in_daemon_does_not_block_the_loop(daemon):
    # the daemon is SIGSTOPped: the call waits in its worker while the loop
    # keeps running; a cancelled await leaves it there until the daemon resumes
    out = run("""
        import os, signal
        async def main(uri, pid):
            conn = await aio.open(uri)
            assert await conn.getHostname()
            os.kill(pid, signal.SIGSTOP)
            try:
                task = asyncio.ensure_future(conn.getHostname())
                ticks = 0
                for _ in range(20):
                    await asyncio.sleep(0.01); ticks += 1
                assert not task.done() and aio.in_flight() == 1 and ticks == 20
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    pass
                assert task.cancelled() and aio.in_flight() == 1
            finally:
                os.kill(pid, signal.SIGCONT)
            await until(lambda: aio.in_flight() == 0, "the blocked call to return")
            dom = await conn.lookupByName("test")
            assert (await dom.info())[0] == v.VIR_DOMAIN_RUNNING
            await conn.close()
            print("ok")
        asyncio.run(main(%r, %d))
    """ % (daemon.uri, daemon.pid))
    assert "ok" in out
