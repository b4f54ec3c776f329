"""tests/reliability/sweep_worker.py — the child process of the bad-input sweep
(tests/python/test_sweep_inputs.py).

For every entry of ``virtbind.__virtbind_manifest__`` (100% of the bound
functions and methods) it derives the signature from the binding's own
tables — the generated stubs ``virtbind/__init__.pyi`` (parameter names,
annotations, defaults) — and calls the function with:

* each parameter in turn replaced by a bad value (wrong types, None, negative
  and huge integers, str with NUL, bytes for str, a printf format probe, bad
  dicts/lists/callables), the other parameters plausible;
* too few / too many positional arguments, an unknown keyword, a duplicate
  keyword;
* a method called unbound with a wrong ``self`` (None, an object of another
  class);
* virConnect methods on a ``close()``d connection; methods of objects whose
  connection was ``close()``d (plausible arguments);

plus typed-parameter dicts (every field a getter returns, with wrong types,
unknown fields) and event registration (non-callable callbacks, bad IDs, double
deregistration, unknown callback IDs).

Only Python exceptions of the allowed kinds may come out: TypeError,
OverflowError, ValueError, LookupError (unknown typed-parameter field, the
binding's documented contract), libvirtError — or a normal return.  Anything
else is recorded as a finding; a crash or hang kills the process and the parent
names the last call from the progress lines.

Protocol: progress lines on stderr, ``@ INDEX NAME CASE`` before every call;
at the end one JSON object on stdout (counts and findings).  ``--start N``
resumes at the Nth manifest entry (the parent restarts after a crash).
``--only NAME,...`` limits the sweep to those C names.

Run from a scratch directory: plausible string arguments are relative paths
("x"), and some calls (dom.save, dom.coreDump) write files there.  No network:
URIs are test:///... only.
"""
import argparse
import faulthandler
import gc
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sweep_common as common  # noqa: E402
from sweep_common import TP_BAD, Other, cb, tp_bad_dicts  # noqa: E402,F401

import virtbind  # noqa: E402

V = virtbind
URI = "test:///default"
VERBOSE = os.environ.get("VB_SWEEP_VERBOSE") == "1"
HANG_S = int(os.environ.get("VB_SWEEP_HANG_S", "30"))

# Functions not called at all, with the reason (they block or would take the
# process down by design).  Everything else in the manifest is swept.
SKIP = {}
# Swept only with cases that fail in argument parsing (wrong arity, unknown
# keyword): a valid call would block.
NO_VALID_CALL = {
    "virEventRunDefaultImpl": "a valid call blocks until an event arrives (runs the loop once)",
}
# Called last: they change process-global state for every later call.
LAST = ("virEventRegisterImpl", "virEventRegisterDefaultImpl", "virSetErrorFunc")
# Parameters that are URIs: plausible and probe values stay on the test driver
# so that nothing resolves host names or connects anywhere.
URI_PARAMS = {"name", "uri", "dconnuri", "duri", "miguri"}
URI_FUNCS = {"open", "openReadOnly", "openAuth"}

ALLOWED = (TypeError, OverflowError, ValueError, LookupError, V.libvirtError)

# ------------------------------------------------------------ the tables

def stub_path():
    return os.path.join(os.path.dirname(V.__file__), "__init__.pyi")


def load_signatures():
    """{"virDomain.info": [(name, annotation, has_default)], ...} from the stubs."""
    return common.load_signatures(stub_path())


# ------------------------------------------------------------ environment

