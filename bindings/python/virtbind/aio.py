"""virtbind.aio: asyncio for virtbind (docs/python.md "asyncio", docs/events.md).

    import asyncio, virtbind, virtbind.aio
    async def main():
        conn = await virtbind.aio.open("qemu:///system", reconnect=True)
        dom = await conn.lookupByName("vm1")            # an AsyncDomain
        print(await dom.info())
        async for ev in conn.domain_lifecycle_events():  # DomainLifecycleEvent
            print(ev.dom.name(), ev.event, ev.detail)

Three layers, in this file:

* libvirt's events on an asyncio loop: AsyncIOEventImpl, python3-libvirt's
  libvirtaio design written over virtbind's virEventRegisterImpl: libvirt's
  handles become loop.add_reader / add_writer (one reader and one writer per
  file descriptor, dispatching to every libvirt handle on it), its timers
  loop.call_later.  libvirt may call the add/update/remove functions from any
  thread: the loop is only touched through call_soon_threadsafe.  Free
  callbacks run later on the loop, never inside remove (libvirt's rule).
  Registered once per process (register(); open() does it when no event
  implementation runs yet).
* Awaitable calls: one async wrapper class per virtbind class (AsyncConnect,
  AsyncDomain ...), built at import by introspection of the C types: every
  method is a coroutine run on a bounded worker pool (the C runtime releases
  the GIL around each libvirt call), except the methods the model says only
  read the object handle (virtbind._aio_model.NONBLOCKING: parent getters,
  strings borrowed from the object such as name(), c_pointer()), which stay
  synchronous.  Results that are virtbind objects (also inside lists and
  tuples) come back wrapped; arguments may be plain or wrapped objects.  A
  cancelled await leaves the libvirt call to finish in its worker; its
  result is dropped.  Types: virtbind/aio.pyi (generated).
* Event streams: conn.<family>_events(eventID, obj=None) and one helper per
  event ID (conn.domain_lifecycle_events(dom=None) ...) are async iterators
  of NamedTuple records (virtbind._aio_model, generated from the callback
  types), with a bounded queue; closing the stream deregisters the callback.
  open(..., reconnect=True) reconnects with backoff when the connection
  closes (close callback, keepalive) and re-registers every open stream.
"""
import asyncio
import collections
import concurrent.futures
import functools
import itertools
import threading
import weakref

import virtbind
from virtbind import _aio_model

__all__ = sorted(["AsyncIOEventImpl", "register", "get_current",
                  "DEFAULT_WORKERS", "DEFAULT_MAXSIZE", "DEFAULT_BACKOFF", "DEFAULT_KEEPALIVE",
                  "set_workers", "workers", "in_flight", "executor", "call", "wrap",
                  "EventOverflow", "EventStream", "open", "openReadOnly", "openAuth"]
                 + ["Async" + c[3:] for c in _aio_model.NONBLOCKING]
                 + [e[5].__name__ for e in _aio_model.EVENTS])

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

    def rebind(self, loop):
        """Move every handle and timer to loop (on loop's thread): the
        previous loop was closed, e.g. by a second asyncio.run()."""
        with self._lock:
            fds = {e[0] for e in self._handles.values()}
            timers = list(self._timers)
            for e in self._timers.values():
                e[3] = None          # handles of the closed loop
        self.loop = loop
        self._watched = {}
        for fd in sorted(fds):
            self._sync_fd(fd)
        for t in timers:
            self._arm(t)

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


# ------------------------------------------------------------ worker pool
DEFAULT_WORKERS = 8          # threads running blocking libvirt calls
DEFAULT_MAXSIZE = 1024       # events an EventStream queues before its overflow policy
DEFAULT_BACKOFF = (0.05, 2.0)  # reconnect delays: first, cap (doubling)
DEFAULT_KEEPALIVE = (5, 3)   # reconnecting connections: setKeepAlive(interval, count)

_pool_lock = threading.Lock()
_executor = None
_workers = DEFAULT_WORKERS
_inflight = 0


def set_workers(n):
    """Size of the worker pool (default DEFAULT_WORKERS).  Calls already
    submitted finish on the previous pool; new calls use the new one."""
    global _executor, _workers
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("set_workers() needs an int, not %s" % type(n).__name__)
    if n < 1:
        raise ValueError("set_workers() needs at least 1 worker, got %d" % n)
    with _pool_lock:
        old, _executor, _workers = _executor, None, n
    if old is not None:
        old.shutdown(wait=False)


def workers():
    """The worker pool's size."""
    return _workers


