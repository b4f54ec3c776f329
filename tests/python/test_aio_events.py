"""virtbind.aio's event streams (docs/python.md "asyncio"): `async for` over
NamedTuple records of every family the test driver emits, per-object
filtering, the bounded queue's overflow policies, closing (aclose, `async
with`, break) deregisters, records match the model's callback types, and
libvirt's default loop in another thread feeding a stream.  Each scenario
in a child interpreter; every wait is bounded."""
import glob
import json
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, os.environ.get("BUILD", "build"))
PYDIR = os.path.join(BUILD, "python")
if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)

PRELUDE = """
import asyncio, gc, inspect, threading, weakref
import virtbind as v, virtbind.aio as aio
v.registerErrorHandler(lambda c, e: None, None)
async def until(cond, what, n=800):
    # bounded: n polls of 0.025 s, then a failure
    for _ in range(n):
        if cond():
            return
        await asyncio.sleep(0.025)
    raise AssertionError("timed out waiting for " + what)
async def take(stream, n):
    return [await asyncio.wait_for(stream.get(), 30) for _ in range(n)]
def registered(conn, family, cid):
    # whether callback cid is still registered: deregistering a gone one fails
    try:
        getattr(conn.sync, family + "_event_deregister")(cid)
    except v.libvirtError:
        return False
    return True
"""


def run(code, timeout=180):
    env = dict(os.environ, PYTHONPATH=PYDIR)
    p = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(code)], env=env,
                       capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, p.stderr + p.stdout
    return p.stdout


def test_async_for_domain_lifecycle_records():
    out = run("""
        async def main():
            conn = await aio.open("test:///default")
            dom = await conn.lookupByName("test")
            got = []
            stream = conn.domain_events(v.VIR_DOMAIN_EVENT_ID_LIFECYCLE)
            async with stream:
                await dom.suspend()
                async for ev in stream:
                    got.append(ev)
                    if len(got) == 1:
                        await dom.resume()
                    else:
                        break
            assert stream.closed and stream.registrations == 1
            a, b = got
            assert type(a) is aio.DomainLifecycleEvent and a._fields == ("conn", "dom", "event", "detail")
            assert a.conn is conn and type(a.dom) is aio.AsyncDomain and a.dom.name() == "test"
            assert (a.event, b.event) == (v.VIR_DOMAIN_EVENT_SUSPENDED, v.VIR_DOMAIN_EVENT_RESUMED)
            assert (await a.dom.info())[0] == v.VIR_DOMAIN_RUNNING     # the record's object is usable
            # the typed helper with an object filter: events of other domains are not delivered
            xml = "<domain type='test'><name>other</name><memory>8192</memory><os><type>hvm</type></os></domain>"
            other = await conn.defineXML(xml)
            async with conn.domain_lifecycle_events(dom=other) as only_other:
                await dom.suspend(); await dom.resume()
                await other.create()
                ev = await asyncio.wait_for(only_other.get(), 30)
                assert ev.dom.name() == "other" and ev.event == v.VIR_DOMAIN_EVENT_STARTED, ev
                await other.destroy(); await other.undefine()
                evs = await take(only_other, 2)
                assert [e.event for e in evs] == [v.VIR_DOMAIN_EVENT_STOPPED, v.VIR_DOMAIN_EVENT_UNDEFINED]
                assert only_other.qsize() == 0
            await conn.close()
            print("ok")
        asyncio.run(main())
    """)
    assert "ok" in out