class Env:
    """Objects of every class test:///default can give, on a new connection.
    All released (and the connection closed) by close(), so that the shared
    in-process test driver starts afresh for the next function."""

    def __init__(self):
        c = self.conn = V.open(URI)
        self.objs = {"virConnect": c}
        d = c.lookupByName("test")
        self.objs["virDomain"] = d
        self.objs["virNetwork"] = c.networkLookupByName("default")
        pool = c.storagePoolLookupByName("default-pool")
        self.objs["virStoragePool"] = pool
        try:
            self.objs["virStorageVol"] = pool.createXML(
                "<volume><name>sweep.img</name><capacity>1048576</capacity></volume>", 0)
        except V.libvirtError:  # the driver's state outlived the last Env
            self.objs["virStorageVol"] = pool.storageVolLookupByName("sweep.img")
        self.objs["virInterface"] = c.listAllInterfaces()[0]
        self.objs["virNodeDevice"] = c.listAllDevices()[0]
        self.objs["virStream"] = c.newStream(0)
        # a checkpoint and a snapshot cannot share a domain: a second one
        d2 = c.createXML("<domain type='test'><name>sn</name><memory>1024</memory>"
                         "<os><type>hvm</type></os></domain>", 0)
        self.objs["virDomainSnapshot"] = d2.snapshotCreateXML(
            "<domainsnapshot><name>s1</name></domainsnapshot>", 0)
        self.objs["virDomainCheckpoint"] = d.checkpointCreateXML(
            "<domaincheckpoint><name>c1</name></domaincheckpoint>", 0)
        # virSecret, virNWFilter, virNWFilterBinding, virNetworkPort: the test
        # driver has none (unsupported): only the wrong-self cases reach them.

    def close(self):
        for k in list(self.objs):
            if k != "virConnect":
                del self.objs[k]
        try:
            self.conn.close()
        except Exception:
            pass
        self.objs.clear()
        self.conn = None
        gc.collect()


CLASSES = sorted(
    ["virConnect", "virDomain", "virNetwork", "virStoragePool", "virStorageVol",
     "virInterface", "virNodeDevice", "virStream", "virDomainSnapshot",
     "virDomainCheckpoint", "virSecret", "virNWFilter", "virNWFilterBinding",
     "virNetworkPort"], key=len, reverse=True)


def plausible(pname, ann, env, func):
    """A value of the right type for parameter pname (annotation ann)."""
    if pname in URI_PARAMS and (func in URI_FUNCS or "migrate" in func.lower()) and "str" in ann:
        return URI
    if "Callable" in ann:
        return cb
    for c in CLASSES:
        if c in ann.replace("[", " ").replace("]", " ").replace(",", " ").split() or \
           ann in (c, "Optional[%s]" % c):
            o = env.objs.get(c)
            if o is not None:
                return o
    if "Mapping" in ann or ann.startswith("dict"):
        return {}
    if "list" in ann or "tuple" in ann or "Sequence" in ann:
        return []
    if "bytes" in ann:
        return b""
    if "str" in ann:
        return "x"
    if "float" in ann:
        return 0.0
    if "bool" in ann:
        return False
    if "int" in ann:
        return 0
    return None


def uri_pair(pname, func):
    """For a URI parameter: (unknown URI, printf-probe URI) on the test driver."""
    if pname in URI_PARAMS and (func in URI_FUNCS or "migrate" in func.lower()):
        return ("test:///nosuch", "test:///%s%n%x%s%n")
    return None


# ------------------------------------------------------------ calling

class Sweep(common.Sweep):
    def __init__(self):
        super().__init__(ALLOWED, VERBOSE)


def sweep_function(sw, idx, cname, pyname, sigs):
    env = Env()
    try:
        sig = common.signature_of(sw, sigs, cname, pyname)
        bound, unbound, cls = common.target_of(V, pyname, env.objs)
        tag = "%s (%s)" % (cname, pyname)
        base = [plausible(n, a, env, pyname) for n, a, _ in sig]
        other = env.objs["virDomain"] if cls != "virDomain" else env.objs["virNetwork"]
        common.argument_cases(sw, idx, tag, sig, base, bound, unbound, other,
                              lambda pn: uri_pair(pn, pyname),
                              all_none_without_params=cname not in NO_VALID_CALL)

        if cls is not None and cls in env.objs and pyname != "virConnect.close":
            # the object's connection closed (a second connection so that env's stays usable)
            c2 = V.open(URI)
            if cls == "virConnect":
                c2.close()
                obj = c2
                case = "on closed connection"
            else:
                obj = orphan(c2, cls, env)
                c2.close()
                case = "connection closed"
            if obj is not None:
                meth = getattr(obj, pyname.split(".", 1)[1])
                args = [rebind(a, obj, env) for a in base]
                sw.call(idx, tag, case, meth, args)
                del meth, args
            del obj, c2
    finally:
        env.close()


