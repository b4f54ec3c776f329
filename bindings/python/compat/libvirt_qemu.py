"""libvirt-python's libvirt_qemu over virtbind: the QEMU-specific functions
(qemuMonitorCommand, qemuMonitorCommandWithFiles, qemuAgentCommand,
qemuAttach, qemuMonitorEventRegister / qemuMonitorEventDeregister) and
constants, with libvirt-python's signatures."""
import virtbind as _virtbind

from libvirt import libvirtError  # noqa: F401 - libvirt_qemu re-exports it
import libvirtmod_qemu  # noqa: E402,F401 - as in libvirt-python: the C-named functions

qemuMonitorCommand = _virtbind.qemuMonitorCommand
qemuAgentCommand = _virtbind.qemuAgentCommand
qemuAttach = _virtbind.qemuAttach
qemuMonitorCommandWithFiles = _virtbind.qemuMonitorCommandWithFiles
qemuMonitorEventRegister = _virtbind.qemuMonitorEventRegister
qemuMonitorEventDeregister = _virtbind.qemuMonitorEventDeregister

globals().update({k: getattr(_virtbind, k) for k in dir(_virtbind)
                  if k.startswith("VIR_DOMAIN_QEMU_") or k.startswith("VIR_CONNECT_DOMAIN_QEMU_")})
