"""Typed per-event registration methods (docs/events.md):
conn.<family>_event_<id>_register(callback, obj=None, opaque=None) and
conn.<family>_event_deregister(callbackID), end to end on the test driver
with libvirt's default event loop in a daemon thread (a child interpreter:
an event implementation is registered once per process).

Waits are bounded by counts (threading.Event timeouts as failure
conditions), never assertions about speed."""
import glob
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYDIR = os.path.join(ROOT, "build", "python")
if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)

PRELUDE = """
import sys, threading, virtbind as v
assert v.virEventRegisterDefaultImpl() == 0
def _loop():
    while True:
        v.virEventRunDefaultImpl()
threading.Thread(target=_loop, daemon=True).start()

class Rec:
    def __init__(self):
        self.got = []
        self.cv = threading.Condition()
    def __call__(self, *a):
        with self.cv:
            self.got.append(a)
            self.cv.notify_all()
    def wait(self, n, what):
        with self.cv:
            # bounded: at most 200 wake-ups of 0.05 s each, then a failure
            for _ in range(200):
                if len(self.got) >= n:
                    return self.got
                self.cv.wait(0.05)
        raise AssertionError("%s: %d of %d events: %r" % (what, len(self.got), n, self.got))
"""


def run(code):
    env = dict(os.environ, PYTHONPATH=PYDIR)
    p = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(code)], env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr + p.stdout
    return p.stdout


def test_every_event_id_has_a_method_and_a_manifest_entry():
    out = run("""
        c = v.open("test:///default")
        man = {k: p for k, p in v.__virtbind_manifest__.items() if k.startswith("event:")}
        assert len(man) == 34, len(man)
        for k, p in man.items():
            cls, meth = p.split(".")
            assert cls == "virConnect" and callable(getattr(c, meth)), p
            cname = k[len("event:"):]
            assert isinstance(getattr(v, cname), int), cname
        fams = sorted(n for n in dir(c) if n.endswith("_event_deregister"))
        print(len(man), fams)
    """)
    assert "34 ['domain_event_deregister', 'network_event_deregister', 'node_device_event_deregister', " \
           "'secret_event_deregister', 'storage_pool_event_deregister']" in out


def test_register_deregister_every_id():
    # the IDs the test driver cannot trigger still register and deregister;
    # the test driver has no secret driver: VIR_ERR_NO_SUPPORT
    out = run("""
        c = v.open("test:///default")
        n = 0
        for k, p in sorted(v.__virtbind_manifest__.items()):
            if not k.startswith("event:"):
                continue
            meth = p.split(".")[1]
            fam = meth.split("_event_")[0]
            try:
                cid = getattr(c, meth)(lambda *a: None)
            except v.libvirtError as e:
                assert fam == "secret" and e.get_error_code() == v.VIR_ERR_NO_SUPPORT, (k, e)
                continue
            assert isinstance(cid, int) and cid >= 0
            getattr(c, fam + "_event_deregister")(cid)
            # deregistering twice is libvirt's error
            try:
                getattr(c, fam + "_event_deregister")(cid)
                raise SystemExit("second deregister accepted: " + k)
            except v.libvirtError:
                pass
            n += 1
        print("registered", n)
    """)
    assert "registered 32" in out


def test_argument_errors():
    run("""
        c = v.open("test:///default")
        for bad, exc in (((), TypeError), ((42,), TypeError), ((print, "test"), TypeError),
                         ((print, c), TypeError)):
            try:
                c.domain_event_lifecycle_register(*bad)
                raise SystemExit("accepted %r" % (bad,))
            except exc:
                pass
        try:
            c.domain_event_lifecycle_register(print, nosuch=1)
            raise SystemExit("accepted a bad keyword")
        except TypeError:
            pass
        # a network for a domain event: the object type is checked
        net = c.networkLookupByName("default")
        try:
            c.domain_event_lifecycle_register(print, net)
            raise SystemExit("accepted a network")
        except TypeError:
            pass
    """)


