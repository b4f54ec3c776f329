"""virtbind streams: recv / recvFlags / recvHole / send / sendHole,
eventAddCallback and the libvirt-python helpers sendAll / recvAll /
sparseSendAll / sparseRecvAll, compared with python3-libvirt 9.0.0.

The test driver (test:///default) streams a screenshot (an fd stream over a
PNG file): that is the real stream used here.  It has no upload, so the
sending helpers are compared with libvirt-python's on a recording fake
stream (both implementations only call the stream's methods)."""
import glob
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYDIR = os.path.join(ROOT, os.environ.get("BUILD", "build"), "python")
URI = "test:///default"

if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)
if PYDIR not in sys.path:
    sys.path.insert(0, PYDIR)
import virtbind  # noqa: E402
from virtbind import _streams  # noqa: E402

try:
    import libvirt as reflibvirt
    if "dist-packages" not in reflibvirt.__file__:
        reflibvirt = None
except ImportError:
    reflibvirt = None
needs_ref = pytest.mark.skipif(reflibvirt is None, reason="python3-libvirt is not installed")


def screenshot_stream(lv, flags=0):
    c = lv.open(URI)
    st = c.newStream(flags)
    mime = c.lookupByName("test").screenshot(st, 0, 0)
    return c, st, mime


def read_all(st):
    out = b""
    while True:
        got = st.recv(1000)
        if got == b"":
            return out
        out += got


def test_recv_reads_the_screenshot():
    c, st, mime = screenshot_stream(virtbind)
    assert mime == "image/png"
    data = read_all(st)
    assert data.startswith(b"\x89PNG")
    assert st.finish() == 0


def test_manifest_maps_the_stream_functions():
    m = virtbind.__virtbind_manifest__
    for cname, py in [("virStreamSend", "send"), ("virStreamRecv", "recv"),
                      ("virStreamRecvFlags", "recvFlags"), ("virStreamSendHole", "sendHole"),
                      ("virStreamRecvHole", "recvHole"), ("virStreamEventAddCallback", "eventAddCallback"),
                      ("virStreamSendAll", "sendAll"), ("virStreamRecvAll", "recvAll"),
                      ("virStreamSparseSendAll", "sparseSendAll"),
                      ("virStreamSparseRecvAll", "sparseRecvAll")]:
        assert m[cname] == "virStream." + py
        assert callable(getattr(virtbind.virStream, py))
    assert not [n for n in virtbind.__virtbind_skipped__ if n.startswith("virStream")]


@needs_ref
def test_recv_same_bytes_as_python3_libvirt():
    reflibvirt.registerErrorHandler(lambda ctx, err: None, None)
    _, ours, _ = screenshot_stream(virtbind)
    _, theirs, _ = screenshot_stream(reflibvirt)
    a, b = read_all(ours), read_all(theirs)
    assert a == b and len(a) > 1000
    assert ours.finish() == theirs.finish() == 0


@needs_ref
def test_recvall_same_chunks_as_python3_libvirt():
    reflibvirt.registerErrorHandler(lambda ctx, err: None, None)
    results = []
    for lv in (virtbind, reflibvirt):
        _, st, _ = screenshot_stream(lv)
        chunks = []
        assert st.recvAll(lambda s, buf, o: o.append((s is st, buf)), chunks) is None
        st.finish()
        results.append(chunks)
    assert results[0] == results[1]
    assert all(same for same, _ in results[0])


@needs_ref
def test_sparse_recvall_and_recvflags_like_python3_libvirt():
    reflibvirt.registerErrorHandler(lambda ctx, err: None, None)
    results = []
    for lv in (virtbind, reflibvirt):
        _, st, _ = screenshot_stream(lv)
        log = []
        try:
            st.sparseRecvAll(lambda s, buf, o: o.append(("data", buf)),
                             lambda s, n, o: o.append(("hole", n)), log)
            res = ("ok", log)
        except Exception as e:
            # virtbind raises libvirtError's subclass per code (virtbind.errors)
            res = ("libvirtError" if isinstance(e, lv.libvirtError) else type(e).__name__, str(e), log)
        results.append(res)
    assert results[0] == results[1]
    # the fd stream has no recvFlags: both raise the same error
    for lv in (virtbind, reflibvirt):
        _, st, _ = screenshot_stream(lv)
        try:
            results.append(("ok", st.recvFlags(64, flags=0)))
        except lv.libvirtError as e:
            results.append(("err", e.get_error_code(), str(e)))
    assert results[2] == results[3]


