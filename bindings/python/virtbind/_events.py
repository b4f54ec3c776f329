"""virtbind._events: Python helpers of the typed event registration methods
(docs/events.md)."""


def _typed_event_callback(callback, clsname, pos):
    """The callback the typed registration methods give libvirt for events
    carrying typed parameters (tunable, job completed): payload argument
    `pos` becomes a virtbind.typed class instead of the dict."""
    from virtbind import typed as _typed
    cls = getattr(_typed, clsname)

    def _cb(conn, obj, *args):
        args = list(args)
        args[pos] = cls._from_libvirt(args[pos])
        return callback(conn, obj, *args)
    _cb.__wrapped__ = callback
    return _cb


# ------------------------------------------------------------ default loop
# threading is imported when a loop starts, not at `import virtbind`
import _thread as _threadmod

_lock = _threadmod.allocate_lock()
_registered = False
_thread = None
_stop = None


def event_loop_start():
    """Register libvirt's default event implementation (first call only) and
    run virEventRunDefaultImpl() in a daemon thread.  Returns the thread;
    calling it while the loop runs returns the running thread.  Call before
    opening the connections whose events you want."""
    global _registered, _thread, _stop
    import virtbind
    with _lock:
        if _thread is not None and _thread.is_alive():
            return _thread
        import threading
        if not _registered:
            if virtbind.virEventRegisterDefaultImpl() < 0:
                raise virtbind.libvirtError("virEventRegisterDefaultImpl failed")
            _registered = True
        stop = threading.Event()

        def run():
            while not stop.is_set():
                if virtbind.virEventRunDefaultImpl() < 0:
                    break

        t = threading.Thread(target=run, name="virtbind-event-loop", daemon=True)
        _stop, _thread = stop, t
        t.start()
        return t


def event_loop_stop(timeout=5.0):
    """Stop the thread event_loop_start() started: a zero-period timer wakes
    virEventRunDefaultImpl(), the thread sees the stop flag and returns.
    Returns True when the thread ended within timeout seconds (False: still
    inside a callback).  The implementation stays registered (libvirt cannot
    unregister it); event_loop_start() runs it again."""
    global _thread
    import threading
    import virtbind
    with _lock:
        t, stop = _thread, _stop
        if t is None:
            return True
        stop.set()
        if t is threading.current_thread():
            _thread = None
            return True       # called from a callback: the loop ends after it
        timer = virtbind.virEventAddTimeout(0, lambda timer, opaque: None, None)
        try:
            t.join(timeout)
        finally:
            if timer >= 0:
                virtbind.virEventRemoveTimeout(timer)
        if not t.is_alive():
            _thread = None
            return True
        return False


def event_loop_running():
    """Whether the event_loop_start() thread runs."""
    t = _thread
    return t is not None and t.is_alive()