def executor():
    """The ThreadPoolExecutor blocking calls run on (created on first use)."""
    global _executor
    with _pool_lock:
        if _executor is None:
            _executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=_workers, thread_name_prefix="virtbind-aio")
        return _executor


def in_flight():
    """Calls submitted to the pool and not finished (running or queued)."""
    return _inflight


def _done(_cf):
    global _inflight
    with _pool_lock:
        _inflight -= 1


def _submit_nowait(fn, *args, **kwargs):
    global _inflight
    cf = executor().submit(fn, *args, **kwargs)
    with _pool_lock:
        _inflight += 1
    cf.add_done_callback(_done)
    return cf


async def _submit(fn, *args, **kwargs):
    """fn(*args, **kwargs) on the pool.  A cancelled await cancels a call
    still queued; a running one finishes in its worker (result dropped)."""
    return await asyncio.wrap_future(_submit_nowait(fn, *args, **kwargs))


# ------------------------------------------------------------ wrappers
_WRAPPERS = {}    # virtbind class -> async wrapper class


def wrap(obj):
    """obj with every virtbind object (also inside lists and tuples) replaced
    by its async wrapper."""
    w = _WRAPPERS.get(type(obj))
    if w is not None:
        return w(obj)
    t = type(obj)
    if t is list:
        return [wrap(x) for x in obj]
    if t is tuple:
        return tuple(wrap(x) for x in obj)
    if isinstance(obj, _AsyncBase):
        return obj
    for cls, w in _WRAPPERS.items():   # subclasses of the binding's classes
        if isinstance(obj, cls):
            return w(obj)
    return obj


def _unwrap(v):
    if isinstance(v, _AsyncBase):
        return v.sync
    t = type(v)
    if t is list:
        return [_unwrap(x) for x in v]
    if t is tuple:
        return tuple(_unwrap(x) for x in v)
    return v


def _unwrap_all(args, kwargs):
    return [_unwrap(a) for a in args], {k: _unwrap(v) for k, v in kwargs.items()}


async def call(fn, *args, **kwargs):
    """Any blocking callable on the worker pool: async wrappers among the
    arguments are unwrapped, virtbind objects in the result wrapped."""
    a, k = _unwrap_all(args, kwargs)
    return wrap(await _submit(fn, *a, **k))


def _async_method(name, doc):
    async def method(self, *args, **kwargs):
        a, k = _unwrap_all(args, kwargs)
        return wrap(await _submit(getattr(self.sync, name), *a, **k))
    method.__name__ = method.__qualname__ = name
    method.__doc__ = "Coroutine: %s" % (doc or name)
    return method


def _sync_method(name, doc):
    def method(self, *args, **kwargs):
        a, k = _unwrap_all(args, kwargs)
        return wrap(getattr(self.sync, name)(*a, **k))
    method.__name__ = method.__qualname__ = name
    method.__doc__ = doc
    return method


class _AsyncBase:
    """The async wrappers' common part: .sync is the wrapped object."""
    __slots__ = ("_obj", "__weakref__")
    _sync_cls = object

    def __init__(self, obj):
        if not isinstance(obj, self._sync_cls):
            raise TypeError("%s wraps a %s, not %s" % (type(self).__name__,
                            self._sync_cls.__name__, type(obj).__name__))
        self._obj = obj

    @property
    def sync(self):
        """The wrapped virtbind object (for synchronous use)."""
        return self._obj

    def __repr__(self):
        return "<%s %r>" % (type(self).__name__, self.sync)

    def __eq__(self, other):
        if isinstance(other, _AsyncBase):
            other = other.sync
        return self.sync == other

    def __hash__(self):
        return hash(self.sync)

    def __getattr__(self, name):
        # a method attached to the binding's class after this module was
        # imported: a coroutine like the others
        if name.startswith("_"):
            raise AttributeError(name)
        attr = getattr(self._sync_cls, name)
        if not callable(attr):
            return getattr(self.sync, name)
        return functools.partial(_async_method(name, attr.__doc__), self)


def _build(cname):
    """The async wrapper class of virtbind class cname, from its methods."""
    scls = getattr(virtbind, cname)
    sync_names = set(_aio_model.NONBLOCKING.get(cname, ()))
    ns = {"__slots__": (), "_sync_cls": scls,
          "__doc__": "%s's async wrapper: blocking methods are coroutines run on the "
                     "worker pool (virtbind.aio)." % cname}
    for name in dir(scls):
        if name.startswith("_"):
            continue
        attr = getattr(scls, name)
        if not callable(attr):
            ns[name] = attr          # class constants (streamBufSize)
        elif name in sync_names:
            ns[name] = _sync_method(name, attr.__doc__)
        else:
            ns[name] = _async_method(name, attr.__doc__)
    return type("_Async%sBase" % cname[3:], (_AsyncBase,), ns)


