"""libvirt_qemu / libvirt_lxc functions virtbind binds by hand:
qemuMonitorEventRegister / qemuMonitorEventDeregister,
qemuMonitorCommandWithFiles (libvirt-python's signatures), lxcEnterNamespace
and lxcEnterSecurityLabel (libvirt-python has none: virtbind's shapes).

The test driver implements none of the QEMU ones: the calls must reach libvirt
and fail exactly as python3-libvirt's do.  Each case runs in a subprocess
with the compat modules first on sys.path."""
import glob
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYDIR = os.path.join(ROOT, os.environ.get("BUILD", "build"), "python")
COMPAT = os.path.join(PYDIR, "compat")
REF = "/usr/lib/python3/dist-packages"

if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)
needs_ref = pytest.mark.skipif(not os.path.exists(os.path.join(REF, "libvirt_qemu.py")),
                               reason="python3-libvirt is not installed")

QEMU_CALLS = """
import libvirt, libvirt_qemu
libvirt.registerErrorHandler(lambda c, e: None, None)
c = libvirt.open('test:///default')
d = c.lookupByName('test')
out = []
def run(f):
    try:
        out.append(('ok', repr(f())))
    except libvirt.libvirtError as e:
        out.append(('libvirtError', e.get_error_code(), e.get_error_domain(), str(e)))
    except Exception as e:
        out.append((type(e).__name__,))
cb = lambda *a: None
run(lambda: libvirt_qemu.qemuMonitorEventRegister(c, None, None, cb, None))
run(lambda: libvirt_qemu.qemuMonitorEventRegister(c, d, 'STOP', cb, 'op', 0))
run(lambda: libvirt_qemu.qemuMonitorEventRegister(c, d, 'STOP', cb, 'op', flags=1))
run(lambda: libvirt_qemu.qemuMonitorEventDeregister(c, 1))
run(lambda: libvirt_qemu.qemuMonitorCommandWithFiles(d, '{"execute":"query-status"}'))
run(lambda: libvirt_qemu.qemuMonitorCommandWithFiles(d, 'info', [0, 1], 1))
run(lambda: libvirt_qemu.qemuMonitorCommandWithFiles(d, 'info', files=[], flags=0))
run(lambda: libvirt_qemu.qemuMonitorCommand(d, 'info', 0))
# libvirt-python's parameter names, as keywords
run(lambda: libvirt_qemu.qemuMonitorEventRegister(conn=c, dom=d, event='X', cb=cb, opaque=1, flags=0))
run(lambda: libvirt_qemu.qemuMonitorEventDeregister(conn=c, callbackID=3))
run(lambda: libvirt_qemu.qemuMonitorCommandWithFiles(domain=d, cmd='x', files=[], flags=0))
print(repr(out))
"""


