"""libvirt-python's libvirt_lxc over virtbind: lxcOpenNamespace and
lxcEnterCGroup; also lxcEnterNamespace and lxcEnterSecurityLabel, which
libvirt-python does not bind (virtbind's shapes, docs/python.md)."""
import virtbind as _virtbind

from libvirt import libvirtError  # noqa: F401 - libvirt_lxc re-exports it
import libvirtmod_lxc  # noqa: E402,F401 - as in libvirt-python: the C-named functions

lxcOpenNamespace = _virtbind.lxcOpenNamespace
lxcEnterCGroup = _virtbind.lxcEnterCGroup
lxcEnterNamespace = _virtbind.lxcEnterNamespace
lxcEnterSecurityLabel = _virtbind.lxcEnterSecurityLabel
