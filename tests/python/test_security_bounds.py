"""Buffer sizes chosen by the caller and arrays libvirt returns (issues #5, #9).

* blockPeek / memoryPeek / getCellsFreeMemory / stream recv / recvFlags: a
  negative size raises ValueError (also an OverflowError, as python3-libvirt
  raises for a negative size_t), more than VBPY_BUFFER_MAX (32 MiB, libvirt's
  RPC message limit VIR_NET_MESSAGE_MAX) raises OverflowError, before anything
  is allocated or libvirt is called.
* Arrays libvirt returns are read within their lengths (ioThreadInfo's
  cpumaps, vcpus, memoryStats, getCPUStats, typed parameters fetched into a
  stack array first): the results equal python3-libvirt's on the test driver.
"""
import glob
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYDIR = os.path.join(ROOT, os.environ.get("BUILD", "build"), "python")
URI = "test:///default"
BUFFER_MAX = 32 * 1024 * 1024

if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)
if PYDIR not in sys.path:
    sys.path.insert(0, PYDIR)
import virtbind  # noqa: E402

try:
    import libvirt as reflibvirt
    if "dist-packages" not in reflibvirt.__file__:
        reflibvirt = None
except ImportError:
    reflibvirt = None
needs_ref = pytest.mark.skipif(reflibvirt is None, reason="python3-libvirt is not installed")


@pytest.fixture
def conn():
    c = virtbind.open(URI)
    yield c
    c.close()


@pytest.fixture
def dom(conn):
    return conn.lookupByName("test")


@pytest.fixture
def ref():
    reflibvirt.registerErrorHandler(lambda ctx, err: None, None)
    c = reflibvirt.open(URI)
    yield c
    c.close()


def sized_calls(conn, dom):
    st = conn.newStream(0)
    return {
        "memoryPeek": lambda n: dom.memoryPeek(0, n, virtbind.VIR_MEMORY_VIRTUAL),
        "blockPeek": lambda n: dom.blockPeek("vda", 0, n, 0),
        "getCellsFreeMemory": lambda n: conn.getCellsFreeMemory(0, n),
        "stream.recv": lambda n: st.recv(n),
        "stream.recvFlags": lambda n: st.recvFlags(n, 0),
    }


@pytest.mark.parametrize("name", ["memoryPeek", "blockPeek", "getCellsFreeMemory", "stream.recv",
                                  "stream.recvFlags"])
def test_negative_buffer_size_raises_value_error(conn, dom, name):
    call = sized_calls(conn, dom)[name]
    for n in (-1, -(1 << 70)):
        with pytest.raises(ValueError, match="must not be negative"):
            call(n)
        with pytest.raises(OverflowError):   # python3-libvirt's exception for a negative size
            call(n)


@pytest.mark.parametrize("name", ["memoryPeek", "blockPeek", "getCellsFreeMemory", "stream.recv",
                                  "stream.recvFlags"])
def test_huge_buffer_size_raises_overflow_error_before_allocating(conn, dom, name):
    call = sized_calls(conn, dom)[name]
    for n in (BUFFER_MAX + 1, 1 << 40, 1 << 63, 1 << 70):
        with pytest.raises(OverflowError, match="at most 33554432 bytes"):
            call(n)


def test_cells_free_memory_cap_counts_bytes_not_items(conn):
    # 8-byte items: the cap is BUFFER_MAX / 8 cells
    with pytest.raises(OverflowError):
        conn.getCellsFreeMemory(0, BUFFER_MAX // 8 + 1)
    assert len(conn.getCellsFreeMemory(0, 2)) == 2


def test_buffer_size_must_be_an_int(conn, dom):
    with pytest.raises(TypeError):
        dom.memoryPeek(0, 16.0, virtbind.VIR_MEMORY_VIRTUAL)
    with pytest.raises(TypeError):
        conn.newStream(0).recv("16")


def test_sizes_within_the_cap_still_work(dom):
    assert len(dom.memoryPeek(0, 16, virtbind.VIR_MEMORY_VIRTUAL)) == 16
    assert dom.memoryPeek(0, 0, virtbind.VIR_MEMORY_VIRTUAL) == b""


@needs_ref
def test_iothread_info_matches_python3_libvirt(dom, ref):
    rdom = ref.lookupByName("test")   # the same test driver state (one process)
    ids = [t[0] for t in dom.ioThreadInfo(0)]
    for i in (3, 5):
        if i not in ids:
            dom.addIOThread(i, 0)
    dom.pinIOThread(3, (True, False, True), 0)
    info = dom.ioThreadInfo(0)
    assert info == rdom.ioThreadInfo(0)
    # other tests of this process may have added IOThreads (test_python_slice: 7)
    mine = [t for t in info if t[0] in (3, 5)]
    assert [t[0] for t in mine] == [3, 5]
    assert mine[0][1][:3] == [True, False, True]
    assert all(len(t[1]) == dom.connect().getCPUMap()[0] for t in info)


@needs_ref
def test_returned_arrays_match_python3_libvirt(conn, dom, ref):
    rdom = ref.lookupByName("test")
    assert dom.vcpus()[1] == rdom.vcpus()[1]
    assert dom.vcpuPinInfo(0) == rdom.vcpuPinInfo(0)
    assert dom.memoryStats().keys() == rdom.memoryStats().keys()
    assert conn.getCPUStats(-1).keys() == ref.getCPUStats(-1).keys()
    assert [d.keys() for d in dom.getCPUStats(False)] == \
        [d.keys() for d in rdom.getCPUStats(False)]
    assert dom.getCPUStats(True)[0].keys() == rdom.getCPUStats(True)[0].keys()


@needs_ref
def test_typed_parameters_without_size_probe_match_python3_libvirt(conn, dom, ref):
    rdom = ref.lookupByName("test")
    assert dom.memoryParameters(0) == rdom.memoryParameters(0)
    assert dom.blkioParameters(0) == rdom.blkioParameters(0)
    assert dom.schedulerParameters() == rdom.schedulerParameters()
    assert dom.numaParameters(0) == rdom.numaParameters(0)
    # a string typed parameter set, then read back through the stack array
    dom.setBlkioParameters({"weight": 321}, 0)
    assert dom.blkioParameters(0)["weight"] == 321
    for _ in range(1000):   # the key cache and the stack array, repeatedly
        assert dom.memoryParameters(0) == rdom.memoryParameters(0)


def test_errors_still_carry_the_libvirt_error(conn):
    with pytest.raises(virtbind.libvirtError) as ei:
        conn.lookupByName("no-such-domain")
    e = ei.value
    assert e.get_error_code() == virtbind.VIR_ERR_NO_DOMAIN
    assert e.err[0] == virtbind.VIR_ERR_NO_DOMAIN and len(e.err) == 9
    assert str(e) == e.err[2]
    # constructed from Python, it reads the thread's last error (none here)
    assert virtbind.libvirtError("x").err is None or isinstance(virtbind.libvirtError("x").err, tuple)