_BASES = {c: _build(c) for c in sorted(_aio_model.NONBLOCKING) if hasattr(virtbind, c)}
for _c, _b in _BASES.items():
    if _c != "virConnect":
        _w = type("Async" + _c[3:], (_b,), {"__slots__": (), "__module__": __name__,
                                              "__doc__": _b.__doc__})
        _WRAPPERS[getattr(virtbind, _c)] = _w
        globals()[_w.__name__] = _w
del _c, _b


# ------------------------------------------------------------ event streams
class EventOverflow(Exception):
    """An EventStream with overflow="raise" dropped events: raised by the
    next __anext__ (the stream stays usable)."""

    def __init__(self, dropped):
        super().__init__("event queue full: %d event(s) dropped so far" % dropped)
        self.dropped = dropped


_OVERFLOW = ("drop_oldest", "drop_newest", "raise")
_FAMILY_CLASS = {}   # family -> virtbind class of its objects
_EVENTS = {}         # (family, event ID) -> (name, object argument, record)
for _fam, _name, _eid, _objarg, _objcls, _rec in _aio_model.EVENTS:
    _EVENTS[(_fam, _eid)] = (_name, _objarg, _rec)
    _FAMILY_CLASS[_fam] = getattr(virtbind, _objcls)


def _deregister_quiet(conn, family, cid):
    try:
        getattr(conn, family + "_event_deregister")(cid)
    except virtbind.libvirtError:
        pass     # the connection is gone: libvirt dropped the callback locally


def _stream_callback(wself):
    # holds the stream weakly: libvirt's registration must not keep an
    # abandoned stream alive (its __del__ deregisters)
    def cb(conn, obj, *args):
        s = wself()
        if s is not None:
            s._deliver(obj, args[:-1])      # the last argument is the opaque
    return cb