def test_network_pool_nodedev_streams_and_secret_error():
    out = run("""
        async def main():
            conn = await aio.open("test:///default")
            async with conn.network_lifecycle_events() as nets, \\
                       conn.storage_pool_events(v.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE) as pools, \\
                       conn.storage_pool_refresh_events() as refresh, \\
                       conn.node_device_lifecycle_events() as devs:
                n = await conn.networkLookupByName("default")
                await n.destroy(); await n.create()
                evs = await take(nets, 2)
                assert [(type(e).__name__, e.net.name(), e.event) for e in evs] == [
                    ("NetworkLifecycleEvent", "default", v.VIR_NETWORK_EVENT_STOPPED),
                    ("NetworkLifecycleEvent", "default", v.VIR_NETWORK_EVENT_STARTED)], evs
                p = await conn.storagePoolLookupByName("default-pool")
                await p.refresh(); await p.destroy(); await p.create()
                (r,) = await take(refresh, 1)
                assert r._fields == ("conn", "pool") and r.pool.name() == "default-pool"
                evs = await take(pools, 2)
                assert [(e.pool.name(), e.event) for e in evs] == [
                    ("default-pool", v.VIR_STORAGE_POOL_EVENT_STOPPED),
                    ("default-pool", v.VIR_STORAGE_POOL_EVENT_STARTED)]
                nd = await conn.nodeDeviceCreateXML(
                    "<device><parent>scsi_host1</parent><capability type='scsi_host'>"
                    "<capability type='fc_host'><wwnn>2000000000000001</wwnn>"
                    "<wwpn>1000000000000001</wwpn></capability></capability></device>")
                name = nd.name()
                await nd.destroy()
                evs = await take(devs, 2)
                assert [(type(e.dev).__name__, e.dev.name(), e.event) for e in evs] == [
                    ("AsyncNodeDevice", name, v.VIR_NODE_DEVICE_EVENT_CREATED),
                    ("AsyncNodeDevice", name, v.VIR_NODE_DEVICE_EVENT_DELETED)]
            # the test driver has no secret driver: the registration's error
            # reaches the consumer, and the stream can still be closed
            secrets = conn.secret_lifecycle_events()
            try:
                await asyncio.wait_for(secrets.get(), 30)
                raise AssertionError("secret events registered on the test driver")
            except v.libvirtError as e:
                assert e.get_error_code() == v.VIR_ERR_NO_SUPPORT, e
            await secrets.aclose()
            await conn.close()
            print("ok")
        asyncio.run(main())
    """)
    assert "ok" in out


def test_overflow_policies():
    out = run("""
        async def main():
            conn = await aio.open("test:///default")
            dom = await conn.lookupByName("test")
            res = {}
            for policy in ("drop_oldest", "drop_newest", "raise"):
                async with conn.domain_lifecycle_events(maxsize=2, overflow=policy) as s:
                    for _ in range(2):
                        await dom.suspend(); await dom.resume()
                    await until(lambda: s.qsize() + s.dropped == 4, "4 events")
                    assert s.qsize() == 2 and s.dropped == 2 and s.maxsize == 2
                    got = []
                    if policy == "raise":
                        try:
                            await s.get()
                            raise AssertionError("no EventOverflow")
                        except aio.EventOverflow as e:
                            assert e.dropped == 2
                    got = [e.event for e in await take(s, 2)]
                    res[policy] = got
            S, R = v.VIR_DOMAIN_EVENT_SUSPENDED, v.VIR_DOMAIN_EVENT_RESUMED
            assert res == {"drop_oldest": [S, R], "drop_newest": [S, R], "raise": [S, R]}, res
            # which two were kept: oldest dropped keeps the 2nd pair, newest dropped the 1st
            async with conn.domain_lifecycle_events(maxsize=1, overflow="drop_oldest") as s:
                await dom.suspend(); await dom.resume()
                await until(lambda: s.dropped == 1, "1 dropped")
                assert (await s.get()).event == R
            async with conn.domain_lifecycle_events(maxsize=1, overflow="drop_newest") as s:
                await dom.suspend(); await dom.resume()
                await until(lambda: s.dropped == 1, "1 dropped")
                assert (await s.get()).event == S
            assert aio.DEFAULT_MAXSIZE == 1024
            assert conn.domain_lifecycle_events().maxsize == 1024
            await conn.close()
            print("ok")
        asyncio.run(main())
    """)
    assert "ok" in out


def test_closing_the_stream_deregisters_the_callback():
    out = run("""
        async def main():
            conn = await aio.open("test:///default")
            dom = await conn.lookupByName("test")
            # aclose()
            s = conn.domain_lifecycle_events()
            await s.__aenter__()
            cid = s._cid
            await s.aclose(); await s.aclose()        # idempotent
            assert s.closed and not registered(conn, "domain", cid)
            # aclose() from another task ends a waiting `async for`
            s = conn.domain_lifecycle_events()
            async def consume():
                return [ev async for ev in s]
            task = asyncio.ensure_future(consume())
            await until(lambda: s._cid is not None, "registration")
            cid = s._cid
            await s.aclose()
            assert await asyncio.wait_for(task, 30) == []
            assert not registered(conn, "domain", cid)
            # break out of `async for`: the abandoned stream deregisters when collected
            async def first():
                async for ev in conn.domain_lifecycle_events():
                    return ev
            t = asyncio.ensure_future(first())
            await asyncio.sleep(0.1)
            await dom.suspend(); await dom.resume()
            ev = await asyncio.wait_for(t, 30)
            assert ev.event == v.VIR_DOMAIN_EVENT_SUSPENDED
            gc.collect()
            await until(lambda: aio.in_flight() == 0, "the deregistration")
            # the callback IDs are allocated in order: the abandoned one was cid + 1
            assert not registered(conn, "domain", cid + 1)
            assert not conn._streams
            # a closed stream cannot be reopened
            try:
                await s.get()
            except StopAsyncIteration:
                pass
            await conn.close()
            print("ok")
        asyncio.run(main())
    """)
    assert "ok" in out


