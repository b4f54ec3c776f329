"""Feature detection (virtbind/_features.py over the generated
virtbind/_apiversions.py): virtbind.supports(name) from the XML's version
attributes, the loaded library's symbols and what virtbind binds;
conn.supports(name) also against the connected daemon's version;
virtbind.requires(version or name) guards.
Run: /usr/bin/python3 -m pytest tests/python/test_features_detection.py
"""
import os
import sys
import xml.etree.ElementTree as ET

import pytest

from typing_common import need_binding

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
from libvirtd import libvirtd_daemon  # noqa: E402,F401


@pytest.fixture(scope="module")
def vb():
    need_binding()
    import virtbind
    return virtbind


class FakeConn:
    """A connection whose daemon runs an older libvirt."""
    def __init__(self, version):
        self.version = version

    def getLibVersion(self):
        return self.version


def test_versions_come_from_the_xml(vb):
    from virtbind._apiversions import SINCE
    root = ET.parse("/usr/share/libvirt/api/libvirt-api.xml").getroot()
    fns = {f.get("name"): f.get("version") for f in root.iter("function")}
    assert SINCE["virDomainGetMessages"] == (fns["virDomainGetMessages"], "f", "main")
    assert SINCE["virDomainGetMessages"][0] == "7.1.0"
    assert SINCE["virDomainQemuMonitorCommand"][1:] == ("f", "qemu")
    assert SINCE["VIR_DOMAIN_RUNNING"][1] == "c"
    assert all(SINCE[n][0] == v for n, v in fns.items())


def test_supports_functions_constants_and_enum_members(vb):
    assert vb.supports("virDomainGetMessages")
    assert vb.supports("virConnectOpen") and vb.supports("virDomainQemuMonitorCommand")
    assert vb.supports("virDomainLxcOpenNamespace")
    assert vb.supports("VIR_DOMAIN_RUNNING") and vb.supports("DomainState.RUNNING")
    assert vb.supports("VIR_DOMAIN_SCHEDULER_CPU_SHARES")          # a macro
    assert vb.supports("virAdmConnectOpen")                           # the admin API: by version
    assert not vb.supports("virNoSuchFunction")
    assert not vb.supports("DomainState.NO_SUCH")
    assert not vb.supports("VIR_DOMAIN_LAST")                         # a sentinel
    assert not vb.supports("virDomainFree")       # used internally, not callable from Python
    with pytest.raises(TypeError):
        vb.supports(42)


def test_supports_checks_the_loaded_version_and_symbol(vb, monkeypatch):
    from virtbind import _apiversions, _features
    monkeypatch.setitem(_apiversions.SINCE, "virDomainGetMessages", ("99.1.0", "f", "main"))
    assert not vb.supports("virDomainGetMessages")
    with pytest.raises(vb.errors.VersionError, match=r"virDomainGetMessages needs libvirt >= 99\.1\.0; "
                                                     r"the loaded libvirt is 9\.0\.0"):
        vb.requires("virDomainGetMessages")
    monkeypatch.setitem(_apiversions.SINCE, "virDomainGetMessages", ("7.1.0", "f", "main"))
    assert vb.supports("virDomainGetMessages")

    class NoSymbols:
        pass
    monkeypatch.setattr(_features, "_library", lambda src: NoSymbols())
    assert not vb.supports("virDomainGetMessages")
    with pytest.raises(vb.errors.VersionError, match="no such symbol"):
        vb.requires("virDomainGetMessages")
    assert vb.supports("VIR_DOMAIN_RUNNING")        # constants need no symbol


def test_conn_supports_checks_the_daemon(vb):
    conn = vb.open("test:///default")
    try:
        assert conn.supports("virDomainGetMessages")
        assert conn.supports("DomainState.RUNNING")
        assert not conn.supports("virNoSuchFunction")
        assert vb.virConnect.supports.__name__ == "conn_supports"
    finally:
        conn.close()
    from virtbind import _features
    old = FakeConn(7000000)                     # a 7.0.0 daemon
    assert _features.conn_supports(old, "virDomainGetGuestInfo")       # 5.7.0
    assert not _features.conn_supports(old, "virDomainGetMessages")    # 7.1.0
    with pytest.raises(vb.errors.VersionError, match="the connected daemon runs 7.0.0"):
        vb.requires("virDomainGetMessages", old)


