"""libvirt-python compatibility shim over virtbind.

`import libvirt` with build/python/compat and build/python on sys.path gives
virtbind's classes, functions and constants under libvirt-python's names.
Only what virtbind binds is available (virtbind.__virtbind_skip_reasons__
says why the rest is not).
"""
import virtbind as _virtbind
from virtbind import *  # noqa: F401,F403 - the public surface

# `from ... import *` skips private names; the ones libvirt-python code or its
# tools reach for are re-exported explicitly.
libvirtError = _virtbind.libvirtError
__virtbind_manifest__ = _virtbind.__virtbind_manifest__
__virtbind_skipped__ = _virtbind.__virtbind_skipped__
__virtbind_skip_reasons__ = _virtbind.__virtbind_skip_reasons__

# libvirt-python exposes its C extension as libvirt.libvirtmod: the C-named
# functions (compat/libvirtmod.py).
import libvirtmod  # noqa: E402

# What custom event loops receive as callbacks (libvirt-python's names).
_eventInvokeHandleCallback = _virtbind._eventInvokeHandleCallback
_eventInvokeTimeoutCallback = _virtbind._eventInvokeTimeoutCallback

# Typing aliases libvirt-python defines and libvirtaio evaluates at import.
from typing import Callable as _Callable, TypeVar as _TypeVar  # noqa: E402
_T = _TypeVar('_T')
_EventCB = _Callable[[int, int, int, _T], None]
_TimerCB = _Callable[[int, _T], None]
