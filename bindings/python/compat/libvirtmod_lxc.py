"""libvirt-python's `libvirtmod_lxc` over virtbind: the LXC functions under
their C names (see libvirtmod.py)."""
from libvirtmod import _names

globals().update(_names("lxc"))
