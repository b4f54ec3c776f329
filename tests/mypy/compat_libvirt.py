"""Unchanged libvirt-python code, type-checked against the compat stubs."""
import libvirt
import libvirt_qemu


def main() -> None:
    conn = libvirt.open("test:///default")
    dom = conn.lookupByName("test")
    print(dom.info(), dom.XMLDesc(0), dom.schedulerParameters())
    # libvirt-python's low-level module, object first
    state: "list[int]" = libvirt.libvirtmod.virDomainGetState(dom, 0)
    print(state, libvirt.libvirtmod.virConnectGetURI(conn))
    try:
        libvirt_qemu.qemuMonitorCommand(dom, "{}", 0)
    except libvirt.libvirtError as e:
        print(e.get_error_message())
    print(libvirt.VIR_DOMAIN_RUNNING, libvirt_qemu.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP)


if __name__ == "__main__":
    main()