def orphan(c2, cls, env):
    """An object of class cls obtained from connection c2."""
    try:
        d = c2.lookupByName("test")
        if cls == "virDomain":
            return d
        if cls == "virNetwork":
            return c2.networkLookupByName("default")
        if cls == "virStoragePool":
            return c2.storagePoolLookupByName("default-pool")
        if cls == "virStorageVol":
            return c2.storageVolLookupByPath(env.objs["virStorageVol"].path())
        if cls == "virInterface":
            return c2.listAllInterfaces()[0]
        if cls == "virNodeDevice":
            return c2.listAllDevices()[0]
        if cls == "virStream":
            return c2.newStream(0)
        if cls == "virDomainSnapshot":
            return c2.lookupByName("sn").snapshotLookupByName("s1")
        if cls == "virDomainCheckpoint":
            return d.checkpointLookupByName("c1")
    except (V.libvirtError, IndexError):  # an earlier call removed it
        return None
    return None


def rebind(a, obj, env):
    return a


# ------------------------------------------------------------ typed parameters and events

def sweep_typed_params(sw):
    env = Env()
    c, d = env.conn, env.objs["virDomain"]
    pairs = [
        ("memoryParameters", "setMemoryParameters", d, ()),
        ("blkioParameters", "setBlkioParameters", d, ()),
        ("numaParameters", "setNumaParameters", d, ()),
        ("schedulerParameters", "setSchedulerParameters", d, ()),
        ("schedulerParametersFlags", "setSchedulerParametersFlags", d, ()),
        ("interfaceParameters", "setInterfaceParameters", d, ("vnet0",)),
        ("blockIoTune", "setBlockIoTune", d, ("vda",)),
        ("perfEvents", "setPerfEvents", d, ()),
        ("getMemoryParameters", "setMemoryParameters", c, ()),
        ("getSEVInfo", None, c, ()),
    ]
    fields_total = 0
    try:
        for getter, setter, obj, extra in pairs:
            try:
                try:
                    cur = getattr(obj, getter)(*extra, 0)
                except TypeError:  # no flags argument
                    cur = getattr(obj, getter)(*extra)
            except V.libvirtError:
                cur = {}
            if not isinstance(cur, dict):
                cur = {}
            if setter is None or not hasattr(obj, setter):
                continue
            f = getattr(obj, setter)
            tag = "typed-params %s.%s" % (type(obj).__name__, setter)
            keys = sorted(cur) or ["weight"]
            fields_total += len(keys)
            for k in keys:
                for label, bad in TP_BAD:
                    sw.call(-1, tag, "field %s=%s" % (k, label), f, list(extra) + [{k: bad}, 0])
            for label, bad in tp_bad_dicts(cur, keys):
                sw.call(-1, tag, label, f, list(extra) + [bad, 0])
            sw.call(-1, tag, "same values back", f, list(extra) + [cur, 0])
    finally:
        env.close()
    return fields_total


