"""virtbind.aio's reconnecting connections against a real libvirtd
(tests/lib/libvirtd.py): the daemon is killed by PID and started again on
the same socket; the AsyncConnect opened with reconnect=True reconnects
with backoff and re-registers its event streams, so the consumer's
`async for` keeps receiving events triggered through a fresh connection.
The scenario runs in a child interpreter that owns its daemon (started in
a pytest temp dir, stopped by PID in a finally; the test also stops a
daemon the child could not).  All waits are bounded."""
import glob
import os
import signal
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYDIR = os.path.join(ROOT, os.environ.get("BUILD", "build"), "python")
LIB = os.path.join(ROOT, "tests", "lib")
sys.path.insert(0, LIB)
if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)
from libvirtd import unavailable_reason  # noqa: E402

PRELUDE = """
import asyncio, sys
sys.path.insert(0, %r)
from libvirtd import Libvirtd
import virtbind as v, virtbind.aio as aio
v.registerErrorHandler(lambda c, e: None, None)
XML = "<domain type='test'><name>%%s</name><memory>8192</memory><os><type>hvm</type></os></domain>"
async def until(cond, what, n=1200):
    # bounded: n polls of 0.025 s, then a failure
    for _ in range(n):
        if cond():
            return
        await asyncio.sleep(0.025)
    raise AssertionError("timed out waiting for " + what)
async def take(stream, n):
    return [await asyncio.wait_for(stream.get(), 30) for _ in range(n)]
def with_daemon(base, main):
    d = Libvirtd(base)
    try:
        d.start()
        asyncio.run(main(d))
    finally:
        d.stop()        # by PID
""" % LIB


def run(code, base, timeout=240):
    env = dict(os.environ, PYTHONPATH=PYDIR)
    try:
        p = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(code) +
                            "\nwith_daemon(%r, main)\n" % str(base)], env=env,
                           capture_output=True, text=True, timeout=timeout)
    finally:
        # a daemon the child left behind (killed child): stop it by its PID
        try:
            pid = int(open(os.path.join(base, "libvirtd.pid")).read().strip())
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                if str(base).encode() in f.read():
                    os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass
    assert p.returncode == 0, p.stderr + p.stdout
    return p.stdout


@pytest.fixture
def base(tmp_path):
    why = unavailable_reason()
    if why:
        pytest.skip(why)
    return tmp_path


def test_event_stream_survives_a_daemon_restart(base):
    out = run("""
        async def main(d):
            conn = await aio.open(d.uri, reconnect=True, backoff=(0.05, 0.5))
            dom = await conn.lookupByName("test")
            got = []
            stream = conn.domain_lifecycle_events()
            nets = conn.network_events(v.VIR_NETWORK_EVENT_ID_LIFECYCLE)
            async def consume():
                async for ev in stream:
                    got.append((ev.dom.name(), ev.event))
            consumer = asyncio.ensure_future(consume())
            await nets.__aenter__()
            await until(lambda: stream.registrations == 1, "the registration")
            await dom.suspend()
            await until(lambda: len(got) == 1, "the event before the restart")
            pid = d.pid
            d.kill()                          # SIGKILL by PID
            await until(lambda: not conn.connected, "the close callback")
            try:
                await conn.getHostname()
                raise AssertionError("a call on the dead connection worked")
            except v.libvirtError:
                pass
            d.start()                         # same socket, same URI
            assert d.pid != pid
            await asyncio.wait_for(conn.wait_connected(), 60)
            assert conn.connected and conn.reconnects == 1
            assert stream.registrations == 2 and nets.registrations == 2
            # trigger events through a fresh connection
            other = await aio.open(d.uri)
            nd = await other.defineXML(XML % "after-restart")
            await nd.create()
            await until(lambda: len(got) == 3, "the events after the restart")
            net = await other.networkLookupByName("default")
            await net.destroy()
            (nev,) = await take(nets, 1)
            assert nev.net.name() == "default" and nev.event == v.VIR_NETWORK_EVENT_STOPPED
            assert nev.conn is conn
            await other.close()
            # the original connection object works again
            assert (await conn.lookupByName("after-restart")).name() == "after-restart"
            await stream.aclose(); await nets.aclose()
            await asyncio.wait_for(consumer, 30)
            await conn.close()
            print("got", got, aio.in_flight())
    """, base)
    assert ("got [('test', %d), ('after-restart', %d), ('after-restart', %d)] 0"
            % (3, 0, 2)) in out, out     # suspended; defined, started


