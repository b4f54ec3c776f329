"""Remote calls through a real libvirtd (tests/lib/libvirtd.py), for both
python3-libvirt and virtbind: the URI is test+unix:///default?socket=..., so the
daemon runs the test driver and every call crosses libvirt's RPC.

The virtbind cases skip when build/python/virtbind/_virtbind*.so is missing (`make python`).
Run: /usr/bin/python3 -m pytest tests/python/test_remote_basic.py
"""
import json
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
from libvirtd import (BINDINGS, binding_env, child_import, daemon,  # noqa: E402,F401
                      libvirtd_daemon, load_binding)


@pytest.fixture(params=BINDINGS)
def lv(request):
    mod, why = load_binding(request.param)
    if mod is None:
        pytest.skip(why)
    return mod


def snapshot(conn):
    """What both bindings must agree on, through one connection."""
    dom = conn.lookupByName("test")
    info = dom.info()
    assert isinstance(info, list) and len(info) == 5
    assert isinstance(info[4], int) and info[4] > 0     # cpuTime: the test driver's clock
    return {
        "type": conn.getType(),
        "name": dom.name(),
        "id": dom.ID(),
        "uuid": dom.UUIDString(),
        "info": info[:4],
        "state": dom.state(),
        "xml": dom.XMLDesc(0),
        "memparams": dom.memoryParameters(),
        "domains": sorted(d.name() for d in conn.listAllDomains()),
        "ids": conn.listDomainsID(),
    }


def test_remote_calls(lv, daemon):
    conn = lv.open(daemon.uri)
    try:
        assert conn.getURI() == daemon.uri
        assert conn.isAlive() == 1
        assert conn.isEncrypted() == 0 and conn.isSecure() == 1   # a local unix socket
        s = snapshot(conn)
        assert s["name"] == "test" and s["id"] == 1
        assert s["info"][0] == lv.VIR_DOMAIN_RUNNING
        assert s["xml"].startswith("<domain type='test' id='1'>")
        assert set(s["memparams"]) == {"hard_limit", "soft_limit", "swap_hard_limit"}
        assert s["domains"] == ["test"]
    finally:
        conn.close()


LOCAL_SNAPSHOT = """
import json, sys
{imp}
sys.path.insert(0, sys.argv[1])
from test_remote_basic import snapshot
print(json.dumps(snapshot(lv.open('test:///default'))))
"""


def test_remote_equals_local(lv, daemon):
    """The daemon's test driver and a fresh in-process one (in a child Python:
    test:///default in this process is shared with the other tests, which may
    have changed it) give the same results."""
    name = "virtbind" if lv.__name__ == "virtbind" else "python3-libvirt"
    code = LOCAL_SNAPSHOT.format(imp=child_import(name))
    r = subprocess.run([sys.executable, "-c", code, os.path.dirname(os.path.abspath(__file__))],
                       env=binding_env(name), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    remote = lv.open(daemon.uri)
    try:
        assert json.loads(json.dumps(snapshot(remote))) == json.loads(r.stdout)
    finally:
        remote.close()


def test_remote_error(lv, daemon):
    conn = lv.open(daemon.uri)
    try:
        with pytest.raises(lv.libvirtError) as ei:
            conn.lookupByName("no-such-domain")
        assert ei.value.get_error_code() == lv.VIR_ERR_NO_DOMAIN
        assert conn.isAlive() == 1        # an error reply leaves the connection usable
        assert conn.lookupByName("test").name() == "test"
    finally:
        conn.close()


def test_bindings_agree(daemon):
    mods = [load_binding(b) for b in BINDINGS]
    for mod, why in mods:
        if mod is None:
            pytest.skip(why)
    conns = [m.open(daemon.uri) for m, _ in mods]
    try:
        ref, vb = (snapshot(c) for c in conns)
        assert vb == ref
        # errors too: same code, domain and message
        errs = []
        for (m, _), c in zip(mods, conns):
            with pytest.raises(m.libvirtError) as ei:
                c.lookupByName("no-such-domain")
            e = ei.value
            errs.append((e.get_error_code(), e.get_error_domain(), e.get_error_message(), str(e)))
        assert errs[0] == errs[1]
    finally:
        for c in conns:
            c.close()
