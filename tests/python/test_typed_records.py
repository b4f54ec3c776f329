"""Record views of virtbind.typed (bindings/python/virtbind/_typed_views.py over
tables generated from the APIs' doc text): domain stats records
(rec.block[0].rd_reqs, rec.vcpu[1].time, rec.balloon.current) and guest info
(info.fs[0].disk[1].alias, info.if_[0].addr[1].prefix), built lazily; unknown
keys, wrong types and non-canonical indexes kept in `extra`.  The test driver
has no guest agent, so guest info is checked on dicts shaped like the QEMU
driver's."""
import pytest

from typing_common import need_binding


@pytest.fixture(scope="module")
def typed():
    need_binding()
    import virtbind.typed
    return virtbind.typed


STATS = {
    "state.state": 1, "state.reason": 1, "cpu.time": 10, "cpu.user": 5,
    "balloon.current": 1048576, "balloon.maximum": 2097152, "balloon.last-update": 7,
    "vcpu.current": 2, "vcpu.maximum": 4, "vcpu.0.state": 1, "vcpu.0.time": 100,
    "vcpu.1.state": 1, "vcpu.1.time": 200, "vcpu.1.wait": 3, "vcpu.1.halted": True,
    "net.count": 1, "net.0.name": "vnet0", "net.0.rx.bytes": 7, "net.0.tx.pkts": 8,
    "block.count": 2, "block.0.name": "vda", "block.0.rd.reqs": 5, "block.0.rd.bytes": 4096,
    "block.1.name": "vdb", "block.1.rd.reqs": 6, "block.1.backingIndex": 1,
    "block.1.threshold": 99,
    "dirtyrate.calc_status": 2, "dirtyrate.vcpu.1.megabytes_per_second": 3,
    "perf.cmt": 1,
    "cpu.cache.monitor.count": 1, "cpu.cache.monitor.0.bank.0.id": 0,   # annotated / two indexes
    "cpu.cache.monitor.0.bank.0.bytes": 4096, "cpu.cache.monitor.0.name": "m0",
    "memory.bandwidth.monitor.1.node.0.bytes.local": 10, "dirtyrate.calc_mode": "dirty-ring",
    "vm.some.hypervisor.counter": 5,                                    # hypervisor-defined
    "block.01.rd.reqs": 9,                                              # not a canonical index
    "net.0.rx.bytes.future": 1,                                         # unknown field
}

GUEST = {
    "user.count": 1, "user.0.name": "root", "user.0.login-time": 1700000000000,
    "os.id": "debian", "os.pretty-name": "Debian GNU/Linux 12", "os.kernel-release": "6.1",
    "timezone.name": "UTC", "timezone.offset": 0,
    "hostname": "guest1",
    "fs.count": 2, "fs.0.mountpoint": "/", "fs.0.name": "vda1", "fs.0.fstype": "ext4",
    "fs.0.total-bytes": 10 << 30, "fs.0.used-bytes": 3 << 30, "fs.0.disk.count": 1,
    "fs.0.disk.0.alias": "vda", "fs.0.disk.0.serial": "S1", "fs.0.disk.0.device": "/dev/vda1",
    "fs.1.mountpoint": "/boot", "fs.1.disk.count": 2, "fs.1.disk.1.alias": "vdb",
    "disk.count": 1, "disk.0.name": "/dev/vda", "disk.0.partition": False,
    "disk.0.dependency.count": 1, "disk.0.dependency.0.name": "/dev/sda",
    "disk.0.alias": "vda", "disk.0.guest_alias": "root",
    "if.count": 1, "if.0.name": "eth0", "if.0.hwaddr": "52:54:00:00:00:01",
    "if.0.addr.count": 2, "if.0.addr.0.type": "ipv4", "if.0.addr.0.addr": "10.0.0.2",
    "if.0.addr.0.prefix": 24, "if.0.addr.1.type": "ipv6", "if.0.addr.1.addr": "fe80::1",
    "if.0.addr.1.prefix": 64,
}