class EventStream:
    """Async iterator over one event ID of one connection (and optionally one
    object): records queue up (at most maxsize) between registration and
    close.  Overflow policy when the queue is full: "drop_oldest" (default:
    the oldest queued record is dropped), "drop_newest" (the new one is), or
    "raise" (the new one is dropped and the next __anext__ raises
    EventOverflow); .dropped counts them.  The callback is registered on
    first use (__anext__ / __aenter__) and deregistered by aclose(), by
    `async with` leaving, or when the stream is garbage collected (a plain
    `break` out of `async for`)."""

    def __init__(self, aconn, family, event_id, obj, maxsize, overflow):
        if not isinstance(event_id, int) or isinstance(event_id, bool):
            raise TypeError("eventID must be an int, not %s" % type(event_id).__name__)
        if (family, event_id) not in _EVENTS:
            raise ValueError("unknown %s event ID %d" % (family, event_id))
        if not isinstance(maxsize, int) or isinstance(maxsize, bool):
            raise TypeError("maxsize must be an int, not %s" % type(maxsize).__name__)
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1, got %d" % maxsize)
        if overflow not in _OVERFLOW:
            raise ValueError("overflow must be one of %s, not %r" % (", ".join(_OVERFLOW), overflow))
        objcls = _FAMILY_CLASS[family]
        obj = _unwrap(obj)
        if obj is not None and not isinstance(obj, objcls):
            raise TypeError("%s events: the object must be a %s or its async wrapper, not %s"
                            % (family, objcls.__name__, type(obj).__name__))
        self._name, _objarg, self._record = _EVENTS[(family, event_id)]
        self._aconn, self._obj = aconn, obj
        self._wrap_obj = _WRAPPERS[objcls]
        self.family, self.event_id = family, event_id
        self.maxsize, self.overflow = maxsize, overflow
        self.dropped = 0
        self.registrations = 0      # 1 after opening, +1 per re-registration
        self.closed = False
        self._queue = collections.deque()
        self._overflowed = False
        self._waiter = None
        self._loop = None
        self._thread = None
        self._dead = False       # .sync was retired by a reconnect in progress
        self._cid = None            # callback ID on the connection registered with
        self._cid_conn = None
        self._opening = None
        self._error = None          # a re-registration failed (not the connection)

    # -- delivery (the event loop's thread)
    def _deliver(self, obj, payload):
        if threading.get_ident() == self._thread:
            self._push(obj, payload)
        else:    # libvirt's default loop in its own thread
            try:
                self._loop.call_soon_threadsafe(self._push, obj, payload)
            except RuntimeError:
                pass     # the loop is closed

    def _push(self, obj, payload):
        if self.closed:
            return
        rec = self._record(self._aconn, self._wrap_obj(obj), *payload)
        if len(self._queue) >= self.maxsize:
            self.dropped += 1
            if self.overflow == "drop_oldest":
                self._queue.popleft()
            else:
                if self.overflow == "raise":
                    self._overflowed = True
                self._wake()
                return
        self._queue.append(rec)
        self._wake()

    def _wake(self):
        w = self._waiter
        if w is not None and not w.done():
            w.set_result(None)

    # -- registration
    @staticmethod
    def _register_on(conn, family, name, cb, obj):
        """On the pool: register cb on conn; a filter object of another
        connection (before a reconnect) is looked up again on conn, by UUID
        or name (_aio_model.RELOOKUP).  Returns (callback ID, object)."""
        if obj is not None and obj.connect() is not conn:
            getter, lookup = _aio_model.RELOOKUP[_FAMILY_CLASS[family].__name__]
            obj = getattr(conn, lookup)(getattr(obj, getter)())
        return getattr(conn, "%s_event_%s_register" % (family, name))(cb, obj), obj

    async def _register(self):
        """Register the callback on the connection's current virConnect."""
        conn = self._aconn.sync
        cid, self._obj = await _submit(self._register_on, conn, self.family, self._name,
                                       _stream_callback(weakref.ref(self)), self._obj)
        if self.closed:      # closed while registering
            await _submit(_deregister_quiet, conn, self.family, cid)
            return
        self._cid, self._cid_conn = cid, conn
        self.registrations += 1

    async def _open(self):
        if self._opening is None:
            if self.closed:
                raise RuntimeError("the event stream is closed")
            self._loop = asyncio.get_running_loop()
            self._thread = threading.get_ident()
            self._aconn._streams.add(self)
            self._opening = asyncio.ensure_future(self._register())
        await asyncio.shield(self._opening)

    # -- the async iterator
    def __aiter__(self):
        return self

    async def __anext__(self):
        await self._open()
        while True:
            if self._overflowed:
                self._overflowed = False
                raise EventOverflow(self.dropped)
            if self._queue:
                return self._queue.popleft()
            if self.closed:
                raise StopAsyncIteration
            if self._error is not None:
                raise self._error
            self._waiter = self._loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None

    async def get(self):
        """The next record (StopAsyncIteration once closed and drained)."""
        return await self.__anext__()

    def qsize(self):
        """Records queued."""
        return len(self._queue)

    async def aclose(self):
        """Deregister the callback and end the iteration (queued records are
        still returned).  Idempotent."""
        if self.closed:
            return
        self.closed = True
        self._aconn._streams.discard(self)
        self._wake()
        if self._opening is not None:
            try:
                await asyncio.shield(self._opening)
            except Exception:
                pass
        cid, conn, self._cid, self._cid_conn = self._cid, self._cid_conn, None, None
        if cid is not None:
            await _submit(_deregister_quiet, conn, self.family, cid)

    async def __aenter__(self):
        await self._open()
        return self

    async def __aexit__(self, *exc):
        await self.aclose()

    def __del__(self):
        # abandoned without aclose() (a `break` out of `async for`):
        # deregister on the pool, without the event loop
        cid, conn = getattr(self, "_cid", None), getattr(self, "_cid_conn", None)
        if cid is not None and not self.closed:
            self.closed = True
            try:
                _submit_nowait(_deregister_quiet, conn, self.family, cid)
            except RuntimeError:
                pass     # interpreter shutdown: the pool is gone


# ------------------------------------------------------------ connections
def _alive(conn):
    try:
        return conn.isAlive() == 1
    except virtbind.libvirtError:
        return False


def _close_callback(wself):
    def cb(conn, reason, opaque):
        s = wself()
        if s is not None and reason != virtbind.VIR_CONNECT_CLOSE_REASON_CLIENT:
            s._lost(conn)
    return cb


