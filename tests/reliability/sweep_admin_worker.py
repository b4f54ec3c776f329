"""tests/reliability/sweep_admin_worker.py — the child process of the bad-input
sweep of virtbind_admin (tests/python/test_sweep_admin.py), against the
private libvirtd whose admin URI is argv ``--uri``.

For every entry of ``virtbind_admin.__virtbind_manifest__`` (100% of the admin
module's functions and methods; signatures from its generated stubs
``virtbind_admin.pyi``) the same cases as the main sweep (sweep_worker.py,
values from sweep_common.py): each parameter in turn replaced by 22 bad
values, wrong arity and keywords, a wrong ``self``, calls on a ``close()``d
admin connection and on servers / clients whose connection was closed; with
``--extras`` the typed parameters of setThreadPoolParameters (both servers)
and setClientLimits (every field a getter returns, 12 wrong values each,
unknown fields, bad keys) and close-callback registration (non-callable,
twice, unregister twice).

The daemon is the test's own: what a bad value could change is put back after
every function (daemon timeout 0, logging outputs and filters, thread-pool and
client limits as found).  A virAdmClient is a raw unix-socket connection this
process opens to the daemon's main socket (no libvirt.so.0 here: virtbind_admin
refuses to share a process with it).  URIs stay on ``--uri``'s socket or a
socket path that does not exist in the scratch directory: nothing else is
contacted; LIBVIRT_ADMIN_DEFAULT_URI (the default of ``open(None)``) is set by
the parent to the same daemon.

Protocol and output: sweep_common.py.
"""
import argparse
import faulthandler
import gc
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sweep_common as common  # noqa: E402
from sweep_common import TP_BAD, Other, cb, tp_bad_dicts  # noqa: E402

import virtbind_admin  # noqa: E402

A = virtbind_admin
HANG_S = int(os.environ.get("VB_SWEEP_HANG_S", "30"))
ALLOWED = (TypeError, OverflowError, ValueError, LookupError, A.libvirtError)
# Parameters that are URIs (of open): bad values that fail without connecting
BAD_URIS = ("libvirtd:///system?socket=nosuch-sock", "libvirtd:///%s%n%x%s%n?socket=nosuch-sock")
SETTABLE_TP = ("minWorkers", "maxWorkers", "prioWorkers")
SETTABLE_LIMITS = ("nclients_max", "nclients_unauth_max")

CLASSES = ["virAdmConnect", "virAdmServer", "virAdmClient"]


class Env:
    """A fresh admin connection, the 'libvirtd' server and one client (a raw
    connection of ours to the main socket)."""

    def __init__(self, uri, main_sock):
        c = self.conn = A.open(uri)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(main_sock)
        srv = c.lookupServer("libvirtd")
        self.objs = {"virAdmConnect": c, "virAdmServer": srv}
        # the daemon registers the client when it accepts: bounded poll
        for _ in range(200):
            clients = srv.listClients()
            if clients:
                self.objs["virAdmClient"] = max(clients, key=lambda x: x.getID())
                break
            faulthandler.dump_traceback_later(HANG_S, exit=True)
            import time
            time.sleep(0.01)

    def close(self, saved):
        restore(self.conn, saved)
        self.objs.clear()
        self.sock.close()
        close_conn(self.conn)
        self.conn = None
        gc.collect()


def close_conn(conn):
    """close() after unregistering a close callback a case left registered:
    libvirt's registration holds a reference to the connection, so a bare
    virAdmConnectClose leaves it (and its socket) open; virtbind's close()
    ends the registration itself since da807e9 (python3-libvirt's does not:
    docs/reliability.md, Findings).  Explicit here so the sweep's valgrind run
    does not depend on it."""
    try:
        conn.unregisterCloseCallback()
    except A.libvirtError:
        pass
    try:
        conn.close()
    except A.libvirtError:
        pass


def save(conn):
    srvs = {s: conn.lookupServer(s) for s in ("libvirtd", "admin")}
    return {"outputs": conn.getLoggingOutputs(), "filters": conn.getLoggingFilters() or "",
            "tp": {s: {k: v for k, v in srv.getThreadPoolParameters().items() if k in SETTABLE_TP}
                   for s, srv in srvs.items()},
            "limits": {k: v for k, v in srvs["libvirtd"].getClientLimits().items()
                       if k in SETTABLE_LIMITS}}


def restore(conn, saved):
    """Puts back what a bad value may have changed; the daemon stays as found."""
    conn.setDaemonTimeout(0)
    conn.setLoggingOutputs(saved["outputs"])
    conn.setLoggingFilters(saved["filters"])
    for s, tp in saved["tp"].items():
        conn.lookupServer(s).setThreadPoolParameters(tp)
    conn.lookupServer("libvirtd").setClientLimits(saved["limits"])


def plausible(pname, ann, env, func, uri):
    if func == "open" and pname == "name":
        return uri
    if pname == "name":              # lookupServer
        return "libvirtd"
    if pname == "id" and "virAdmClient" in env.objs:
        return env.objs["virAdmClient"].getID()
    if "Callable" in ann or pname == "cb":
        return cb
    for c in CLASSES:
        if c in ann:
            return env.objs.get(c)
    if "Mapping" in ann or ann.startswith("dict"):
        return {}
    if "str" in ann:
        return "x"
    if "int" in ann:
        return 0
    return None


def orphan(c2, cls, env):
    """An object of class cls obtained from the connection c2."""
    srv = c2.lookupServer("libvirtd")
    if cls == "virAdmServer":
        return srv
    if cls == "virAdmClient" and "virAdmClient" in env.objs:
        try:
            return srv.lookupClient(env.objs["virAdmClient"].getID())
        except A.libvirtError:   # an earlier call closed it
            return None
    return None


