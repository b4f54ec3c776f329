"""libvirt-python's low-level module `libvirtmod` over virtbind.

libvirt-python's generated classes call C-named functions in `libvirtmod`
(`libvirtmod.virDomainGetInfo(dom._o)`); code and tests that reach into it
(libvirt-python's API coverage test, tests/eventmock.py) find here every C
function virtbind binds, under its C name, taking the object first:
`libvirtmod.virDomainGetInfo(dom)` is `virtbind.virDomain.info(dom)`.
The mapping comes from virtbind's `__virtbind_manifest__`; QEMU and LXC
functions are in libvirtmod_qemu / libvirtmod_lxc, as in libvirt-python.
"""
import virtbind as _virtbind


def _names(want):
    for cname, path in _virtbind.__virtbind_manifest__.items():
        if ":" in path or ":" in cname or _family(cname) != want:
            continue
        obj = _virtbind
        for part in path.split("."):
            obj = getattr(obj, part)
        yield cname, obj


def _family(cname):
    if "Qemu" in cname:
        return "qemu"
    if "Lxc" in cname:
        return "lxc"
    return "main"


globals().update(_names("main"))
virEventInvokeFreeCallback = _virtbind.virEventInvokeFreeCallback