def run(code, path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout.strip()


def test_qemu_functions_are_bound():
    out = run("""
        import virtbind, libvirt_qemu, libvirtmod_qemu
        m = virtbind.__virtbind_manifest__
        for c, p in [('virConnectDomainQemuMonitorEventRegister', 'qemuMonitorEventRegister'),
                     ('virConnectDomainQemuMonitorEventDeregister', 'qemuMonitorEventDeregister'),
                     ('virDomainQemuMonitorCommandWithFiles', 'qemuMonitorCommandWithFiles')]:
            assert m[c] == p, (c, m.get(c))
            assert getattr(libvirt_qemu, p) is getattr(virtbind, p)
            assert getattr(libvirtmod_qemu, c) is getattr(virtbind, p)
        assert not [n for n in virtbind.__virtbind_skipped__ if 'Qemu' in n or 'Lxc' in n]
        print('ok')
    """, [COMPAT, PYDIR])
    assert out == "ok"


def test_qemu_calls_reach_libvirt():
    out = run(QEMU_CALLS, [COMPAT, PYDIR])
    calls = eval(out)
    assert len(calls) == 11
    assert all(c[0] == "libvirtError" and "not supported" in c[3] for c in calls), calls


@needs_ref
def test_qemu_calls_like_python3_libvirt():
    ours = eval(run(QEMU_CALLS, [COMPAT, PYDIR]))
    theirs = eval(run(QEMU_CALLS, [REF]))
    assert ours == theirs


def test_qemu_argument_errors():
    out = run("""
        import virtbind
        c = virtbind.open('test:///default')
        d = c.lookupByName('test')
        bad = [lambda: virtbind.qemuMonitorEventRegister(c, d, 'X', 'not callable', None),
               lambda: virtbind.qemuMonitorEventRegister(d, d, 'X', print, None),
               lambda: virtbind.qemuMonitorEventRegister(c, c, 'X', print, None),
               lambda: virtbind.qemuMonitorEventRegister(c, d, 'X', print),
               lambda: virtbind.qemuMonitorCommandWithFiles(d, 'x', ['a']),
               lambda: virtbind.qemuMonitorCommandWithFiles(d, None),
               lambda: virtbind.qemuMonitorEventDeregister(c)]
        for f in bad:
            try:
                f()
            except TypeError:
                pass
            else:
                raise AssertionError('no TypeError')
        print('ok')
    """, [PYDIR])
    assert out == "ok"


def test_lxc_enter_namespace_own_namespaces():
    """Entering the process's own namespaces is a no-op; the previous
    namespaces come back as fds (closed here).  libvirt refuses an empty
    list."""
    out = run("""
        import os, virtbind
        c = virtbind.open('test:///default')
        d = c.lookupByName('test')
        try:
            virtbind.lxcEnterNamespace(d, [], 0)
        except virtbind.libvirtError as e:
            print('empty:', str(e))
        fd = os.open('/proc/self/ns/uts', os.O_RDONLY)
        before = os.readlink('/proc/self/ns/uts')
        try:
            old = virtbind.lxcEnterNamespace(d, [fd], 0)
        except virtbind.libvirtError as e:
            old = str(e)     # no CAP_SYS_ADMIN: libvirt's error
        assert os.readlink('/proc/self/ns/uts') == before
        if isinstance(old, list):
            assert old and all(isinstance(f, int) and f > 2 for f in old), old
            for f in old:
                os.close(f)
            print('old fds:', len(old))
        else:
            print('error:', old)
    """, [PYDIR])
    assert "empty: Expected at least one file descriptor" in out
    assert "old fds:" in out or "error:" in out


def test_lxc_enter_security_label():
    out = run("""
        import virtbind, libvirt_lxc
        assert libvirt_lxc.lxcEnterSecurityLabel is virtbind.lxcEnterSecurityLabel
        assert libvirt_lxc.lxcEnterNamespace is virtbind.lxcEnterNamespace
        print(virtbind.lxcEnterSecurityLabel(['none', '0'], ['', False], 0))
        try:
            virtbind.lxcEnterSecurityLabel(['bogus', '0'], ['x', True], 0)
        except virtbind.libvirtError as e:
            print(e.get_error_code() == virtbind.VIR_ERR_ARGUMENT_UNSUPPORTED, str(e))
        for bad in ((['none'], ['', False]), ('none', ['', False]), (['none', '0'], None),
                    (['x' * 300, '0'], ['', False])):
            try:
                virtbind.lxcEnterSecurityLabel(bad[0], bad[1], 0)
            except (TypeError, ValueError):
                pass
            else:
                raise AssertionError(bad)
    """, [COMPAT, PYDIR])
    lines = out.splitlines()
    assert lines[0] == "['', False]"
    assert lines[1] == "True argument unsupported: Security model bogus cannot be entered"


@needs_ref
def test_lxc_extras_are_not_in_python3_libvirt():
    out = run("""
        import libvirt_lxc
        print(hasattr(libvirt_lxc, 'lxcEnterNamespace'), hasattr(libvirt_lxc, 'lxcEnterSecurityLabel'))
    """, [REF])
    assert out == "False False"


# ------------------------------------- a stub libvirt-qemu: the callback paths

# VIRTBIND_LIBVIRT_QEMU_SO points virtbind at this library instead of
# libvirt-qemu.so.0: it delivers a monitor event from inside the register
# call (libvirt calls the callback from its event loop thread; any thread
# without the GIL is the same for the trampoline) and returns a pipe's read
# end from qemuMonitorCommandWithFiles.
QEMU_STUB_C = r"""
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
typedef void (*cb_t)(void *, void *, const char *, long long, unsigned int, const char *, void *);
typedef void (*ff_t)(void *);
static void *g_opaque;
static ff_t g_free;
int virConnectDomainQemuMonitorEventRegister(void *conn, void *dom, const char *event, cb_t cb,
                                             void *opaque, ff_t ff, unsigned int flags)
{
    cb(conn, dom, event ? event : "ANY", 1234567890LL, 42, flags ? NULL : "{\"x\":1}", opaque);
    g_opaque = opaque;
    g_free = ff;
    return 7;
}
int virConnectDomainQemuMonitorEventDeregister(void *conn, int id)
{
    (void)conn;
    if (id != 7 || !g_free)
        return -1;
    g_free(g_opaque);
    g_free = NULL;
    return 0;
}
int virDomainQemuMonitorCommandWithFiles(void *dom, const char *cmd, unsigned int ninfiles,
                                         int *infiles, unsigned int *noutfiles, int **outfiles,
                                         char **result, unsigned int flags)
{
    int p[2];
    (void)dom; (void)flags;
    if (pipe(p) < 0 || write(p[1], "hello", 5) != 5)
        return -1;
    close(p[1]);
    *outfiles = malloc(sizeof(int));
    (*outfiles)[0] = p[0];
    *noutfiles = 1;
    return asprintf(result, "%s:%u:%d", cmd, ninfiles, ninfiles ? infiles[ninfiles - 1] : -1) < 0
           ? -1 : 0;
}
"""


@pytest.fixture(scope="module")
def qemu_stub(tmp_path_factory):
    d = tmp_path_factory.mktemp("qemustub")
    (d / "stub.c").write_text(QEMU_STUB_C)
    so = d / "libvirt-qemu-stub.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(so), str(d / "stub.c")], check=True)
    return str(so)


def test_qemu_monitor_event_callback_and_files(qemu_stub):
    env = dict(os.environ, PYTHONPATH=PYDIR, VIRTBIND_LIBVIRT_QEMU_SO=qemu_stub)
    code = textwrap.dedent("""
        import gc, sys, weakref, virtbind
        c = virtbind.open('test:///default')
        d = c.lookupByName('test')
        seen = []
        class Op:
            pass
        op = Op()
        ref = weakref.ref(op)
        def cb(*args):
            seen.append(args)
        cid = virtbind.qemuMonitorEventRegister(c, d, 'STOP', cb, op)
        assert cid == 7
        conn, dom, event, secs, micros, details, opaque = seen[0]
        assert conn is c and opaque is op
        assert isinstance(dom, virtbind.virDomain) and dom.name() == 'test'
        assert (event, secs, micros, details) == ('STOP', 1234567890, 42, '{"x":1}')
        assert virtbind.qemuMonitorEventDeregister(c, 7) is None
        virtbind.qemuMonitorEventRegister(c, None, None, cb, None, 1)
        assert seen[1][1:] == (None, 'ANY', 1234567890, 42, None, None)
        virtbind.qemuMonitorEventDeregister(c, 7)
        del op, seen, opaque, conn, dom
        gc.collect()
        assert ref() is None, 'the registration did not release opaque'
        try:
            virtbind.qemuMonitorEventDeregister(c, 8)
        except virtbind.libvirtError as e:
            print('deregister error:', e)
        def boom(*a):
            raise RuntimeError('in the callback')
        virtbind.qemuMonitorEventRegister(c, d, 'X', boom, None)   # reported, not raised
        res, files = virtbind.qemuMonitorCommandWithFiles(d, 'cmd', [0, 2], 0)
        assert res == 'cmd:2:2', res
        assert len(files) == 1 and files[0].mode == 'rb'
        assert files[0].read() == b'hello'
        files[0].close()
        res, files = virtbind.qemuMonitorCommandWithFiles(d, 'x')
        assert res == 'x:0:-1'
        print('ok')
    """)
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines() == [
        "deregister error: virConnectDomainQemuMonitorEventDeregister() failed", "ok"]
    assert "RuntimeError: in the callback" in r.stderr
