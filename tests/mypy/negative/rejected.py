"""Every line marked `# E: code` must be rejected by mypy --strict with that
error code (tests/python/test_typing_mypy.py checks line by line); nothing
else in this file may be reported."""
from typing import Optional

import virtbind
from virtbind import virConnect, virDomain
from virtbind.typed import (DomainBlockIoTuneParams, DomainMemoryParams, domain_event_tunable_register,
                            set_memory_parameters)

conn = virtbind.open("test:///default")
dom = conn.lookupByName("test")

# wrong flag / argument types
dom.create("0")  # E: call-arg
dom.XMLDesc(flags="secure")  # E: arg-type
conn.lookupByName(42)  # E: arg-type
dom.setMemoryParameters(["hard_limit", 1])  # E: arg-type
n: str = dom.ID()  # E: assignment
state: str = dom.state()[0]  # E: assignment
dom.attachDevice(None)  # E: arg-type
dom.nosuchMethod()  # E: attr-defined

# typed classes: wrong field type, misspelled field
mem = DomainMemoryParams()
mem.hard_limit = "1G"  # E: assignment
mem.hardlimit = 1  # E: attr-defined
DomainMemoryParams(hard_limt=1)  # E: call-arg
DomainBlockIoTuneParams(group_name=5)  # E: arg-type
tune = DomainBlockIoTuneParams(total_iops_sec=10)
x: str = tune.total_iops_sec  # E: assignment
set_memory_parameters(dom, {"hard_limit": 1})  # E: arg-type


# event callbacks of the wrong shape
def bad_lifecycle(conn: virConnect, dom: virDomain, opaque: None) -> None:
    pass


def bad_types(conn: virConnect, dom: virDomain, event: str, detail: int, opaque: None) -> None:
    pass


def reboot_cb(conn: virConnect, dom: virDomain, opaque: None) -> None:
    pass


conn.domainEventRegisterAny(None, virtbind.VIR_DOMAIN_EVENT_ID_LIFECYCLE, bad_lifecycle, None)  # E: call-overload|arg-type
conn.domainEventRegisterAny(dom, virtbind.VIR_DOMAIN_EVENT_ID_LIFECYCLE, bad_types, None)  # E: call-overload|arg-type
conn.domainEventRegisterAny(None, virtbind.VIR_DOMAIN_EVENT_ID_REBOOT, reboot_cb, None)
conn.domainEventRegisterAny(None, virtbind.VIR_DOMAIN_EVENT_ID_RTC_CHANGE, reboot_cb, None)  # E: call-overload|arg-type
conn.networkEventRegisterAny(None, virtbind.VIR_NETWORK_EVENT_ID_LIFECYCLE, bad_lifecycle, None)  # E: arg-type
conn.registerCloseCallback(lambda c: None, None)  # E: arg-type|misc


def tunable_dict_cb(conn: virConnect, dom: virDomain, params: "dict[str, int]", opaque: None) -> None:
    pass


domain_event_tunable_register(conn, None, tunable_dict_cb, None)  # E: arg-type

# errors
try:
    pass
except virtbind.libvirtError as e:
    code: int = e.get_error_code()  # E: assignment
    msg: Optional[str] = e.get_error_message()
virtbind.VIR_DOMAIN_RUNNING = 3  # E: misc


# typed per-event registration: the callback must match the event's C callback type
def _lc(conn: virConnect, dom: virDomain, event: int, detail: int, opaque: None) -> None:
    pass


def _reboot(conn: virConnect, dom: virDomain, opaque: None) -> None:
    pass


conn.domain_event_lifecycle_register(_lc)
conn.domain_event_lifecycle_register(_reboot)  # E: arg-type
conn.domain_event_reboot_register(_lc)  # E: arg-type
conn.domain_event_tunable_register(lambda c, d, params, o: print(params.nosuch))  # E: attr-defined
conn.domain_event_lifecycle_register(_lc, dom="test")  # E: call-overload
conn.domain_event_deregister("1")  # E: arg-type

# enum and flag types (virtbind/enums.pyi): a member of the wrong enum type is
# refused where the XML ties the argument to another type
dom.XMLDesc(virtbind.DomainModificationImpact.LIVE)  # E: arg-type
dom.blkioParameters(virtbind.DomainXMLFlags.SECURE)  # E: arg-type
conn.listAllDomains(virtbind.ConnectListAllNetworksFlags.ACTIVE)  # E: arg-type
_mixed = virtbind.DomainXMLFlags.SECURE | virtbind.DomainModificationImpact.LIVE  # E: operator
_st: virtbind.DomainState = virtbind.DomainEventType.STARTED  # E: assignment
_cmp: str = conn.compareCPU("<cpu/>")  # E: assignment
virtbind.DomainState.NO_SUCH_STATE  # E: attr-defined
virtbind.supports(42)  # E: arg-type
virtbind.requires("9.0.0", conn="test:///default")  # E: arg-type
conn.supports()  # E: call-arg
_e: virtbind.errors.NoDomain = virtbind.errors.OperationInvalid("x")  # E: assignment