def sweep_events(sw, close_callbacks=True):
    env = Env()
    c, d = env.conn, env.objs["virDomain"]
    tag = "events"
    try:
        for fam, obj, ids in [("domainEventRegisterAny", d, range(0, 27)),
                              ("networkEventRegisterAny", env.objs["virNetwork"], range(0, 2)),
                              ("storagePoolEventRegisterAny", env.objs["virStoragePool"], range(0, 2)),
                              ("nodeDeviceEventRegisterAny", env.objs["virNodeDevice"], range(0, 2)),
                              ("secretEventRegisterAny", None, range(0, 2))]:
            reg = getattr(c, fam)
            dereg = getattr(c, fam.replace("Register", "Deregister"))
            for bad_cb_label, bad_cb in [("None", None), ("int", 1), ("str", "cb"), ("object", Other())]:
                sw.call(-1, tag, "%s cb=%s" % (fam, bad_cb_label), reg, [obj, 0, bad_cb, None])
            for bad_id in (-1, 10 ** 6, 2 ** 31, 2 ** 64, "0", None):
                sw.call(-1, tag, "%s eventID=%r" % (fam, bad_id), reg, [obj, bad_id, cb, None])
            sw.call(-1, tag, "%s obj=wrong class" % fam, reg, [c, 0, cb, None])
            for eid in ids:
                ids_ok = []
                for _ in range(2):
                    try:
                        ids_ok.append(reg(obj, eid, cb, {"opaque": eid}))
                    except (V.libvirtError, ValueError):  # not supported here
                        pass
                for cid in ids_ok:
                    sw.call(-1, tag, "%s deregister id" % fam, dereg, [cid])
                    sw.call(-1, tag, "%s deregister twice" % fam, dereg, [cid])
            for bad in (-1, 0, 123456, 2 ** 31, 2 ** 64, None, "1"):
                sw.call(-1, tag, "%s deregister unknown %r" % (fam, bad), dereg, [bad])
        # legacy, close callback, stream callbacks, timers and handles
        sw.call(-1, tag, "domainEventRegister non-callable", c.domainEventRegister, [None, None])
        sw.call(-1, tag, "domainEventDeregister never registered", c.domainEventDeregister, [cb])
        sw.call(-1, tag, "domainEventDeregister non-callable", c.domainEventDeregister, [5])
        sw.call(-1, tag, "registerCloseCallback non-callable", c.registerCloseCallback, [3, None])
        sw.call(-1, tag, "unregisterCloseCallback unregistered", c.unregisterCloseCallback, [])
        if close_callbacks:
            # (test:///default accepts a close callback and never releases it:
            # not under valgrind, see docs/reliability.md)
            sw.call(-1, tag, "registerCloseCallback", c.registerCloseCallback, [cb, None])
            sw.call(-1, tag, "registerCloseCallback twice", c.registerCloseCallback, [cb, None])
            sw.call(-1, tag, "unregisterCloseCallback", c.unregisterCloseCallback, [])
            sw.call(-1, tag, "unregisterCloseCallback twice", c.unregisterCloseCallback, [])
        st = env.objs["virStream"]
        sw.call(-1, tag, "stream eventAddCallback non-callable", st.eventAddCallback, [1, None, None])
        sw.call(-1, tag, "stream eventRemoveCallback none added", st.eventRemoveCallback, [])
        sw.call(-1, tag, "stream eventRemoveCallback twice", st.eventRemoveCallback, [])
        sw.call(-1, tag, "virEventAddTimeout non-callable", V.virEventAddTimeout, [10, "x", None])
        sw.call(-1, tag, "virEventAddHandle non-callable", V.virEventAddHandle, [0, 1, 7, None])
        sw.call(-1, tag, "virEventAddHandle bad fd", V.virEventAddHandle, [-1, 1, cb, None])
        for bad in (-1, 0, 99999, 2 ** 64):
            sw.call(-1, tag, "virEventRemoveTimeout %r" % bad, V.virEventRemoveTimeout, [bad])
            sw.call(-1, tag, "virEventRemoveHandle %r" % bad, V.virEventRemoveHandle, [bad])
            sw.call(-1, tag, "virEventUpdateTimeout %r" % bad, V.virEventUpdateTimeout, [bad, 5])
            sw.call(-1, tag, "virEventUpdateHandle %r" % bad, V.virEventUpdateHandle, [bad, 1])
    finally:
        env.close()


# ------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--only", default="")
    ap.add_argument("--extras", action="store_true", help="typed params and events too")
    ns = ap.parse_args()

    faulthandler.enable()
    # a stuck call dumps every thread's stack and exits: the parent reports it
    sigs = load_signatures()
    man = V.__virtbind_manifest__
    order = sorted(man, key=lambda n: (n in LAST, LAST.index(n) if n in LAST else 0, n))
    only = set(filter(None, ns.only.split(",")))
    sw = Sweep()
    swept, skipped = [], {}
    for idx, cname in enumerate(order):
        if idx < ns.start:
            continue
        if only and cname not in only:
            continue
        if cname in SKIP:
            skipped[cname] = SKIP[cname]
            continue
        faulthandler.dump_traceback_later(HANG_S, exit=True)
        if cname == os.environ.get("VB_SWEEP_CRASH_AT"):  # the test of the crash report
            sys.stderr.write("@ %d %s injected crash\n" % (idx, cname))
            sys.stderr.flush()
            os.abort()
        sweep_function(sw, idx, cname, man[cname], sigs)
        swept.append(cname)
    fields = 0
    if ns.extras:
        faulthandler.dump_traceback_later(HANG_S, exit=True)
        fields = sweep_typed_params(sw)
        faulthandler.dump_traceback_later(HANG_S, exit=True)
        sweep_events(sw)
    faulthandler.cancel_dump_traceback_later()
    sys.stderr.write("@ done\n")
    common.report(man, order, swept, skipped, sorted(NO_VALID_CALL), sw, fields)
    # leave without running libvirt's/CPython's teardown twice
    os._exit(0)


if __name__ == "__main__":
    main()