def test_requires_a_version(vb):
    vb.requires("9.0.0")
    vb.requires("0.9")
    vb.requires("8")
    with pytest.raises(vb.errors.VersionError) as ei:
        vb.requires("99.0.0")
    assert "libvirt >= 99.0.0 is required; the loaded libvirt" in str(ei.value)
    assert isinstance(ei.value, RuntimeError)
    with pytest.raises(vb.errors.VersionError, match="the connected daemon runs 8.10.0"):
        vb.requires("9.0.0", FakeConn(8010000))
    vb.requires("8.10.0", FakeConn(8010000))
    for bad in ("9.x", "9.0.0.1", "9.1000", "1-2"):
        with pytest.raises(ValueError):
            vb.requires(bad)
    with pytest.raises(TypeError):
        vb.requires(9)
    with pytest.raises(vb.errors.VersionError, match="not a libvirt function"):
        vb.requires("virNoSuchFunction")


def test_conn_supports_through_a_real_daemon(vb, libvirtd_daemon):
    conn = vb.open(libvirtd_daemon.uri)
    try:
        assert conn.getLibVersion() >= 9000000
        assert conn.supports("virDomainGetMessages")
        assert not conn.supports("virNoSuchFunction")
        vb.requires("9.0.0", conn)
    finally:
        conn.close()


STUB_C = r"""
/* an old, partial libvirt: 8.0.0, a handful of symbols */
static int fake_conn;
void *virGetLastError(void) { return 0; }
void virSetErrorFunc(void *ud, void *fn) { (void)ud; (void)fn; }
int virCopyLastError(void *to) { (void)to; return 0; }
void virResetError(void *e) { (void)e; }
void virResetLastError(void) { }
int virInitialize(void) { return 0; }
void *virConnectOpen(const char *name) { (void)name; return &fake_conn; }
int virConnectClose(void *c) { (void)c; return 0; }
int virGetVersion(unsigned long *lib, const char *type, unsigned long *tv)
{ (void)type; *lib = 8000000; if (tv) *tv = 0; return 0; }
"""


def test_an_older_partial_libvirt_library(tmp_path):
    """VIRTBIND_LIBVIRT_SO = a stub libvirt 8.0.0 with a few symbols: no
    monkeypatching, the real symbol and version checks."""
    need_binding()
    import subprocess
    from typing_common import PYDIR
    src = tmp_path / "stub.c"
    src.write_text(STUB_C)
    so = tmp_path / "libvirt-stub.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(so), str(src)], check=True)
    code = r"""
import virtbind
assert virtbind.getVersion() == 8000000
assert virtbind.supports("virConnectOpen")                 # 0.0.3, in the library
assert not virtbind.supports("virDomainGetMessages")       # 7.1.0, but no symbol
assert not virtbind.supports("virConnectGetCapabilities")  # no symbol
assert virtbind.supports("VIR_DOMAIN_MESSAGE_TAINTING")    # 7.1.0 constant
assert not virtbind.supports("VIR_DOMAIN_SAVE_RESET_NVRAM")   # 8.1.0 constant
assert not virtbind.supports("DomainSaveRestoreFlags.RESET_NVRAM")
virtbind.requires("8.0.0")
try:
    virtbind.requires("9.0.0")
except virtbind.errors.VersionError as e:
    print(e)
try:
    virtbind.requires("virDomainGetMessages")
except virtbind.errors.VersionError as e:
    print(e)
"""
    env = dict(os.environ, VIRTBIND_LIBVIRT_SO=str(so), PYTHONPATH=str(PYDIR))
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "libvirt >= 9.0.0 is required; the loaded libvirt (%s) is 8.0.0" % so,
        "virDomainGetMessages: the loaded libvirt library has no such symbol",
    ]
