"""Event registration with callbacks of the right shapes."""
import threading
from typing import Optional

import virtbind
from virtbind import virConnect, virDomain, virNetwork
from virtbind.typed import DomainTunableParams, domain_event_tunable_register


def lifecycle(conn: virConnect, dom: virDomain, event: int, detail: int, opaque: Optional[str]) -> None:
    print("lifecycle", dom.name(), event, detail, opaque)


def reboot(conn: virConnect, dom: virDomain, opaque: object) -> None:
    print("reboot", dom.name())


def tunable(conn: virConnect, dom: virDomain, params: "dict[str, int | float | bool | str]",
            opaque: None) -> None:
    print("tunable", params)


def typed_tunable(conn: virConnect, dom: virDomain, params: DomainTunableParams, opaque: int) -> None:
    print("vcpu pins", params.cpu_vcpupin, "emulator pin", params.cpu_emulatorpin)


def graphics(conn: virConnect, dom: virDomain, phase: int,
             local: "Optional[dict[str, int | str]]", remote: "Optional[dict[str, int | str]]",
             scheme: str, subject: "Optional[list[tuple[str, str]]]", opaque: None) -> None:
    print(phase, local, remote, scheme, subject)


def net_lifecycle(conn: virConnect, net: virNetwork, event: int, detail: int, opaque: int) -> None:
    print("network", net.name(), event)


def run_loop() -> None:
    while True:
        virtbind.virEventRunDefaultImpl()


def main() -> None:
    virtbind.virEventRegisterDefaultImpl()
    threading.Thread(target=run_loop, daemon=True).start()
    conn = virtbind.open("test:///default")
    ids = [
        conn.domainEventRegisterAny(None, virtbind.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lifecycle, "ctx"),
        conn.domainEventRegisterAny(None, virtbind.VIR_DOMAIN_EVENT_ID_REBOOT, reboot, None),
        conn.domainEventRegisterAny(None, virtbind.VIR_DOMAIN_EVENT_ID_GRAPHICS, graphics, None),
        # lambdas are checked too
        conn.domainEventRegisterAny(None, virtbind.VIR_DOMAIN_EVENT_ID_RTC_CHANGE,
                                    lambda c, d, offset, o: print(d.name(), offset + 1), None),
    ]
    # one registration per (connection, object, event ID): the tunable event
    # either with the dict callback or with the typed one
    if len(ids) > 10:
        ids.append(conn.domainEventRegisterAny(None, virtbind.VIR_DOMAIN_EVENT_ID_TUNABLE, tunable, None))
    else:
        ids.append(domain_event_tunable_register(conn, None, typed_tunable, 3))
    nid = conn.networkEventRegisterAny(None, virtbind.VIR_NETWORK_EVENT_ID_LIFECYCLE, net_lifecycle, 7)
    conn.registerCloseCallback(lambda c, reason, o: print("closed", reason), None)
    for cid in ids:
        conn.domainEventDeregisterAny(cid)
    conn.networkEventDeregisterAny(nid)
    # the typed per-event methods (docs/events.md)
    t1 = conn.domain_event_lifecycle_register(lifecycle, opaque="ctx")
    t2 = conn.domain_event_reboot_register(lambda c, d, o: print(d.name(), o), None)
    t3 = conn.domain_event_tunable_register(typed_tunable, None, 3)
    t4 = conn.network_event_lifecycle_register(net_lifecycle, opaque=7)
    t5 = conn.storage_pool_event_refresh_register(lambda c, p, o: print(p.name()))
    for t in (t1, t2, t3):
        conn.domain_event_deregister(t)
    conn.network_event_deregister(t4)
    conn.storage_pool_event_deregister(t5)


if __name__ == "__main__":
    main()