def test_domain_events_end_to_end():
    out = run("""
        c = v.open("test:///default")
        lc, md = Rec(), Rec()
        i1 = c.domain_event_lifecycle_register(lc, opaque="ctx")
        d = c.lookupByName("test")
        i2 = c.domain_event_metadata_change_register(md, d)   # opaque defaults to None
        d.suspend(); d.resume()
        d.setMetadata(v.VIR_DOMAIN_METADATA_DESCRIPTION, "hi", None, None)
        xml = "<domain type='test'><name>ev1</name><memory>8192</memory><os><type>hvm</type></os></domain>"
        d2 = c.defineXML(xml); d2.create(); d2.destroy(); d2.undefine()
        got = lc.wait(6, "lifecycle")
        seq = [(a[1].name(), a[2], a[3], a[4]) for a in got]
        assert all(a[0] is c for a in got)
        assert seq == [("test", v.VIR_DOMAIN_EVENT_SUSPENDED, 0, "ctx"),
                       ("test", v.VIR_DOMAIN_EVENT_RESUMED, 0, "ctx"),
                       ("ev1", v.VIR_DOMAIN_EVENT_DEFINED, 0, "ctx"),
                       ("ev1", v.VIR_DOMAIN_EVENT_STARTED, v.VIR_DOMAIN_EVENT_STARTED_BOOTED, "ctx"),
                       ("ev1", v.VIR_DOMAIN_EVENT_STOPPED, v.VIR_DOMAIN_EVENT_STOPPED_DESTROYED, "ctx"),
                       ("ev1", v.VIR_DOMAIN_EVENT_UNDEFINED, 0, "ctx")], seq
        (mc,) = md.wait(1, "metadata")
        assert mc[1].name() == "test" and mc[2] == v.VIR_DOMAIN_METADATA_DESCRIPTION
        assert mc[3] is None and mc[4] is None, mc     # nsuri NULL, opaque None
        c.domain_event_deregister(i1); c.domain_event_deregister(i2)
        d.suspend(); d.resume()
        import time; time.sleep(0.2)
        assert len(lc.got) == 6, lc.got
        print("ok")
    """)
    assert "ok" in out


def test_network_pool_nodedev_events_end_to_end():
    out = run("""
        c = v.open("test:///default")
        nl, pl, pr, dl = Rec(), Rec(), Rec(), Rec()
        ids = [("network", c.network_event_lifecycle_register(nl, opaque=1)),
               ("storage_pool", c.storage_pool_event_lifecycle_register(pl, None, 2)),
               ("storage_pool", c.storage_pool_event_refresh_register(pr)),
               ("node_device", c.node_device_event_lifecycle_register(dl, opaque=4))]
        n = c.networkLookupByName("default"); n.destroy(); n.create()
        got = nl.wait(2, "network")
        assert [(a[1].name(), a[2], a[4]) for a in got] == [
            ("default", v.VIR_NETWORK_EVENT_STOPPED, 1), ("default", v.VIR_NETWORK_EVENT_STARTED, 1)], got
        p = c.storagePoolLookupByName("default-pool"); p.refresh(); p.destroy(); p.create()
        (r,) = pr.wait(1, "pool refresh")
        assert r[1].name() == "default-pool" and r[2] is None and len(r) == 3
        got = pl.wait(2, "pool lifecycle")
        assert [(a[1].name(), a[2], a[4]) for a in got] == [
            ("default-pool", v.VIR_STORAGE_POOL_EVENT_STOPPED, 2),
            ("default-pool", v.VIR_STORAGE_POOL_EVENT_STARTED, 2)], got
        nd = c.nodeDeviceCreateXML("<device><parent>scsi_host1</parent><capability type='scsi_host'>"
                                   "<capability type='fc_host'><wwnn>2000000000000001</wwnn>"
                                   "<wwpn>1000000000000001</wwpn></capability></capability></device>")
        name = nd.name()
        nd.destroy()
        got = dl.wait(2, "node device")
        assert [(a[1].name(), a[2], a[4]) for a in got] == [
            (name, v.VIR_NODE_DEVICE_EVENT_CREATED, 4), (name, v.VIR_NODE_DEVICE_EVENT_DELETED, 4)], got
        for fam, cid in ids:
            getattr(c, fam + "_event_deregister")(cid)
        print("ok")
    """)
    assert "ok" in out


def test_typed_params_payload():
    # the test driver sends no tunable / job-completed events: check the
    # callback wrapper the two methods register (the dict becomes the class)
    run("""
        from virtbind import _events, typed
        got = []
        cb = _events._typed_event_callback(lambda *a: got.append(a), "DomainTunableParams", 0)
        cb("conn", "dom", {"cputune.vcpupin0": "0-1", "cputune.shares": 5}, "op")
        (a,) = got
        assert isinstance(a[2], typed.DomainTunableParams), a
        assert a[2].to_dict()["cputune.vcpupin0"] == "0-1" and a[3] == "op"
        cb = _events._typed_event_callback(lambda *a: got.append(a), "DomainJobStatsParams", 0)
        cb("conn", "dom", {"time_elapsed": 7}, None)
        assert isinstance(got[1][2], typed.DomainJobStatsParams) and got[1][2].time_elapsed == 7
        c = v.open("test:///default")
        c.domain_event_deregister(c.domain_event_tunable_register(print))
        c.domain_event_deregister(c.domain_event_job_completed_register(print, opaque=1))
    """)