def test_stats_record_groups_and_items(typed):
    rec = typed.DomainStatsRecord("dom", STATS)
    assert rec.domain == "dom"
    assert (rec.state.state, rec.state.reason) == (1, 1)
    assert rec.cpu.time == 10 and rec.cpu.system is None
    assert rec.balloon.current == 1048576 and rec.balloon.last_update == 7
    assert (rec.vcpu.current, rec.vcpu.maximum, len(rec.vcpu)) == (2, 4, 2)
    assert [v.time for v in rec.vcpu] == [100, 200]
    assert rec.vcpu[1].wait == 3 and rec.vcpu[1].halted is True and rec.vcpu[0].wait is None
    assert rec.net.count == 1 and rec.net[0].name == "vnet0" and rec.net[0].rx_bytes == 7
    assert [(b.name, b.rd_reqs) for b in rec.block] == [("vda", 5), ("vdb", 6)]
    assert rec.block[1].backingindex == 1 and rec.block[1].threshold == 99
    assert rec.dirtyrate.calc_status == 2 and rec.dirtyrate.vcpu[1].megabytes_per_second == 3
    assert rec.perf.cmt == 1
    assert rec.iothread is None
    # annotated prose types, two indexes (cpu.cache.monitor.<num>.bank.<index>.id)
    assert rec.cpu.cache_monitor_count == 1 and rec.cpu.cache_monitor[0].name == "m0"
    assert (rec.cpu.cache_monitor[0].bank[0].id, rec.cpu.cache_monitor[0].bank[0].bytes) == (0, 4096)
    assert rec.memory.bandwidth_monitor[1].node[0].bytes_local == 10
    assert rec.dirtyrate.calc_mode == "dirty-ring"
    assert rec.extra == {
        "vm.some.hypervisor.counter": 5, "block.01.rd.reqs": 9, "net.0.rx.bytes.future": 1,
    }
    assert rec.to_dict() == STATS
    assert rec.groups() == ["balloon", "block", "cpu", "dirtyrate", "memory", "net", "perf",
                            "state", "vcpu"]
    assert "vcpu=DomainStatsVcpu(" in repr(rec) and repr(rec).startswith("DomainStatsRecord(domain='dom'")


def test_stats_record_is_lazy(typed):
    rec = typed.DomainStatsRecord(None, STATS)
    slots = type(rec).__slots__
    built = [a for a in slots if a != "domain" and _is_set(rec, a)]
    assert built == []
    assert rec.block[0].rd_reqs == 5
    built = [a for a in slots if a != "domain" and _is_set(rec, a)]
    assert built == ["block"]
    assert rec.block is rec.block       # built once


def _is_set(obj, attr):
    try:
        object.__getattribute__(obj, attr)
        return True
    except AttributeError:
        return False


def test_stats_wrong_types_go_to_extra(typed):
    rec = typed.DomainStatsRecord(None, {"state.state": "running", "cpu.time": 1.5,
                                         "block.0.name": 3, "block.0.rd.reqs": 1})
    assert rec.state.state is None and rec.cpu.time is None and rec.block[0].name is None
    assert rec.block[0].rd_reqs == 1
    assert rec.extra == {"state.state": "running", "cpu.time": 1.5, "block.0.name": 3}


def test_stats_flat_params_still_there(typed):
    rec = typed.DomainStatsRecord(None, STATS)
    assert isinstance(rec.stats, typed.DomainStatsParams) and rec.stats is rec.params
    assert rec.stats.block_rd_reqs == {0: 5, 1: 6} and rec.stats.vcpu_wait == {1: 3}
    assert rec.stats.to_dict() == STATS
    empty = typed.DomainStatsRecord(None, {})
    assert empty.state is None and empty.block is None and empty.extra == {} and empty.groups() == []


def test_stats_live_match_dict_form(typed):
    import virtbind
    conn = virtbind.open("test:///default")
    try:
        for stats in (0, virtbind.VIR_DOMAIN_STATS_STATE):
            raw = conn.getAllDomainStats(stats)
            recs = typed.get_all_domain_stats(conn, stats)
            assert len(recs) == len(raw) >= 1
            for rec, (d, st) in zip(recs, raw):
                assert rec.domain.name() == d.name() and rec.to_dict() == st and rec.extra == {}
                assert rec.state.state == st["state.state"]
                if rec.iothread is not None:   # other tests of this process add IOThreads
                    assert rec.iothread.count == st["iothread.count"]
                    for i, it in rec.iothread.items.items():
                        assert it.poll_max_ns == st["iothread.%d.poll-max-ns" % i]
    finally:
        conn.close()