def test_every_event_id_has_a_stream_and_a_record_from_the_model():
    ir = json.load(open(os.path.join(BUILD, "ir", "virtbind-model.json")))
    functypes = {f["name"]: f for f in ir["functypes"]}
    expected = {}
    for ev in ir["events"]:
        ft = functypes[ev["callback"]]
        # conn, the object, the payload without lengths; the opaque dropped
        fields = ["conn"] + [a["name"] for a in ft["args"][1:-1] if a["role"] != "length"]
        expected[ev["value"], ev["id"].split("_EVENT_ID_")[0][4:].lower()] = fields
    out = run("""
        from virtbind import _aio_model
        print(repr([(fam, name, eid, rec._fields) for fam, name, eid, _o, _c, rec in _aio_model.EVENTS]))
        async def main():
            conn = await aio.open("test:///default")
            n = 0
            for fam, name, eid, _o, _c, rec in _aio_model.EVENTS:
                helper = getattr(conn, "%s_%s_events" % (fam, name))
                for s in (helper(), getattr(conn, fam + "_events")(eid)):
                    if fam == "secret":
                        continue          # no secret driver in the test driver
                    await s.__aenter__()
                    cid = s._cid
                    assert cid is not None and s.registrations == 1
                    await s.aclose()
                    assert not registered(conn, fam, cid)
                    n += 1
            await conn.close()
            print("registered", n)
        asyncio.run(main())
    """)
    records = eval(out.split("\n")[0])
    assert len(records) == 34 == len(ir["events"])
    got = {(eid, fam): list(fields) for fam, _n, eid, fields in records}
    assert got == expected
    assert "registered 64" in out      # 32 non-secret IDs, both forms


def test_default_loop_thread_feeds_a_stream():
    # libvirt's default loop in its thread (virtbind.event_loop_start()):
    # records cross to the asyncio loop through call_soon_threadsafe
    out = run("""
        async def main():
            v.event_loop_start()
            conn = await aio.open("test:///default")
            assert aio.get_current() is None        # open() kept the running implementation
            dom = await conn.lookupByName("test")
            async with conn.domain_lifecycle_events() as s:
                await dom.suspend(); await dom.resume()
                evs = await take(s, 2)
            assert [e.event for e in evs] == [v.VIR_DOMAIN_EVENT_SUSPENDED, v.VIR_DOMAIN_EVENT_RESUMED]
            await conn.close()
            assert v.event_loop_stop()
            print("ok")
        asyncio.run(main())
    """)
    assert "ok" in out


def test_a_second_asyncio_run_gets_the_events():
    # libvirt keeps the one implementation: a later loop (a second
    # asyncio.run(), as pytest-asyncio does per test) takes over its handles
    # and timers
    out = run("""
        async def main(i):
            conn = await aio.open("test:///default")
            impl = aio.get_current()
            assert impl.loop is asyncio.get_running_loop()
            dom = await conn.lookupByName("test")
            async with conn.domain_lifecycle_events() as s:
                await dom.suspend(); await dom.resume()
                evs = await take(s, 2)
            await conn.close()
            return i, [e.event for e in evs], impl
        r1 = asyncio.run(main(1))
        r2 = asyncio.run(main(2))
        assert r1[2] is r2[2]
        print(r1[:2], r2[:2])
    """)
    assert "(1, [3, 4]) (2, [3, 4])" in out


def test_10000_stream_events_stable_memory():
    out = run("""
        import tracemalloc
        async def main():
            conn = await aio.open("test:///default")
            dom = await conn.lookupByName("test")
            d = dom.sync
            async with conn.domain_lifecycle_events(maxsize=4096) as s:
                for _ in range(1000):                     # warm-up
                    d.suspend(); d.resume()
                for _ in range(2000):
                    await asyncio.wait_for(s.get(), 30)
                tracemalloc.start()
                py0 = tracemalloc.get_traced_memory()[0]
                n = 0
                for _ in range(10):
                    for _ in range(500):
                        d.suspend(); d.resume()
                    for _ in range(1000):
                        await asyncio.wait_for(s.get(), 30); n += 1
                py1 = tracemalloc.get_traced_memory()[0]
                assert s.dropped == 0 and s.qsize() == 0
            await conn.close()
            print("events", n, "python_delta_bytes", py1 - py0)
            assert py1 - py0 < 64 * 1024, py1 - py0
        asyncio.run(main())
    """)
    print(out)
    assert "events 10000" in out