def test_callback_exception_reported_and_deregister_inside():
    out = run("""
        reported = []
        sys.unraisablehook = lambda u: reported.append(u.exc_value)
        c = v.open("test:///default")
        calls = Rec()
        state = {}
        def cb(conn, dom, event, detail, opaque):
            calls(event)
            if len(calls.got) == 1:
                raise ValueError("boom")
            conn.domain_event_deregister(state["id"])   # from inside the callback
        state["id"] = c.domain_event_lifecycle_register(cb)
        d = c.lookupByName("test")
        d.suspend(); d.resume()
        calls.wait(2, "two events")
        d.suspend(); d.resume()
        import time; time.sleep(0.2)
        assert len(calls.got) == 2, calls.got
        assert len(reported) == 1 and isinstance(reported[0], ValueError), reported
        print("ok")
    """)
    assert "ok" in out


def test_close_releases_callbacks_once():
    # deregistration makes libvirt call the free callback once per
    # registration (callback and opaque released exactly once:
    # weakref.finalize fires once); closing the connection afterwards
    # releases nothing twice and nothing crashes.  (Closing with
    # registrations still active keeps them: libvirt's callback list holds a
    # connection reference — as with python3-libvirt; docs/events.md.)
    out = run("""
        import gc, weakref
        class Op: pass
        class Cb:
            def __call__(self, *a): pass
        fired = []
        c = v.open("test:///default")
        ids = []
        for k, meth in enumerate(("domain_event_lifecycle_register", "domain_event_reboot_register",
                                  "network_event_lifecycle_register",
                                  "storage_pool_event_refresh_register")):
            op, cb = Op(), Cb()
            weakref.finalize(op, fired.append, ("op", k))
            weakref.finalize(cb, fired.append, ("cb", k))
            ids.append((meth.split("_event_")[0], getattr(c, meth)(cb, opaque=op)))
            del op, cb
        gc.collect()
        assert fired == [], fired          # kept alive by the registrations
        for fam, cid in ids:
            getattr(c, fam + "_event_deregister")(cid)
        c.close()
        # libvirt frees them from the event loop: bounded wait
        import time
        for _ in range(200):
            gc.collect()
            if len(fired) == 8:
                break
            time.sleep(0.025)
        assert sorted(fired) == sorted([(w, k) for w in ("op", "cb") for k in range(4)]), fired
        try:
            c.domain_event_lifecycle_register(print)
            raise SystemExit("closed connection accepted a registration")
        except v.libvirtError as e:
            assert e.get_error_code() == v.VIR_ERR_INVALID_CONN, e.get_error_code()
        time.sleep(0.1); gc.collect()
        assert len(fired) == 8, fired      # never twice
        print("ok")
    """)
    assert "ok" in out


def test_classes_subclassable_weakref_closed_conn_code():
    run("""
        import weakref
        c = v.open("test:///default")
        d = c.lookupByName("test")
        r = weakref.ref(d)
        assert r() is d
        for cls in (v.virConnect, v.virDomain, v.virNetwork, v.virStoragePool, v.virStream):
            type("Sub" + cls.__name__, (cls,), {})       # subclassable, as python3-libvirt
        del d
        assert r() is None
        c.close()
        try:
            c.getType()
            raise SystemExit("closed connection answered")
        except v.libvirtError as e:
            assert e.get_error_code() == v.VIR_ERR_INVALID_CONN == 6, e.err
    """)


def test_lent_event_objects():
    # the event's object is lent to the callback; a libvirt reference is
    # taken only when the callback keeps the wrapper (docs/events.md)
    out = run("""
        import gc, weakref
        c = v.open("test:///default")
        kept, weak, raised = [], [], []
        seen = Rec()
        state = {"n": 0}
        def cb(conn, dom, event, detail, opaque):
            state["n"] += 1
            k = state["n"]
            if k == 1:
                kept.append(dom)                 # kept: must stay valid afterwards
            elif k == 2:
                weak.append(weakref.ref(dom))    # only a weak reference
            elif k == 3:
                del dom                          # dropped inside the callback
            elif k == 4:
                raise RuntimeError(dom)          # kept by the traceback for a while
            seen(k)
        sys.unraisablehook = lambda u: raised.append(u.exc_value)
        cid = c.domain_event_lifecycle_register(cb)
        d = c.lookupByName("test")
        for _ in range(3):
            d.suspend(); d.resume()
        seen.wait(5, "events")
        c.domain_event_deregister(cid)
        gc.collect()
        assert kept[0].name() == "test" and kept[0].info()[0] in (1, 3)
        assert weak[0]() is None
        assert len(raised) == 1 and raised[0].args[0].name() == "test"
        del kept[:], raised[:]
        gc.collect()
        print("ok", d.name())
    """)
    assert "ok test" in out