def test_reconnect_backs_off_while_the_daemon_is_down(base):
    out = run("""
        async def main(d):
            opens = []
            real_open = v.open
            def counting_open(uri):
                opens.append(uri)
                return real_open(uri)
            v.open = counting_open            # aio.open's opener calls virtbind.open
            conn = await aio.open(d.uri, reconnect=True, backoff=(0.02, 0.1))
            async with conn.domain_lifecycle_events() as s:
                d.kill()
                await until(lambda: len(opens) >= 4, "failed attempts while down")
                assert not conn.connected and conn.reconnects == 0
                d.start()
                await asyncio.wait_for(conn.wait_connected(), 60)
                assert conn.reconnects == 1 and s.registrations == 2
                dom = await conn.lookupByName("test")
                await dom.suspend()
                (ev,) = await take(s, 1)
                assert ev.event == v.VIR_DOMAIN_EVENT_SUSPENDED and ev.conn is conn
            await conn.close()
            print("attempts", len(opens) > 4)
    """, base)
    assert "attempts True" in out


def test_close_while_reconnecting_stops_it(base):
    out = run("""
        async def main(d):
            conn = await aio.open(d.uri, reconnect=True, backoff=(0.02, 0.1))
            s = conn.domain_lifecycle_events()
            await s.__aenter__()
            d.kill()
            await until(lambda: not conn.connected, "the close callback")
            await asyncio.wait_for(conn.close(), 30)
            assert s.closed and not conn.connected
            await asyncio.wait_for(conn.wait_connected(), 30)   # returns: nothing to wait for
            d.start()
            await asyncio.sleep(0.3)
            assert conn.reconnects == 0
            # a connection opened without reconnect=True does not reconnect
            plain = await aio.open(d.uri)
            d.kill(); d.start()
            await asyncio.sleep(0.3)
            try:
                await plain.getHostname()
                raise AssertionError("a call on the dead connection worked")
            except v.libvirtError:
                pass
            assert plain.reconnects == 0
            print("ok", aio.in_flight())
    """, base)
    assert "ok 0" in out


def test_filtered_streams_are_looked_up_again_after_a_restart(base):
    # a stream limited to one object is registered again with that object
    # looked up on the new connection (by UUID); one whose object is gone
    # after the restart raises the lookup's error to its consumer
    out = run("""
        async def main(d):
            conn = await aio.open(d.uri, reconnect=True, backoff=(0.05, 0.5))
            dom = await conn.lookupByName("test")
            gone = await conn.defineXML(XML % "transient-state")   # the test driver forgets it
            only_test = conn.domain_lifecycle_events(dom)
            only_gone = conn.domain_lifecycle_events(dom=gone)
            await only_test.__aenter__(); await only_gone.__aenter__()
            d.kill(); d.start()
            await until(lambda: conn.reconnects == 1, "the reconnection")
            assert only_test.registrations == 2 and only_gone.registrations == 1
            try:
                await asyncio.wait_for(only_gone.get(), 30)
                raise AssertionError("no error for the vanished object")
            except v.libvirtError as e:
                assert e.get_error_code() == v.VIR_ERR_NO_DOMAIN, e
            other = await aio.open(d.uri)
            x = await other.defineXML(XML % "someone-else")
            await x.create()
            d2 = await other.lookupByName("test")
            await d2.suspend()
            (ev,) = await take(only_test, 1)
            assert (ev.dom.name(), ev.event) == ("test", v.VIR_DOMAIN_EVENT_SUSPENDED), ev
            assert only_test.qsize() == 0
            await other.close()
            await conn.close()
            assert only_test.closed and only_gone.closed
            print("ok")
    """, base)
    assert "ok" in out


def test_keepalive_timeout_of_a_hung_daemon_reconnects(base):
    # SIGSTOP: the socket stays open but nothing answers; the keepalive
    # closes the connection, the reconnect waits until the daemon resumes
    out = run("""
        import os, signal
        async def main(d):
            conn = await aio.open(d.uri, reconnect=True, backoff=(0.05, 0.5), keepalive=(1, 1))
            async with conn.domain_lifecycle_events() as s:
                d.pause()
                try:
                    await until(lambda: not conn.connected, "the keepalive timeout")
                finally:
                    d.resume()
                await asyncio.wait_for(conn.wait_connected(), 60)
                assert conn.reconnects == 1 and s.registrations == 2
                dom = await conn.lookupByName("test")
                await dom.suspend()
                (ev,) = await take(s, 1)
                assert ev.event == v.VIR_DOMAIN_EVENT_SUSPENDED
            await conn.close()
            print("ok")
    """, base)
    assert "ok" in out
