"""libvirt-python's `libvirtmod_qemu` over virtbind: the QEMU functions under
their C names (see libvirtmod.py)."""
from libvirtmod import _names

globals().update(_names("qemu"))