@needs_ref
def test_send_and_hole_errors_like_python3_libvirt():
    """A stream no API has opened: libvirt refuses every I/O call."""
    reflibvirt.registerErrorHandler(lambda ctx, err: None, None)
    outcomes = []
    for lv in (virtbind, reflibvirt):
        st = lv.open(URI).newStream(0)
        row = []
        for call in (lambda: st.send(b"abc"), lambda: st.sendHole(10), lambda: st.sendHole(10, 0),
                     lambda: st.recvHole(), lambda: st.recv(10), lambda: st.recvFlags(10, 0)):
            try:
                row.append(("ok", call()))
            except lv.libvirtError as e:
                row.append(("err", e.get_error_code(), str(e)))
        outcomes.append(row)
    assert outcomes[0] == outcomes[1]


def test_argument_errors():
    _, st, _ = screenshot_stream(virtbind)
    with pytest.raises(TypeError):
        st.send("not bytes")
    with pytest.raises(TypeError):
        st.recv()
    with pytest.raises(TypeError):
        st.eventAddCallback(virtbind.VIR_STREAM_EVENT_READABLE, "not callable", None)
    with pytest.raises(TypeError):
        st.sendAll(lambda s, n, o: b"")   # opaque missing
    st.abort()


# ------------------------------------------------- helpers vs libvirt-python

class FakeStream:
    """Records what a helper asks of the stream; recv data is scripted."""

    def __init__(self, recv=(), send_ret=None, hole_len=7):
        self.log = []
        self._recv = list(recv)
        self._send_ret = send_ret
        self._hole_len = hole_len

    def recv(self, n):
        self.log.append(("recv", n))
        return self._recv.pop(0)

    def recvFlags(self, n, flags=0):
        self.log.append(("recvFlags", n, flags))
        return self._recv.pop(0)

    def recvHole(self, flags=0):
        self.log.append(("recvHole",))
        return self._hole_len

    def send(self, data):
        self.log.append(("send", data))
        return len(data) if self._send_ret is None else self._send_ret

    def sendHole(self, length, flags=0):
        self.log.append(("sendHole", length))
        return 0

    def abort(self):
        self.log.append(("abort",))
        return 0


def run_both(name, make_fake, *handlers):
    """Run virtbind._streams.<name> and libvirt-python's virStream.<name>
    on identical fakes: (outcome, log) pairs."""
    out = []
    for impl in (getattr(_streams, name), getattr(reflibvirt.virStream, name)):
        fake = make_fake()
        calls = []
        hs = [h(calls) for h in handlers]
        try:
            impl(fake, *hs, "opaque")
            res = "ok"
        except Exception as e:
            res = (type(e).__name__, str(e))
        out.append((res, fake.log, calls))
    return out


def feeder(chunks):
    def make(calls):
        data = list(chunks)

        def handler(st, n, opaque):
            calls.append(("handler", n, opaque))
            return data.pop(0) if data else b""
        return handler
    return make


def sink(ret=None):
    def make(calls):
        def handler(st, buf, opaque):
            calls.append(("handler", buf, opaque))
            return len(buf) if ret is None else ret
        return handler
    return make


