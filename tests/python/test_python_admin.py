"""virtbind_admin: libvirt's admin API against a private libvirtd
(tests/lib/libvirtd.py), each scenario in a child Python that imports only
virtbind_admin.  libvirt-admin.so.0 and libvirt.so.0 both register the
virAdm* GObject types and crash once both have created objects (checked in C
in both orders), so virtbind_admin and virtbind refuse to load in a process
where the other side's library is loaded; tested here too."""
import glob
import os
import subprocess
import sys
import textwrap
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYDIR = os.path.join(ROOT, os.environ.get("BUILD", "build"), "python")
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from libvirtd import daemon, libvirtd_daemon  # noqa: E402,F401

if not glob.glob(os.path.join(PYDIR, "virtbind_admin*.so")):
    pytest.skip("build/python/virtbind_admin*.so is missing: run `make python` first",
                allow_module_level=True)


def child(code, *args, timeout=60):
    env = dict(os.environ, PYTHONPATH=PYDIR)
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], env=env,
                       capture_output=True, text=True, timeout=timeout)
    return r


def ok(code, *args):
    r = child(code, *args)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


@pytest.fixture
def admin_uri(daemon):
    """The admin URI of the module's libvirtd (restarted by ``daemon`` when a
    test left it down)."""
    return daemon.admin_uri


# ------------------------------------------------------------ the module

def test_module_tables():
    out = ok("""
        import virtbind_admin as adm
        m = adm.__virtbind_manifest__
        assert m['virAdmConnectOpen'] == 'open'
        assert m['virAdmConnectListServers'] == 'virAdmConnect.listServers'
        assert m['virAdmServerGetThreadPoolParameters'] == 'virAdmServer.getThreadPoolParameters'
        assert m['virAdmClientGetInfo'] == 'virAdmClient.getInfo'
        # the admin XML, plus libvirt's default event loop, which close
        # callbacks need
        assert {n for n in m if not n.startswith('virAdm')} == {
            'virEventRegisterDefaultImpl', 'virEventRunDefaultImpl'}
        for c, p in m.items():
            owner, _, attr = p.rpartition('.')
            assert callable(getattr(getattr(adm, owner) if owner else adm, attr)), p
        assert adm.__virtbind_skipped__ == ()
        assert 'virAdmServerFree' in adm.__virtbind_internal__
        assert adm.VIR_THREADPOOL_WORKERS_MAX == 'maxWorkers'
        assert adm.VIR_CLIENT_TRANS_UNIX == 0
        assert not hasattr(adm, 'VIR_CLIENT_TRANS_LAST')
        assert 'VIR_CLIENT_TRANS_LAST' in adm.__virtbind_skipped_constants__
        assert not hasattr(adm, 'VIR_DOMAIN_RUNNING')       # admin constants only
        assert adm.getVersion() >= 2000000
        assert issubclass(adm.libvirtError, Exception)
        print(len(m))
    """)
    assert int(out) in (28, 30)


def test_main_module_lists_admin_functions_with_the_reason():
    out = ok("""
        import virtbind
        r = virtbind.__virtbind_skip_reasons__
        adm = sorted(n for n in r if n.startswith('virAdm'))
        assert len(adm) == 32, adm     # all of the admin XML
        assert all('virtbind_admin' in r[n] for n in adm), set(r[n] for n in adm)
        print('ok')
    """)
    assert out.strip() == "ok"


# --------------------------------------------------------- one process each