class AsyncConnect(_BASES["virConnect"]):
    """virConnect's async wrapper.  Opened by open(..., reconnect=True), it
    reconnects when the connection closes (close callback: EOF, keepalive,
    error) with exponential backoff, and re-registers its open event
    streams; .sync is then the current virConnect, .reconnects counts the
    reconnections.  Calls made while it reconnects fail with libvirtError
    (await wait_connected() first); objects from the old connection stay
    bound to it; events emitted while disconnected are lost."""
    __slots__ = ("_opener", "_backoff", "_keepalive", "_streams", "reconnects", "_closing",
                 "_task", "_loop", "_thread", "_dead")

    def __init__(self, obj, *, _opener=None, backoff=DEFAULT_BACKOFF, keepalive=DEFAULT_KEEPALIVE):
        super().__init__(obj)
        self._opener = _opener
        self._backoff = backoff
        self._keepalive = keepalive
        self._streams = weakref.WeakSet()
        self.reconnects = 0
        self._closing = False
        self._task = None
        self._loop = None
        self._thread = None
        self._dead = False       # .sync was retired by a reconnect in progress

    @property
    def connected(self):
        """False while reconnecting or after close()."""
        return not self._closing and (self._task is None or self._task.done())

    async def wait_connected(self):
        """Return once the connection is up (at once unless reconnecting)."""
        task = self._task
        if task is not None and not task.done():
            await asyncio.shield(task)

    async def _setup(self, conn):
        """In a coroutine on the loop: watch conn (close callback, keepalive)."""
        self._loop = asyncio.get_running_loop()
        self._thread = threading.get_ident()
        if self._opener is None:
            return
        await _submit(conn.registerCloseCallback, _close_callback(weakref.ref(self)), None)
        if self._keepalive is not None and (get_current() is not None or virtbind.event_loop_running()):
            try:
                await _submit(conn.setKeepAlive, *self._keepalive)
            except virtbind.libvirtError:
                pass     # not a remote driver: nothing to keep alive

    def _lost(self, conn):
        # the close callback, on the event loop's thread (or libvirt's)
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        if threading.get_ident() == self._thread:
            self._start_reconnect(conn)
        else:
            loop.call_soon_threadsafe(self._start_reconnect, conn)

    def _start_reconnect(self, conn):
        if self._closing or conn is not self._obj or (self._task is not None and not self._task.done()):
            return
        self._task = self._loop.create_task(self._reconnect(conn))

    @staticmethod
    def _retire(conn, cids):
        """On the pool: drop a dead connection (its callbacks, then itself)."""
        for family, cid in cids:
            _deregister_quiet(conn, family, cid)
        for fn in (conn.unregisterCloseCallback, conn.close):
            try:
                fn()
            except virtbind.libvirtError:
                pass

    async def _reconnect(self, old):
        delay, cap = self._backoff
        while not self._closing:
            streams = [s for s in list(self._streams) if not s.closed]
            cids = []
            for s in streams:
                if s._cid is not None and s._cid_conn is old:
                    cids.append((s.family, s._cid))
                    s._cid = s._cid_conn = None
            self._dead = True
            await _submit(self._retire, old, cids)
            try:
                new = await _submit(self._opener)
            except virtbind.libvirtError:
                await asyncio.sleep(delay)
                delay = min(delay * 2, cap)
                continue
            self._obj, self._dead, old = new, False, new
            try:
                await self._setup(new)
                for s in streams:
                    if s.closed:
                        continue
                    try:
                        await s._register()
                    except virtbind.libvirtError as e:
                        if not await _submit(_alive, new):
                            raise
                        s._error = e     # e.g. its object is gone: the consumer gets it
                        s._wake()
            except virtbind.libvirtError:
                await asyncio.sleep(delay)     # lost again: retire it, retry
                delay = min(delay * 2, cap)
                continue
            self.reconnects += 1
            return

    async def close(self):
        """Stop reconnecting, close the open event streams, close the
        connection (virConnectClose's result)."""
        self._closing = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, virtbind.libvirtError):
                pass
        for s in list(self._streams):
            await s.aclose()
        conn = self._obj
        if self._dead:
            return 0             # retired while reconnecting: closed already
        if self._opener is not None:
            try:
                await _submit(conn.unregisterCloseCallback)
            except virtbind.libvirtError:
                pass
        return await _submit(conn.close)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()


_WRAPPERS[virtbind.virConnect] = AsyncConnect


def _family_streams(family):
    def events(self, eventID, *args, maxsize=DEFAULT_MAXSIZE, overflow="drop_oldest", **kwargs):
        obj = _one_obj(family, args, kwargs)
        return EventStream(self, family, eventID, obj, maxsize, overflow)
    events.__name__ = events.__qualname__ = family + "_events"
    events.__doc__ = ("%s_events(eventID, obj=None, *, maxsize=%d, overflow='drop_oldest') -> "
                      "EventStream of the event ID's records" % (family, DEFAULT_MAXSIZE))
    return events


