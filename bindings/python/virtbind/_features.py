"""virtbind._features: feature detection (docs/python.md "Feature detection").

supports(name)       can this process use a libvirt function, constant or enum
                     member: the XML's version attribute (the generated
                     virtbind/_apiversions.py) against the loaded libvirt's
                     version, for functions also the symbol in the loaded
                     library and virtbind binding it;
conn.supports(name)  the same, and the connected daemon is new enough
                     (conn.getLibVersion());
requires(what, conn=None)  a guard: raises virtbind.errors.VersionError when a
                     version ("9.0.0") or a name is not supported.
"""
import ctypes
import os
import re

from virtbind import _virtbind
from virtbind._apiversions import MEMBERS, SINCE
from virtbind.errors import VersionError

__all__ = ["requires", "supports"]

_VERSION = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?$")
# the libraries the runtime dlopen()s per XML (bindings/python/vbpy_runtime.c)
_LIBRARY_ENV = {"qemu": ("VIRTBIND_LIBVIRT_QEMU_SO", "libvirt-qemu.so.0"),
                "lxc": ("VIRTBIND_LIBVIRT_LXC_SO", "libvirt-lxc.so.0")}
_libraries = {}


def _parse_version(text):
    """'9.0.0' / '9.0' / '9' -> 9000000 (libvirt's encoding); ValueError otherwise."""
    m = _VERSION.match(text.strip())
    if not m:
        raise ValueError("not a libvirt version (MAJOR[.MINOR[.MICRO]]): %r" % (text,))
    major, minor, micro = (int(g or 0) for g in m.groups())
    if minor > 999 or micro > 999:
        raise ValueError("not a libvirt version (minor and micro are 0..999): %r" % (text,))
    return major * 1000000 + minor * 1000 + micro


def _format_version(n):
    return "%d.%d.%d" % (n // 1000000, n // 1000 % 1000, n % 1000)


def _library(src):
    if src == "main":
        path = _virtbind.__virtbind_libvirt_so__
    elif src in _LIBRARY_ENV:
        env, soname = _LIBRARY_ENV[src]
        path = os.environ.get(env) or soname
    else:
        return None
    if path not in _libraries:
        try:
            _libraries[path] = ctypes.CDLL(path)
        except OSError:
            _libraries[path] = None
    return _libraries[path]


def _resolve(name):
    """(C name, (version, kind, xml)) or (name, None) for an unknown name."""
    if not isinstance(name, str):
        raise TypeError("supports(): name must be a str, not %s" % type(name).__name__)
    cname = MEMBERS.get(name, name)
    return cname, SINCE.get(cname)


def _unsupported(name):
    """Why NAME cannot be used in this process, or None."""
    cname, info = _resolve(name)
    if info is None:
        return "%s is not a libvirt function, constant or enum member virtbind knows" % name
    since, kind, src = info
    loaded = _virtbind.getVersion()
    if _parse_version(since) > loaded:
        return "%s needs libvirt >= %s; the loaded libvirt is %s" % (
            name, since, _format_version(loaded))
    if src == "admin":
        return None   # the admin API is the module virtbind_admin: the version decides
    if kind == "f":
        if cname not in _virtbind.__virtbind_manifest__:
            why = _virtbind.__virtbind_skip_reasons__.get(cname) or \
                _virtbind.__virtbind_internal__.get(cname) or "not bound"
            return "%s is not callable through virtbind (%s)" % (name, why)
        lib = _library(src)
        if lib is None or not hasattr(lib, cname):
            return "%s: the loaded libvirt library has no such symbol" % name
    return None


def supports(name):
    """True when libvirt function, constant or enum member NAME
    ("virDomainGetMessages", "VIR_DOMAIN_RUNNING", "DomainState.RUNNING") is
    usable: known to virtbind, added in a libvirt version not newer than the
    loaded one, and for functions present in the loaded library and bound."""
    return _unsupported(name) is None


def _daemon_unsupported(conn, name):
    why = _unsupported(name)
    if why is not None:
        return why
    since = SINCE[_resolve(name)[0]][0]
    daemon = conn.getLibVersion()
    if _parse_version(since) > daemon:
        return "%s needs libvirt >= %s; the connected daemon runs %s" % (
            name, since, _format_version(daemon))
    return None


def conn_supports(self, name):
    """conn.supports(name): virtbind.supports(name), and the libvirt the
    connection talks to (conn.getLibVersion()) is new enough for it."""
    return _daemon_unsupported(self, name) is None


def requires(what, conn=None):
    """Guard: raise virtbind.errors.VersionError unless WHAT is supported.
    WHAT is a libvirt version ("9.0.0": the loaded library, and the daemon of
    CONN when given, must be at least that) or a name as supports() takes."""
    if not isinstance(what, str):
        raise TypeError("requires(): expected a version or a name, not %s" % type(what).__name__)
    if what.strip()[:1].isdigit():
        want = _parse_version(what)
        loaded = _virtbind.getVersion()
        if loaded < want:
            raise VersionError("libvirt >= %s is required; the loaded libvirt (%s) is %s" % (
                _format_version(want), _virtbind.__virtbind_libvirt_so__, _format_version(loaded)))
        if conn is not None:
            daemon = conn.getLibVersion()
            if daemon < want:
                raise VersionError("libvirt >= %s is required; the connected daemon runs %s" % (
                    _format_version(want), _format_version(daemon)))
        return
    why = _unsupported(what) if conn is None else _daemon_unsupported(conn, what)
    if why is not None:
        raise VersionError(why)