def sweep_function(sw, idx, cname, pyname, sigs, uri, main_sock, saved):
    env = Env(uri, main_sock)
    try:
        sig = common.signature_of(sw, sigs, cname, pyname)
        bound, unbound, cls = common.target_of(A, pyname, env.objs)
        tag = "%s (%s)" % (cname, pyname)
        base = [plausible(n, a, env, pyname, uri) for n, a, _ in sig]
        other = env.objs["virAdmServer"] if cls != "virAdmServer" else env.conn
        # "all None" of a function without parameters would be a valid call
        # (close() among them): not made
        common.argument_cases(sw, idx, tag, sig, base, bound, unbound, other,
                              lambda pn: BAD_URIS if (pyname == "open" and pn == "name") else None,
                              all_none_without_params=False)
        if cls is not None and pyname != "virAdmConnect.close":
            c2 = A.open(uri)
            if cls == "virAdmConnect":
                obj, case = c2, "on closed connection"
            else:
                obj, case = orphan(c2, cls, env), "connection closed"
            c2.close()
            if obj is not None:
                sw.call(idx, tag, case, getattr(obj, pyname.split(".", 1)[1]), base)
            del obj, c2
    finally:
        env.close(saved)


def sweep_typed_params(sw, uri):
    c = A.open(uri)
    fields = 0
    try:
        for sname, getter, setter in [("libvirtd", "getThreadPoolParameters", "setThreadPoolParameters"),
                                      ("admin", "getThreadPoolParameters", "setThreadPoolParameters"),
                                      ("libvirtd", "getClientLimits", "setClientLimits")]:
            srv = c.lookupServer(sname)
            cur = getattr(srv, getter)(0)
            f = getattr(srv, setter)
            tag = "typed-params %s %s" % (sname, setter)
            keys = sorted(cur)
            fields += len(keys)
            for k in keys:
                for label, bad in TP_BAD:
                    sw.call(-1, tag, "field %s=%s" % (k, label), f, [{k: bad}, 0])
            for label, bad in tp_bad_dicts(cur, keys):
                sw.call(-1, tag, label, f, [bad, 0])
            settable = SETTABLE_TP if "Thread" in setter else SETTABLE_LIMITS
            sw.call(-1, tag, "same values back", f,
                    [{k: v for k, v in cur.items() if k in settable}, 0])
    finally:
        c.close()
    return fields


def sweep_events(sw, uri):
    c = A.open(uri)
    tag = "events"
    try:
        for label, bad in [("None", None), ("int", 1), ("str", "cb"), ("object", Other())]:
            sw.call(-1, tag, "registerCloseCallback cb=%s" % label, c.registerCloseCallback,
                    [bad, None])
        sw.call(-1, tag, "unregisterCloseCallback none registered", c.unregisterCloseCallback, [])
        sw.call(-1, tag, "registerCloseCallback", c.registerCloseCallback, [cb, {"o": 1}])
        sw.call(-1, tag, "registerCloseCallback twice", c.registerCloseCallback, [cb, None])
        sw.call(-1, tag, "unregisterCloseCallback", c.unregisterCloseCallback, [])
        sw.call(-1, tag, "unregisterCloseCallback twice", c.unregisterCloseCallback, [])
        sw.call(-1, tag, "registerCloseCallback no args", c.registerCloseCallback, [])
        sw.call(-1, tag, "registerCloseCallback again after unregister", c.registerCloseCallback, [cb, None])
        c2 = A.open(uri)
        c2.close()
        sw.call(-1, tag, "registerCloseCallback on closed", c2.registerCloseCallback, [cb, None])
        sw.call(-1, tag, "unregisterCloseCallback on closed", c2.unregisterCloseCallback, [])
    finally:
        close_conn(c)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uri", required=True)
    ap.add_argument("--main-socket", required=True)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--only", default="")
    ap.add_argument("--extras", action="store_true")
    ns = ap.parse_args()
    faulthandler.enable()
    stubs = os.path.join(os.path.dirname(A.__file__), "virtbind_admin.pyi")
    sigs = common.load_signatures(stubs)
    man = A.__virtbind_manifest__
    order = sorted(man)
    only = set(filter(None, ns.only.split(",")))
    c = A.open(ns.uri)
    saved = save(c)
    c.close()
    sw = common.Sweep(ALLOWED, os.environ.get("VB_SWEEP_VERBOSE") == "1")
    swept = []
    for idx, cname in enumerate(order):
        if idx < ns.start or (only and cname not in only):
            continue
        faulthandler.dump_traceback_later(HANG_S, exit=True)
        if cname == os.environ.get("VB_SWEEP_CRASH_AT"):
            sys.stderr.write("@ %d %s injected crash\n" % (idx, cname))
            sys.stderr.flush()
            os.abort()
        sweep_function(sw, idx, cname, man[cname], sigs, ns.uri, ns.main_socket, saved)
        swept.append(cname)
    fields = 0
    if ns.extras:
        faulthandler.dump_traceback_later(HANG_S, exit=True)
        fields = sweep_typed_params(sw, ns.uri)
        faulthandler.dump_traceback_later(HANG_S, exit=True)
        sweep_events(sw, ns.uri)
        c = A.open(ns.uri)
        restore(c, saved)
        c.close()
    faulthandler.cancel_dump_traceback_later()
    sys.stderr.write("@ done\n")
    common.report(man, order, swept, {}, [], sw, fields)
    os._exit(0)


if __name__ == "__main__":
    main()