def test_guest_info_record(typed):
    info = typed.DomainGuestInfoRecord(GUEST)
    assert info.hostname == "guest1"
    assert info.user.count == 1 and info.user[0].name == "root"
    assert info.user[0].login_time == 1700000000000 and info.user[0].domain is None
    assert info.os.id == "debian" and info.os.pretty_name == "Debian GNU/Linux 12"
    assert info.timezone.name == "UTC" and info.timezone.offset == 0
    assert info.fs.count == 2 and len(info.fs) == 2
    fs0 = info.fs[0]
    assert (fs0.mountpoint, fs0.name, fs0.fstype, fs0.total_bytes, fs0.used_bytes) == \
        ("/", "vda1", "ext4", 10 << 30, 3 << 30)
    assert fs0.disk_count == 1 and fs0.disk[0].alias == "vda" and fs0.disk[0].device == "/dev/vda1"
    assert info.fs[1].disk_count == 2 and list(info.fs[1].disk) == [1]
    assert info.fs[1].disk[1].alias == "vdb"
    d0 = info.disk[0]
    assert d0.partition is False and d0.dependency_count == 1 and d0.dependency[0].name == "/dev/sda"
    assert d0.guest_alias == "root"
    if0 = info.if_[0]
    assert (if0.name, if0.hwaddr, if0.addr_count) == ("eth0", "52:54:00:00:00:01", 2)
    assert [(a.type, a.addr, a.prefix) for a in if0.addr.values()] == \
        [("ipv4", "10.0.0.2", 24), ("ipv6", "fe80::1", 64)]
    assert info.extra == {}
    assert info.to_dict() == GUEST
    flat = info.params
    assert isinstance(flat, typed.DomainGuestInfoParams)
    assert flat.fs_total_bytes == {0: 10 << 30} and flat.hostname == "guest1"
    # two-index fields have no flat attribute: the flat class keeps them in extra
    assert flat.extra["fs.0.disk.0.alias"] == "vda"
    assert typed.DomainGuestInfoParams.from_dict(flat.to_dict(), strict=False) == flat
    assert typed.DomainGuestInfoRecord(flat).to_dict() == flat.to_dict()


def test_guest_vcpus_class(typed):
    v = typed.DomainGuestVcpusParams.from_dict({"vcpus": "0-3", "online": "0-1", "offlinable": "1-3"})
    assert (v.vcpus, v.online, v.offlinable) == ("0-3", "0-1", "1-3")
    with pytest.raises(TypeError, match="DomainGuestVcpusParams.vcpus"):
        v.vcpus = 3


def test_guest_info_methods_unwrap_fake_dict(typed):
    class FakeDomain:
        def guestInfo(self, types=0, flags=0):
            return dict(GUEST)

        def guestVcpus(self, flags=0):
            return {"vcpus": "0-1", "online": "0-1", "offlinable": "1"}

    info = typed.get_guest_info(FakeDomain())
    assert isinstance(info, typed.DomainGuestInfoRecord) and info.fs[0].disk[0].serial == "S1"
    assert typed.get_guest_vcpus(FakeDomain()).offlinable == "1"


def test_from_libvirt_fast_path_equals_from_dict(typed):
    """_from_libvirt (the helpers' one-pass constructor) gives what
    from_dict(strict=False) gives, for every class, right and wrong types,
    out-of-range ints, indexed and repeatable fields, unknown names."""
    values = [0, -1, 1 << 33, 1 << 70, 1.5, True, "s", ["a", "b"]]
    n = 0
    for name in typed.__all__:
        cls = getattr(typed, name)
        if not (isinstance(cls, type) and issubclass(cls, typed.TypedParams)) or cls is typed.TypedParams:
            continue
        for shift in range(len(values)):
            d = {}
            for i, (attr, key, _, _, kind) in enumerate(cls.fields()):
                v = values[(i + shift) % len(values)]
                d[key.replace("%u", str(i % 3)) if kind == "format" else key] = v
            d["no.such.field"] = 1
            fast, slow = cls._from_libvirt(d), cls.from_dict(d, strict=False)
            assert fast == slow and fast.extra == slow.extra, (name, shift)
            assert list(fast.extra) == list(slow.extra) and fast.to_dict() == slow.to_dict()
            for attr, *_ in cls.fields():
                assert getattr(fast, attr) == getattr(slow, attr), (name, attr)
            n += 1
    assert n >= 8 * 25
    m = typed.DomainMemoryParams._from_libvirt({})
    assert m.hard_limit is None and m.extra == {} and m == typed.DomainMemoryParams()
    with pytest.raises(AttributeError):
        m.no_such_attribute