@needs_ref
@pytest.mark.parametrize("case", ["plain", "eagain", "handler_raises"])
def test_sendall_like_python3_libvirt(case):
    if case == "plain":
        r = run_both("sendAll", FakeStream, feeder([b"a" * 10, b"b" * 3]))
    elif case == "eagain":
        r = run_both("sendAll", lambda: FakeStream(send_ret=-2), feeder([b"x"]))
    else:
        def boom(calls):
            def h(st, n, o):
                raise OSError("read failed")
            return h
        r = run_both("sendAll", FakeStream, boom)
    assert r[0] == r[1]
    if case == "plain":
        assert r[0][1] == [("send", b"a" * 10), ("send", b"b" * 3)]
        assert r[0][2][0] == ("handler", 262120, "opaque")


@needs_ref
@pytest.mark.parametrize("case", ["plain", "eagain", "negative"])
def test_recvall_like_python3_libvirt(case):
    if case == "plain":
        r = run_both("recvAll", lambda: FakeStream(recv=[b"abc", b"de", b""]), sink())
    elif case == "eagain":
        r = run_both("recvAll", lambda: FakeStream(recv=[-2]), sink())
    else:
        r = run_both("recvAll", lambda: FakeStream(recv=[b"abc", b""]), sink(-1))
    assert r[0] == r[1]


@needs_ref
@pytest.mark.parametrize("case", ["holes", "eagain", "bad"])
def test_sparse_recvall_like_python3_libvirt(case):
    recv = {"holes": [b"ab", -3, b"c", -3, b""], "eagain": [-2], "bad": [-5]}[case]

    def holes(calls):
        def h(st, length, o):
            calls.append(("hole", length, o))
            return 0
        return h
    r = run_both("sparseRecvAll", lambda: FakeStream(recv=recv), sink(), holes)
    assert r[0] == r[1]


@needs_ref
def test_sparse_sendall_like_python3_libvirt():
    def holes(calls):
        sections = [[True, 5], [False, 100], [True, 300000], [True, 0]]

        def h(st, o):
            calls.append(("holeHandler", o))
            return sections.pop(0)
        return h

    def skip(calls):
        def h(st, length, o):
            calls.append(("skip", length, o))
            return 0
        return h
    r = run_both("sparseSendAll", FakeStream, feeder([b"12345", b"z" * 10]), holes, skip)
    assert r[0] == r[1]
    assert ("sendHole", 100) in r[0][1]


# ------------------------------------------------------------ event callback

EVENT_CODE = r"""
import threading, sys
sys.path.insert(0, %(pydir)r)
import virtbind as lv
if %(ref)r:
    import libvirt as lv
    lv.registerErrorHandler(lambda c, e: None, None)
lv.virEventRegisterDefaultImpl()
stop = False
def loop():
    while not stop:
        lv.virEventRunDefaultImpl()
c = lv.open('test:///default')
st = c.newStream(lv.VIR_STREAM_NONBLOCK)
c.lookupByName('test').screenshot(st, 0, 0)
data = []
done = threading.Event()
seen = []
def cb(stream, events, opaque):
    seen.append((stream is st, events, opaque))
    while True:
        got = stream.recv(4096)
        if got == -2:
            return
        if not got:
            stream.eventRemoveCallback()
            done.set()
            return
        data.append(got)
st.eventAddCallback(lv.VIR_STREAM_EVENT_READABLE, cb, 'op')
t = threading.Thread(target=loop, daemon=True)
t.start()
assert done.wait(30), 'no end of stream'
st.finish()
stop = True
lv.virEventAddTimeout(0, lambda timer, o: lv.virEventRemoveTimeout(timer), None)
t.join(10)
print(len(b''.join(data)), all(s for s, _, _ in seen), set(e for _, e, _ in seen), set(o for _, _, o in seen))
"""


def run_event(ref):
    r = subprocess.run([sys.executable, "-c", EVENT_CODE % {"pydir": PYDIR, "ref": ref}],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_event_add_callback_reads_a_nonblocking_stream():
    out = run_event(False)
    n, same, events, opaques = out.split(" ", 3)
    assert int(n) > 1000 and same == "True" and opaques == "{'op'}"


@needs_ref
def test_event_add_callback_like_python3_libvirt():
    assert run_event(False) == run_event(True)
