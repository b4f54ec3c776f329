"""libvirt-python's libvirt_qemu over virtbind: the QEMU-specific functions
(qemuMonitorCommand, qemuAgentCommand, qemuAttach) and constants."""
import virtbind as _virtbind

from libvirt import libvirtError  # noqa: F401 - libvirt_qemu re-exports it

qemuMonitorCommand = _virtbind.qemuMonitorCommand
qemuAgentCommand = _virtbind.qemuAgentCommand
qemuAttach = _virtbind.qemuAttach

globals().update({k: getattr(_virtbind, k) for k in dir(_virtbind)
                  if k.startswith("VIR_DOMAIN_QEMU_") or k.startswith("VIR_CONNECT_DOMAIN_QEMU_")})
