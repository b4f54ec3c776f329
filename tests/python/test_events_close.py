"""conn.close() with event registrations still active (issue #7; docs/events.md).

close() ends every registration the connection still has: the typed and
generic per-family registrations (domain, network, storage pool, node
device), the close callback and the legacy domainEventRegister, before
virConnectClose.  libvirt then calls each free callback once, which releases
the Python callback and opaque exactly once (weakref.finalize counts).  A
second close() and a later deregistration raise libvirtError
(VIR_ERR_INVALID_CONN), as python3-libvirt's do on a closed connection; nothing
is released twice and nothing crashes.

Each test runs in a child interpreter (an event implementation is registered
once per process).  Waits are bounded by counts, never assertions about
speed."""
import glob
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYDIR = os.path.join(ROOT, os.environ.get("BUILD", "build"), "python")
if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)

PRELUDE = """
import gc, sys, threading, time, weakref, virtbind as v
assert v.virEventRegisterDefaultImpl() == 0
def _loop():
    while True:
        v.virEventRunDefaultImpl()
threading.Thread(target=_loop, daemon=True).start()

class Op: pass
class Cb:
    def __call__(self, *a): pass
fired = []

def tracked(tag):
    op, cb = Op(), Cb()
    weakref.finalize(op, fired.append, ("op", tag))
    weakref.finalize(cb, fired.append, ("cb", tag))
    return cb, op

def wait_fired(n):
    # bounded: at most 200 polls of 0.025 s, then the assertion below fails
    for _ in range(200):
        gc.collect()
        if len(fired) >= n:
            break
        time.sleep(0.025)
    return sorted(fired)

def register_all(c):
    tags = []
    for meth in ("domain_event_lifecycle_register", "domain_event_reboot_register",
                 "network_event_lifecycle_register", "storage_pool_event_refresh_register",
                 "node_device_event_lifecycle_register"):
        cb, op = tracked(meth)
        getattr(c, meth)(cb, opaque=op)
        tags.append(meth)
    cb, op = tracked("domainEventRegisterAny")
    c.domainEventRegisterAny(None, v.VIR_DOMAIN_EVENT_ID_GRAPHICS, cb, op)
    tags.append("domainEventRegisterAny")
    cb, op = tracked("storagePoolEventRegisterAny")
    c.storagePoolEventRegisterAny(None, v.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE, cb, op)
    tags.append("storagePoolEventRegisterAny")
    cb, op = tracked("registerCloseCallback")
    c.registerCloseCallback(cb, op)
    tags.append("registerCloseCallback")
    cb, op = tracked("domainEventRegister")
    c.domainEventRegister(cb, op)
    tags.append("domainEventRegister")
    return tags
"""


def run(code):
    env = dict(os.environ, PYTHONPATH=PYDIR)
    p = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(code)], env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr + p.stdout
    assert "ok" in p.stdout, p.stdout + p.stderr
    return p.stdout


def test_close_releases_every_active_registration_exactly_once():
    run("""
        c = v.open("test:///default")
        tags = register_all(c)
        gc.collect()
        assert fired == [], fired                      # kept alive by the registrations
        # no reference of libvirt's is left behind the registrations: 0
        assert c.close() == 0
        want = sorted((w, t) for w in ("op", "cb") for t in tags)
        assert wait_fired(len(want)) == want, fired
        time.sleep(0.1)
        assert sorted(fired) == want, fired            # never twice
        print("ok")
    """)


def test_second_close_and_later_deregistration_raise_invalid_conn():
    run("""
        c = v.open("test:///default")
        cb, op = tracked("lifecycle")
        cid = c.domain_event_lifecycle_register(cb, opaque=op)
        cb2, op2 = tracked("any")
        cid2 = c.domainEventRegisterAny(None, v.VIR_DOMAIN_EVENT_ID_REBOOT, cb2, op2)
        del cb, op, cb2, op2
        c.close()
        for call in (c.close, lambda: c.domain_event_deregister(cid),
                     lambda: c.domainEventDeregisterAny(cid2),
                     lambda: c.domainEventDeregister(print),
                     c.unregisterCloseCallback):
            try:
                call()
                raise SystemExit("a closed connection accepted %r" % call)
            except v.libvirtError as e:
                assert e.get_error_code() == v.VIR_ERR_INVALID_CONN, e.get_error_code()
        assert wait_fired(4) == sorted([("cb", "any"), ("cb", "lifecycle"), ("op", "any"),
                                        ("op", "lifecycle")]), fired
        time.sleep(0.1)
        assert len(fired) == 4, fired
        print("ok")
    """)


