"""virStream.sendAll / recvAll / sparseSendAll / sparseRecvAll.

libvirt-python implements these four in Python over send/recv/recvFlags/
sendHole/recvHole (its virStream.py); virtbind does the same, with the same
loops, buffer size (virStorageVol.streamBufSize), handler protocols and
errors, so code written for libvirt-python behaves identically.  The C
methods virStream.sendAll ... call these functions with the stream first.
libvirt's C virStreamSendAll & co. are not called: their handlers would
re-enter Python once per chunk for no gain (docs/python.md, "Streams").
"""
from virtbind._virtbind import (VIR_STREAM_RECV_STOP_AT_HOLE, libvirtError,
                                virStorageVol)


def recvAll(stream, handler, opaque):
    """Receive the whole stream: handler(stream, data, opaque) per chunk; a
    negative int from handler aborts the stream (RuntimeError)."""
    while True:
        got = stream.recv(virStorageVol.streamBufSize)
        if got == -2:
            raise libvirtError("cannot use recvAll with nonblocking stream")
        if len(got) == 0:
            break
        try:
            ret = handler(stream, got, opaque)
            if isinstance(ret, int) and ret < 0:
                raise RuntimeError("recvAll handler returned %d" % ret)
        except BaseException:
            try:
                stream.abort()
            except Exception:
                pass
            raise


def sendAll(stream, handler, opaque):
    """Send until handler(stream, nbytes, opaque) returns empty data."""
    while True:
        try:
            got = handler(stream, virStorageVol.streamBufSize, opaque)
        except BaseException:
            try:
                stream.abort()
            except Exception:
                pass
            raise
        if not got:
            break
        ret = stream.send(got)
        if ret == -2:
            raise libvirtError("cannot use sendAll with nonblocking stream")


def sparseRecvAll(stream, handler, holeHandler, opaque):
    """Receive the whole stream keeping holes: handler(stream, data, opaque)
    per chunk, holeHandler(stream, length, opaque) per hole."""
    while True:
        want = virStorageVol.streamBufSize
        got = stream.recvFlags(want, VIR_STREAM_RECV_STOP_AT_HOLE)
        if got == -2:
            raise libvirtError("cannot use sparseRecvAll with nonblocking stream")
        elif got == -3:
            length = stream.recvHole()
            if length is None:
                stream.abort()
                raise RuntimeError("recvHole handler failed")
            ret_hole = holeHandler(stream, length, opaque)
            if isinstance(ret_hole, int) and ret_hole < 0:
                stream.abort()
                raise RuntimeError("holeHandler handler returned %d" % ret_hole)
            continue
        elif isinstance(got, int):
            raise ValueError(got)
        elif not isinstance(got, bytes):
            raise TypeError(type(got))
        if len(got) == 0:
            break
        ret_data = handler(stream, got, opaque)
        if isinstance(ret_data, int) and ret_data < 0:
            stream.abort()
            raise RuntimeError("sparseRecvAll handler returned %d" % ret_data)


def sparseSendAll(stream, handler, holeHandler, skipHandler, opaque):
    """Send keeping holes: holeHandler(stream, opaque) -> [inData,
    sectionLen]; a hole is sent with sendHole and skipped with
    skipHandler(stream, length, opaque); data comes from
    handler(stream, nbytes, opaque)."""
    while True:
        [inData, sectionLen] = holeHandler(stream, opaque)
        if not inData and sectionLen > 0:
            if (stream.sendHole(sectionLen) < 0 or
                    skipHandler(stream, sectionLen, opaque) < 0):
                stream.abort()
            continue
        want = virStorageVol.streamBufSize
        if want > sectionLen:
            want = sectionLen
        got = handler(stream, want, opaque)
        if isinstance(got, int) and got < 0:
            stream.abort()
            raise RuntimeError("sparseSendAll handler returned %d" % got)
        if not got:
            break
        assert isinstance(got, bytes)
        ret = stream.send(got)
        if ret == -2:
            raise libvirtError("cannot use sparseSendAll with nonblocking stream")
