"""Typed enums and flags, per-code exceptions and feature detection
(issue #10 parts 1-3): what mypy --strict accepts, run for real too."""
import virtbind
from virtbind import errors


def main() -> None:
    virtbind.requires("9.0.0")
    conn = virtbind.open("test:///default")
    if not conn.supports("virDomainGetMessages") or not virtbind.supports("DomainState.RUNNING"):
        raise SystemExit("too old")
    # flags: the enum type, plain ints and the plain constants all type-check
    flags = virtbind.ConnectListAllDomainsFlags.ACTIVE | virtbind.ConnectListAllDomainsFlags.PERSISTENT
    doms = conn.listAllDomains(flags)
    dom = doms[0]
    print(dom.XMLDesc(virtbind.DomainXMLFlags.SECURE)[:7], dom.XMLDesc(0)[:7],
          dom.XMLDesc(virtbind.VIR_DOMAIN_XML_SECURE)[:7])
    impact = virtbind.DomainModificationImpact.LIVE | virtbind.DomainModificationImpact.CONFIG
    print(repr(impact), int(impact), impact.value)
    dom.setMemoryFlags(4096 * 1024, virtbind.DomainMemoryModFlags.CONFIG)
    state = virtbind.DomainState(dom.state()[0])
    if state == virtbind.DomainState.RUNNING and state == virtbind.VIR_DOMAIN_RUNNING:
        print(state.name)
    code: int = virtbind.ErrorNumber.ERR_NO_DOMAIN.value
    print(code)
    # a result the XML ties to an enum type
    try:
        res: virtbind.CPUCompareResult = conn.compareCPU("<cpu><arch>x86_64</arch></cpu>")
        print(res.name)
    except errors.NoSupport:
        pass
    except virtbind.libvirtError as e:
        print(e.get_error_code())
    # exceptions per error code
    try:
        conn.lookupByName("no-such-domain")
    except errors.NoDomain as e:
        print(type(e).__name__, e.code, e.get_error_message())
    try:
        conn.networkLookupByName("default").create()
    except errors.OperationInvalid:
        pass
    except virtbind.libvirtError:
        raise
    try:
        virtbind.requires("99.0")
    except errors.VersionError as e:
        print(e)
    cls: type[errors.Error] = errors.ERROR_CLASSES[42]
    print(cls.__name__)
    conn.close()


if __name__ == "__main__":
    main()
