"""The layout of build/python (`make python`): the `virtbind` package (thin
__init__.py over the extension virtbind._virtbind, py.typed) and the compat
modules libvirt, libvirt_qemu, libvirt_lxc, libvirtmod, libvirtmod_qemu,
libvirtmod_lxc.  Each case runs in a subprocess so sys.path stays clean."""
import glob
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYDIR = os.path.join(ROOT, os.environ.get("BUILD", "build"), "python")
COMPAT = os.path.join(PYDIR, "compat")

if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)


def run(code, path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def test_package_files():
    pkg = os.path.join(PYDIR, "virtbind")
    assert os.path.isfile(os.path.join(pkg, "__init__.py"))
    assert os.path.isfile(os.path.join(pkg, "py.typed"))
    assert os.path.getsize(os.path.join(pkg, "py.typed")) == 0
    assert not glob.glob(os.path.join(PYDIR, "virtbind.*so")), "stale pre-package extension"


def test_package_reexports_the_extension():
    run("""
        import virtbind, virtbind._virtbind as ext
        import virtbind as libvirt
        assert virtbind.__file__.endswith('virtbind/__init__.py')
        assert ext.__name__ == 'virtbind._virtbind'
        assert virtbind.open is ext.open and virtbind.virDomain is ext.virDomain
        assert virtbind.libvirtError is ext.libvirtError
        for n in ('__virtbind_manifest__', '__virtbind_skipped__', '__virtbind_skip_reasons__',
                  '__virtbind_internal__', '__virtbind_libvirt_so__', '__virtbind_skipped_constants__',
                  '_eventInvokeHandleCallback', '_eventInvokeTimeoutCallback'):
            assert getattr(virtbind, n) is getattr(ext, n), n
        import virtbind._macros as macros
        import virtbind._events as events
        public = sorted(set(n for n in dir(ext) if not n.startswith('_')) | set(macros.__all__) |
                        {'event_loop_start', 'event_loop_stop', 'event_loop_running'} |
                        set(virtbind.enums.__all__) | {'requires', 'supports'})
        assert virtbind.event_loop_start is events.event_loop_start
        assert sorted(virtbind.__all__) == public
        assert virtbind.VIR_CPU_MAPLEN is macros.VIR_CPU_MAPLEN
        assert 'VIR_DOMAIN_RUNNING' in virtbind.__all__ and 'open' in virtbind.__all__
        ns = {}
        exec('from virtbind import *', ns)
        assert ns['virConnect'] is ext.virConnect
        c = libvirt.open('test:///default')
        assert c.lookupByName('test').name() == 'test'
        print('ok')
    """, [PYDIR])


def test_libvirtmod_c_names():
    out = run("""
        import libvirt, libvirtmod, libvirtmod_qemu, libvirtmod_lxc, virtbind
        assert libvirt.libvirtmod is libvirtmod
        import libvirt_qemu, libvirt_lxc
        assert libvirt_qemu.libvirtmod_qemu is libvirtmod_qemu
        assert libvirt_lxc.libvirtmod_lxc is libvirtmod_lxc
        c = libvirt.open('test:///default')
        d = c.lookupByName('test')
        assert libvirtmod.virDomainGetInfo(d)[:4] == d.info()[:4]
        assert libvirtmod.virConnectGetType(c) == 'TEST'
        assert libvirtmod.virDomainGetName(d) == 'test'
        assert callable(libvirtmod.virEventRegisterImpl)
        assert callable(libvirtmod.virEventRegisterDefaultImpl)
        assert callable(libvirtmod.virEventInvokeFreeCallback)
        assert callable(libvirtmod_qemu.virDomainQemuMonitorCommand)
        assert callable(libvirtmod_lxc.virDomainLxcOpenNamespace)
        assert not hasattr(libvirtmod, 'virDomainQemuMonitorCommand')
        # every bound C function is there, under its C name, in one of the three
        mods = (libvirtmod, libvirtmod_qemu, libvirtmod_lxc)
        missing = [n for n, p in virtbind.__virtbind_manifest__.items()
                   if ':' not in p and ':' not in n and not any(hasattr(m, n) for m in mods)]
        assert not missing, missing
        print(len(virtbind.__virtbind_manifest__))
    """, [COMPAT, PYDIR])
    assert int(out) > 400


def test_libvirtmod_covers_what_libvirt_python_calls():
    """libvirt-python's API test checks libvirt.libvirtmod.<C name> for each
    function it binds: every C name python3-libvirt's libvirt.py calls that
    virtbind binds must be there."""
    ref = "/usr/lib/python3/dist-packages/libvirt.py"
    if not os.path.exists(ref):
        pytest.skip("python3-libvirt is not installed")
    run("""
        import ast, libvirt, virtbind
        tree = ast.parse(open(%r).read())
        called = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                  and isinstance(n.value, ast.Name) and n.value.id == 'libvirtmod'}
        bound = set(virtbind.__virtbind_manifest__)
        missing = sorted(n for n in called & bound if not hasattr(libvirt.libvirtmod, n))
        assert not missing, missing
        print('ok')
    """ % ref, [COMPAT, PYDIR])