def _event_stream(family, name, eid, objarg, record):
    def events(self, *args, maxsize=DEFAULT_MAXSIZE, overflow="drop_oldest", **kwargs):
        obj = _one_obj(family, args, kwargs)
        return EventStream(self, family, eid, obj, maxsize, overflow)
    events.__name__ = events.__qualname__ = "%s_%s_events" % (family, name)
    events.__doc__ = ("%s_%s_events(%s=None, *, maxsize=%d, overflow='drop_oldest') -> "
                      "EventStream[%s]" % (family, name, objarg, DEFAULT_MAXSIZE, record.__name__))
    return events


def _one_obj(family, args, kwargs):
    objarg = next(o for (f, _e), (_n, o, _r) in _EVENTS.items() if f == family)
    if len(args) > 1:
        raise TypeError("%s events take at most one object argument" % family)
    obj = args[0] if args else kwargs.pop(objarg, None)
    if args and objarg in kwargs:
        raise TypeError("%s given twice" % objarg)
    if kwargs:
        raise TypeError("unexpected keyword argument(s): %s" % ", ".join(sorted(kwargs)))
    return obj


for _fam, _name, _eid, _objarg, _objcls, _rec in _aio_model.EVENTS:
    setattr(AsyncConnect, "%s_events" % _fam, _family_streams(_fam))
    setattr(AsyncConnect, "%s_%s_events" % (_fam, _name),
            _event_stream(_fam, _name, _eid, _objarg, _rec))
    globals()[_rec.__name__] = _rec
del _fam, _name, _eid, _objarg, _objcls, _rec


def _ensure_events():
    loop = asyncio.get_running_loop()
    if _current is None:
        if not virtbind.event_loop_running():
            register(loop)
    elif _current.loop is not loop and _current.loop.is_closed():
        _current.rebind(loop)    # a new asyncio.run(): libvirt keeps the implementation


async def _open(opener, reconnect, backoff, keepalive, events):
    if events:
        _ensure_events()
    if not (isinstance(backoff, tuple) and len(backoff) == 2 and
            all(isinstance(x, (int, float)) and not isinstance(x, bool) and x > 0 for x in backoff)):
        raise ValueError("backoff must be (first delay, cap) in seconds, both > 0")
    if keepalive is not None and not (isinstance(keepalive, tuple) and len(keepalive) == 2 and
                                      all(isinstance(x, int) for x in keepalive)):
        raise TypeError("keepalive must be None or (interval, count) ints")
    conn = await _submit(opener)
    ac = AsyncConnect(conn, _opener=opener if reconnect else None, backoff=backoff,
                      keepalive=keepalive)
    try:
        await ac._setup(conn)
    except BaseException:
        await _submit(conn.close)
        raise
    return ac


async def open(name=None, *, readonly=False, auth=None, flags=0, reconnect=False,
               backoff=DEFAULT_BACKOFF, keepalive=DEFAULT_KEEPALIVE, events=True):
    """Open a connection on the worker pool: an AsyncConnect.  auth: as
    virtbind.openAuth (with flags); readonly: virtbind.openReadOnly.
    reconnect=True: reconnect with backoff (first delay, cap) when it closes
    and re-register the event streams (keepalive (interval, count) is set on
    remote connections).  events=True registers AsyncIOEventImpl on the
    running loop unless an event implementation runs already."""
    if auth is not None:
        opener = functools.partial(virtbind.openAuth, name, auth, flags)
    elif readonly:
        opener = functools.partial(virtbind.openReadOnly, name)
    else:
        opener = functools.partial(virtbind.open, name)
    return await _open(opener, reconnect, backoff, keepalive, events)


async def openReadOnly(name=None, *, reconnect=False, backoff=DEFAULT_BACKOFF,
                       keepalive=DEFAULT_KEEPALIVE, events=True):
    """open(name, readonly=True, ...)."""
    return await _open(functools.partial(virtbind.openReadOnly, name), reconnect, backoff,
                       keepalive, events)


async def openAuth(uri, auth, flags=0, *, reconnect=False, backoff=DEFAULT_BACKOFF,
                   keepalive=DEFAULT_KEEPALIVE, events=True):
    """open(uri, auth=auth, flags=flags, ...)."""
    return await _open(functools.partial(virtbind.openAuth, uri, auth, flags), reconnect,
                       backoff, keepalive, events)
