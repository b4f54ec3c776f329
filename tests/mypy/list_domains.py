"""List domains with their state and basic info (libvirt-python style)."""
import sys
from typing import Optional

import virtbind

STATES = {
    virtbind.VIR_DOMAIN_RUNNING: "running",
    virtbind.VIR_DOMAIN_PAUSED: "paused",
    virtbind.VIR_DOMAIN_SHUTOFF: "shut off",
}


def describe(dom: virtbind.virDomain) -> str:
    state, reason = dom.state()
    info = dom.info()
    mem_kib: int = info[2]
    vcpus: int = info[3]
    name: Optional[str] = dom.name()
    return "%s: %s (reason %d), %d MiB, %d vCPUs, uuid %s" % (
        name, STATES.get(state, str(state)), reason, mem_kib // 1024, vcpus, dom.UUIDString())


def main(uri: str = "test:///default") -> int:
    with virtbind.openReadOnly(uri) as conn:
        print(conn.getHostname(), conn.getLibVersion(), conn.getURI())
        model, memory, cpus = conn.getInfo()[:3]
        print("host:", model, memory, cpus)
        for dom in conn.listAllDomains(virtbind.VIR_CONNECT_LIST_DOMAINS_ACTIVE):
            print(describe(dom))
        for name in conn.listDefinedDomains():
            print("defined:", conn.lookupByName(name).isActive())
        for net in conn.listAllNetworks():
            print("network", net.name(), net.bridgeName() if net.isActive() else "-")
        for pool in conn.listAllStoragePools():
            for vol in pool.listAllVolumes():
                print(vol.path(), vol.info()[1])
        version: int = virtbind.getVersion()
        lib, drv = virtbind.getVersion("Test")
        print(version, lib, drv)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
