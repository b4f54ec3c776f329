"""libvirt-python's libvirt_lxc over virtbind: lxcOpenNamespace and
lxcEnterCGroup."""
import virtbind as _virtbind

from libvirt import libvirtError  # noqa: F401 - libvirt_lxc re-exports it

lxcOpenNamespace = _virtbind.lxcOpenNamespace
lxcEnterCGroup = _virtbind.lxcEnterCGroup
