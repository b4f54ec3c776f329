"""Memory, scheduler, block I/O tuning: the dict form and the typed classes."""
from virtbind import libvirtError, open as vb_open, virDomain, VIR_DOMAIN_AFFECT_LIVE
from virtbind.typed import (
    DomainBlockIoTuneParams,
    DomainMemoryParams,
    DomainTunableParams,
    get_all_domain_stats,
    get_block_io_tune,
    get_memory_parameters,
    get_scheduler_parameters,
    set_block_io_tune,
    set_memory_parameters,
)


def dict_form(dom: virDomain) -> None:
    params = dom.memoryParameters()
    hard = params["hard_limit"]
    print("hard_limit", hard)
    params["hard_limit"] = 2 * 1024 * 1024
    dom.setMemoryParameters(params, VIR_DOMAIN_AFFECT_LIVE)
    dom.setBlkioParameters({"weight": 500})


def typed_form(dom: virDomain) -> None:
    mem = get_memory_parameters(dom)
    if mem.hard_limit is not None:
        print("hard limit KiB:", mem.hard_limit + 0)
    mem.soft_limit = 1024 * 1024
    set_memory_parameters(dom, mem)
    set_memory_parameters(dom, DomainMemoryParams(hard_limit=4 << 20), VIR_DOMAIN_AFFECT_LIVE)

    tune: DomainBlockIoTuneParams = get_block_io_tune(dom, "vda")
    tune.total_iops_sec = 1000
    tune.total_iops_sec_max = 2000
    tune.group_name = "fast"
    set_block_io_tune(dom, "vda", tune)

    weight = get_scheduler_parameters(dom).weight
    print("weight", weight)

    pins = DomainTunableParams(cpu_vcpupin={0: "0-1", 1: "2"})
    for key, value in pins.to_dict().items():
        print(key, value)
    back = DomainTunableParams.from_dict({"cputune.vcpupin2": "3"})
    assert back.cpu_vcpupin == {2: "3"}


def stats(uri: str) -> None:
    conn = vb_open(uri)
    for rec in get_all_domain_stats(conn):
        st = rec.stats
        print(rec.domain.name(), st.state_state, st.cpu_time, st.balloon_current)
        for idx, reqs in sorted((st.block_rd_reqs or {}).items()):
            print("block", idx, reqs)
        # the same, grouped by stats group
        if rec.state is not None:
            print("state", rec.state.state, rec.state.reason)
        if rec.block is not None:
            for i in range(len(rec.block)):
                blk = rec.block[i]
                print(blk.name, blk.rd_reqs, blk.wr_bytes)
        if rec.vcpu is not None:
            print(rec.vcpu.current, [v.time for v in rec.vcpu.items.values()])
        if rec.dirtyrate is not None:
            print({n: v.megabytes_per_second for n, v in rec.dirtyrate.vcpu.items()})
    for dom, raw in conn.getAllDomainStats():
        print(dom.name(), raw.get("state.state"))


def main() -> None:
    conn = vb_open("test:///default")
    dom = conn.lookupByName("test")
    try:
        dict_form(dom)
        typed_form(dom)
    except libvirtError as e:
        print("failed:", e.get_error_code(), e.get_error_message())
    stats("test:///default")


if __name__ == "__main__":
    main()