def test_admin_after_main_is_an_import_error():
    r = child("""
        import virtbind
        virtbind.open('test:///default')
        try:
            import virtbind_admin
        except ImportError as e:
            print('ImportError', e)
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ImportError virtbind_admin: libvirt.so.0 is already loaded")
    assert "virAdmServer" in r.stdout and "separate" not in r.stderr


def test_main_after_admin_is_an_import_error():
    r = child("""
        import sys, virtbind_admin
        try:
            import virtbind
        except ImportError as e:
            print('ImportError', e)
        assert 'virtbind' not in sys.modules and 'virtbind._virtbind' not in sys.modules
        try:
            import virtbind          # still refused, not half-imported
        except ImportError as e:
            print('again')
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ImportError virtbind: libvirt-admin.so.0 is already loaded")
    assert r.stdout.rstrip().endswith("again")


@pytest.mark.skipif(not os.path.exists("/usr/lib/python3/dist-packages/libvirt.py"),
                    reason="python3-libvirt is not installed")
def test_admin_after_python3_libvirt_is_an_import_error():
    r = child("""
        import sys
        sys.path.append('/usr/lib/python3/dist-packages')
        import libvirt
        try:
            import virtbind_admin
        except ImportError as e:
            print('ImportError', e)
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ImportError virtbind_admin: libvirt.so.0 is already loaded")


# ------------------------------------------------------------ against libvirtd

def test_connect_and_servers(admin_uri):
    out = ok("""
        import sys, virtbind_admin as adm
        with adm.open(sys.argv[1]) as c:
            assert isinstance(c, adm.virAdmConnect)
            assert c.getURI() == sys.argv[1]
            assert c.isAlive() == 1
            assert c.getLibVersion() == adm.getVersion()
            srvs = c.listServers()
            assert all(isinstance(s, adm.virAdmServer) for s in srvs)
            print(sorted(s.getName() for s in srvs))
            s = c.lookupServer('libvirtd')
            assert s.getName() == 'libvirtd'
            try:
                c.lookupServer('nope')
            except adm.libvirtError as e:
                assert e.get_error_code() == adm.VIR_ERR_NO_SERVER if hasattr(adm, 'VIR_ERR_NO_SERVER') else 95
                print('error:', e)
    """, admin_uri)
    lines = out.splitlines()
    assert lines[0] == "['admin', 'libvirtd']"
    assert lines[1] == "error: Server not found: No server named 'nope'"


def test_open_default_uri(admin_uri):
    """open() with no name: libvirt-admin's default, LIBVIRT_ADMIN_DEFAULT_URI."""
    env = dict(os.environ, PYTHONPATH=PYDIR, LIBVIRT_ADMIN_DEFAULT_URI=admin_uri)
    r = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import virtbind_admin as adm
        print(adm.open().getURI())
        print(adm.open(None, 0).getURI())
        print(adm.open(name=None).getURI())
    """)], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [admin_uri] * 3


def test_threadpool_and_client_limits(admin_uri):
    out = ok("""
        import sys, virtbind_admin as adm
        c = adm.open(sys.argv[1])
        s = c.lookupServer('libvirtd')
        tp = s.getThreadPoolParameters()
        assert set(tp) == {adm.VIR_THREADPOOL_WORKERS_MIN, adm.VIR_THREADPOOL_WORKERS_MAX,
                           adm.VIR_THREADPOOL_WORKERS_PRIORITY, adm.VIR_THREADPOOL_WORKERS_FREE,
                           adm.VIR_THREADPOOL_WORKERS_CURRENT, adm.VIR_THREADPOOL_JOB_QUEUE_DEPTH}, tp
        assert tp['maxWorkers'] == 8          # max_workers in the daemon's config
        assert s.setThreadPoolParameters({'maxWorkers': 10}) == 0
        assert s.getThreadPoolParameters()['maxWorkers'] == 10
        s.setThreadPoolParameters({'maxWorkers': 8}, 0)
        try:
            s.setThreadPoolParameters({'noSuchField': 1})
        except LookupError:
            print('LookupError')
        lim = s.getClientLimits()
        assert lim[adm.VIR_SERVER_CLIENTS_MAX] == 64, lim
        assert s.setClientLimits({'nclients_max': 65}) == 0
        assert s.getClientLimits()['nclients_max'] == 65
        s.setClientLimits({'nclients_max': 64})
        print(sorted(lim))
    """, admin_uri)
    assert out.splitlines() == ["LookupError",
                                "['nclients', 'nclients_max', 'nclients_unauth', 'nclients_unauth_max']"]


def test_logging_settings(admin_uri):
    out = ok("""
        import sys, virtbind_admin as adm
        c = adm.open(sys.argv[1])
        print(repr(c.getLoggingOutputs()))
        assert c.setLoggingFilters('3:util 4:rpc') == 0
        print(repr(c.getLoggingFilters()))
        c.setLoggingFilters('')
        print(repr(c.getLoggingFilters(0)))
    """, admin_uri)
    lines = out.splitlines()
    assert lines[0].startswith("'3:file:") and "libvirtd.log" in lines[0]
    assert lines[1] == "'3:*util* 4:*rpc* '"     # libvirtd's normalized form
    assert lines[2] in ("None", "''")


def test_clients(admin_uri, daemon):
    """A main-API client (another process) shows up in listClients; it can be
    looked up, inspected and disconnected."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import sys, time, virtbind
            c = virtbind.open(sys.argv[1])
            print('open', flush=True)
            for _ in range(600):
                time.sleep(0.1)
                try:
                    c.getLibVersion()
                except virtbind.libvirtError:
                    print('disconnected', flush=True)
                    break
        """), daemon.uri], env=dict(os.environ, PYTHONPATH=PYDIR),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        out = ok("""
            import sys, virtbind_admin as adm
            c = adm.open(sys.argv[1])
            s = c.lookupServer('libvirtd')
            cl = s.listClients()
            assert len(cl) == 1, cl
            x = cl[0]
            assert isinstance(x, adm.virAdmClient)
            assert x.getTransport() == adm.VIR_CLIENT_TRANS_UNIX
            assert x.getTimestamp() > 1600000000
            y = s.lookupClient(x.getID())
            assert y.getID() == x.getID()
            info = x.getInfo()
            assert info[adm.VIR_CLIENT_INFO_READONLY] is False
            assert isinstance(info[adm.VIR_CLIENT_INFO_UNIX_USER_ID], int)
            assert x.close() == 0
            print('closed')
        """, admin_uri)
        assert out.strip() == "closed"
        assert holder.stdout.readline().strip() == "disconnected"
    finally:
        holder.kill()
        holder.wait()


def test_errors_and_argument_checks(admin_uri):
    out = ok("""
        import sys, virtbind_admin as adm
        try:
            adm.open('libvirtd:///system?socket=/nonexistent/sock')
        except adm.libvirtError as e:
            print('open failed', type(e.err), len(e.err))
        c = adm.open(sys.argv[1])
        for bad in (lambda: c.lookupServer(1), lambda: c.lookupServer(),
                    lambda: c.setDaemonTimeout('x')):
            try:
                bad()
            except TypeError:
                pass
            else:
                raise AssertionError('no TypeError')
        c.close()
        try:
            c.getURI()
        except adm.libvirtError as e:
            print('closed:', e)
    """, admin_uri)
    lines = out.splitlines()
    assert lines[0] == "open failed <class 'tuple'> 9"
    assert lines[1].startswith("closed:")


def test_close_callback_on_daemon_death(admin_uri, daemon):
    """registerCloseCallback with the default event loop running: killing
    libvirtd calls cb(conn, reason, opaque); unregister works.  Last in this
    file: the daemon is restarted by the admin_uri fixture if needed."""
    out = ok("""
        import sys, threading, time, os, signal, virtbind_admin as adm
        assert adm.virEventRegisterDefaultImpl() == 0
        threading.Thread(target=lambda: [adm.virEventRunDefaultImpl() for _ in iter(int, 1)],
                         daemon=True).start()
        c = adm.open(sys.argv[1])
        assert c.registerCloseCallback(print, None) == 0
        assert c.unregisterCloseCallback() is None
        got = threading.Event()
        seen = []
        def cb(conn, reason, opaque):
            seen.append((conn is c, reason, opaque))
            got.set()
        assert c.registerCloseCallback(cb, 'op') == 0
        os.kill(int(sys.argv[2]), signal.SIGKILL)
        assert got.wait(30), 'no close callback'
        print(seen)
    """, admin_uri, str(daemon.pid))
    assert out.strip() == "[(True, 1, 'op')]"       # VIR_CONNECT_CLOSE_REASON_EOF
    daemon.restart()