def test_deregistered_before_close_are_not_released_again():
    run("""
        c = v.open("test:///default")
        cb, op = tracked("a")
        cid = c.domain_event_lifecycle_register(cb, opaque=op)
        cb, op = tracked("b")
        c.network_event_lifecycle_register(cb, opaque=op)
        del cb, op
        c.domain_event_deregister(cid)
        assert wait_fired(2) == [("cb", "a"), ("op", "a")], fired
        c.close()
        assert wait_fired(4) == [("cb", "a"), ("cb", "b"), ("op", "a"), ("op", "b")], fired
        time.sleep(0.1)
        assert len(fired) == 4, fired
        print("ok")
    """)


def test_close_leaves_other_connections_registrations_alone():
    run("""
        c1 = v.open("test:///default")
        c2 = v.open("test:///default")
        got = []
        cb, op = tracked("c1")
        c1.domain_event_lifecycle_register(cb, opaque=op)
        del cb, op
        ev = threading.Event()
        def on2(conn, dom, event, detail, opaque):
            got.append(event)
            ev.set()
        c2.domain_event_lifecycle_register(on2)
        c1.close()
        assert wait_fired(2) == [("cb", "c1"), ("op", "c1")], fired
        c2.lookupByName("test").suspend()
        assert ev.wait(10), "c2's callback got no event after c1 was closed"
        assert got and got[0] == v.VIR_DOMAIN_EVENT_SUSPENDED, got
        c2.lookupByName("test").resume()
        c2.close()
        print("ok")
    """)


def test_with_block_releases_registrations_on_exit():
    run("""
        with v.open("test:///default") as c:
            cb, op = tracked("with")
            c.domain_event_lifecycle_register(cb, opaque=op)
            del cb, op
            gc.collect()
            assert fired == [], fired
        assert wait_fired(2) == [("cb", "with"), ("op", "with")], fired
        print("ok")
    """)


def test_callback_deregistering_itself_then_close():
    run("""
        c = v.open("test:///default")
        done = threading.Event()
        cid = None
        def cb(conn, dom, event, detail, opaque):
            conn.domain_event_deregister(cid)
            done.set()
        weakref.finalize(cb, fired.append, "self")
        cid = c.domain_event_lifecycle_register(cb)
        del cb
        c.lookupByName("test").suspend()
        assert done.wait(10), "no event"
        c.lookupByName("test").resume()
        c.close()
        assert wait_fired(1) == ["self"], fired
        time.sleep(0.1)
        assert fired == ["self"], fired
        print("ok")
    """)


def test_close_callback_unregistered_explicitly_is_released_once():
    # the test driver keeps no close callback (registering "succeeds", libvirt
    # never calls the free callback): the runtime releases it, once
    run("""
        c = v.open("test:///default")
        cb, op = tracked("close")
        assert c.registerCloseCallback(cb, op) == 0
        del cb, op
        c.unregisterCloseCallback()
        assert wait_fired(2) == [("cb", "close"), ("op", "close")], fired
        c.close()
        time.sleep(0.1)
        assert len(fired) == 2, fired
        print("ok")
    """)


sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from libvirtd import daemon, libvirtd_daemon  # noqa: E402,F401


def test_close_releases_registrations_on_a_remote_connection(daemon):
    # through libvirtd: the close callback and the event registrations are
    # held by the remote driver, which calls every free callback on
    # deregistration
    run("""
        c = v.open(%r)
        tags = register_all(c)
        gc.collect()
        assert fired == [], fired
        assert c.close() == 0
        want = sorted((w, t) for w in ("op", "cb") for t in tags)
        assert wait_fired(len(want)) == want, fired
        time.sleep(0.1)
        assert sorted(fired) == want, fired
        print("ok")
    """ % daemon.uri)
