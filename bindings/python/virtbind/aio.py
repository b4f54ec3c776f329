"""virtbind.aio: libvirt's events on an asyncio loop (docs/events.md).

    import asyncio, virtbind, virtbind.aio
    async def main():
        virtbind.aio.register()          # before opening connections
        conn = virtbind.open("qemu:///system")
        conn.domain_event_lifecycle_register(cb)   # cb runs on this loop
        ...

The design of python3-libvirt's libvirtaio, written over virtbind's
virEventRegisterImpl: libvirt's handles become loop.add_reader /
add_writer (one reader and one writer per file descriptor, dispatching to
every libvirt handle on it), its timers loop.call_later.  libvirt may call
the add/update/remove functions from any thread: the loop is only touched
through call_soon_threadsafe.  Free callbacks run later on the loop, never
inside remove (libvirt's rule).  Like every event implementation it is
registered once per process.
"""
import asyncio
import itertools
import threading

import virtbind

__all__ = ["AsyncIOEventImpl", "register", "get_current"]

_READ = 1    # VIR_EVENT_HANDLE_READABLE
_WRITE = 2   # VIR_EVENT_HANDLE_WRITABLE

_current = None


class AsyncIOEventImpl:
    """libvirt's six event functions on one asyncio loop."""

    def __init__(self, loop):
        self.loop = loop
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._handles = {}    # id -> [fd, events, cb, opaque]
        self._timers = {}     # id -> [ms, cb, opaque, asyncio.TimerHandle or None]
        self._watched = {}    # fd -> (reading, writing) as installed on the loop

    # -- handles
    def _sync_fd(self, fd):
        """On the loop: install the reader/writer fd needs now."""
        with self._lock:
            ev = 0
            for hfd, events, _cb, _op in self._handles.values():
                if hfd == fd:
                    ev |= events
        rd, wr = self._watched.get(fd, (False, False))
        want_rd, want_wr = bool(ev & _READ), bool(ev & _WRITE)
        if rd and not want_rd:
            self.loop.remove_reader(fd)
        if wr and not want_wr:
            self.loop.remove_writer(fd)
        if want_rd and not rd:
            self.loop.add_reader(fd, self._ready, fd, _READ)
        if want_wr and not wr:
            self.loop.add_writer(fd, self._ready, fd, _WRITE)
        if want_rd or want_wr:
            self._watched[fd] = (want_rd, want_wr)
        else:
            self._watched.pop(fd, None)

    def _ready(self, fd, what):
        with self._lock:
            todo = [(h, e[2], e[3]) for h, e in self._handles.items()
                    if e[0] == fd and e[1] & what]
        for h, cb, opaque in todo:
            with self._lock:
                if h not in self._handles:      # removed by an earlier callback
                    continue
            cb(h, fd, what, opaque)

    def add_handle(self, fd, events, cb, opaque):
        with self._lock:
            h = next(self._ids)
            self._handles[h] = [fd, events, cb, opaque]
        self.loop.call_soon_threadsafe(self._sync_fd, fd)
        return h

    def update_handle(self, h, events):
        with self._lock:
            e = self._handles.get(h)
            if e is None:
                return
            e[1] = events
            fd = e[0]
        self.loop.call_soon_threadsafe(self._sync_fd, fd)

    def remove_handle(self, h):
        with self._lock:
            e = self._handles.pop(h, None)
        if e is None:
            return -1
        self.loop.call_soon_threadsafe(self._sync_fd, e[0])
        self.loop.call_soon_threadsafe(virtbind.virEventInvokeFreeCallback, e[3])
        return 0

    # -- timers
    def _arm(self, t):
        """On the loop: (re)schedule timer t from its current interval."""
        with self._lock:
            e = self._timers.get(t)
            if e is None:
                return
            if e[3] is not None:
                e[3].cancel()
                e[3] = None
            if e[0] >= 0:
                e[3] = self.loop.call_later(e[0] / 1000.0, self._fire, t)

    def _fire(self, t):
        with self._lock:
            e = self._timers.get(t)
            if e is None:
                return
            e[3] = None
            cb, opaque = e[1], e[2]
        cb(t, opaque)
        self._arm(t)     # periodic until updated to -1 or removed

    def add_timeout(self, ms, cb, opaque):
        with self._lock:
            t = next(self._ids)
            self._timers[t] = [ms, cb, opaque, None]
        self.loop.call_soon_threadsafe(self._arm, t)
        return t

    def update_timeout(self, t, ms):
        with self._lock:
            e = self._timers.get(t)
            if e is None:
                return
            e[0] = ms
        self.loop.call_soon_threadsafe(self._arm, t)

    def remove_timeout(self, t):
        with self._lock:
            e = self._timers.pop(t, None)
        if e is None:
            return -1
        if e[3] is not None:
            self.loop.call_soon_threadsafe(e[3].cancel)
        self.loop.call_soon_threadsafe(virtbind.virEventInvokeFreeCallback, e[2])
        return 0

    def register(self):
        virtbind.virEventRegisterImpl(self.add_handle, self.update_handle, self.remove_handle,
                                      self.add_timeout, self.update_timeout, self.remove_timeout)
        return self

    def pending(self):
        """(handles, timers) currently registered by libvirt."""
        with self._lock:
            return len(self._handles), len(self._timers)


def register(loop=None):
    """Register an AsyncIOEventImpl on loop (default: the running loop, or
    asyncio's current one) as libvirt's event implementation; returns it.
    Once per process."""
    global _current
    if loop is None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
    _current = AsyncIOEventImpl(loop).register()
    return _current


def get_current():
    """The implementation register() installed, or None."""
    return _current
