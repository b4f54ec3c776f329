"""Typed helpers as methods of the binding's objects (dom.get_block_io_tune("vda"),
conn.get_all_domain_stats()): installed by `import virtbind` as stand-ins that
import virtbind.typed on first call, replaced by the helpers themselves once it
is imported; present in the class stubs so mypy checks them.  Real calls on
test:///default."""
import os
import subprocess
import sys
import textwrap

import pytest

from typing_common import PYDIR, need_binding, run_mypy


@pytest.fixture
def conn():
    need_binding()
    import virtbind
    c = virtbind.open("test:///default")
    yield c
    c.close()


def run_clean(code):
    """CODE in a fresh interpreter with the build's package first on sys.path."""
    # the environment is kept (under `make check-asan` it preloads the sanitizer)
    env = dict(os.environ, PYTHONPATH=str(PYDIR))
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                       text=True, env=env, cwd="/")
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_import_virtbind_does_not_import_typed_until_a_typed_method_is_called():
    need_binding()
    out = run_clean("""
        import sys, virtbind
        print("typed" if "virtbind.typed" in sys.modules else "lazy")
        dom = virtbind.open("test:///default").lookupByName("test")
        stand_in = virtbind.virDomain.get_block_io_tune
        t = dom.get_block_io_tune("vda")
        print("typed" if "virtbind.typed" in sys.modules else "lazy")
        import virtbind.typed as typed
        print(type(t).__name__, t.total_iops_sec == 0)
        print(stand_in is not typed.get_block_io_tune,
              virtbind.virDomain.get_block_io_tune is typed.get_block_io_tune)
    """)
    assert out.split("\n")[:4] == ["lazy", "typed", "DomainBlockIoTuneParams True", "True True"]


def test_every_typed_helper_is_a_method_of_its_class(conn):
    import virtbind
    import virtbind.typed as typed
    n = 0
    for cls_name, names in typed._METHODS.items():
        cls = getattr(virtbind, cls_name)
        for name in names:
            assert getattr(cls, name) is getattr(typed, name), (cls_name, name)
            n += 1
    assert n >= 35
    # the binding's own methods win: virDomain.migrate3 stays libvirt-python's
    assert "migrate3" not in typed._METHODS["virDomain"]
    assert virtbind.virDomain.migrate3 is not typed.migrate3
    assert typed.attach() is True    # idempotent


def test_methods_on_test_driver(conn):
    import virtbind.typed as typed
    dom = conn.lookupByName("test")
    t = dom.get_block_io_tune("vda")
    assert isinstance(t, typed.DomainBlockIoTuneParams) and t.to_dict() == dom.blockIoTune("vda")
    t.total_iops_sec, t.total_iops_sec_max = 300, 600
    assert dom.set_block_io_tune("vda", t) == 0
    assert dom.get_block_io_tune("vda").total_iops_sec == 300
    m = dom.get_memory_parameters()
    assert isinstance(m, typed.DomainMemoryParams) and m.hard_limit is not None
    assert dom.get_scheduler_parameters().weight == 50
    assert conn.get_node_cpu_stats(-1).kernel > 0
    recs = conn.get_all_domain_stats()
    assert [type(r) for r in recs] == [typed.DomainStatsRecord] and recs[0].state.state == 1
    recs = conn.domain_list_get_stats([dom])
    assert recs[0].domain.name() == "test" and recs[0].state.state == 1
    with pytest.raises(TypeError, match="DomainBlockIoTuneParams"):
        dom.set_block_io_tune("vda", {"total_iops_sec": 1})


def test_guest_agent_methods_raise_libvirt_errors(conn):
    import virtbind
    dom = conn.lookupByName("test")
    for call in (lambda: dom.get_guest_info(), lambda: dom.get_guest_vcpus()):
        with pytest.raises(virtbind.libvirtError) as ei:
            call()
        assert ei.value.get_error_code() == virtbind.VIR_ERR_NO_SUPPORT


def test_stubs_type_the_methods(tmp_path):
    need_binding()
    ok = tmp_path / "typed_methods_ok.py"
    ok.write_text(textwrap.dedent("""
        from typing import Optional
        import virtbind
        from virtbind import typed

        conn = virtbind.open("test:///default")
        dom = conn.lookupByName("test")
        t: typed.DomainBlockIoTuneParams = dom.get_block_io_tune("vda")
        iops: Optional[int] = t.total_iops_sec
        dom.set_block_io_tune("vda", t, 0)
        recs: list[typed.DomainStatsRecord] = conn.get_all_domain_stats()
        for r in recs:
            if r.block is not None:
                reqs: Optional[int] = r.block[0].rd_reqs
            if r.vcpu is not None:
                tm: Optional[int] = r.vcpu.items[1].time
        info: typed.DomainGuestInfoRecord = dom.get_guest_info()
        if info.fs is not None:
            alias: Optional[str] = info.fs[0].disk[1].alias
        p: typed.DomainGetBlockIoTuneParams = t
    """))
    bad = tmp_path / "typed_methods_bad.py"
    bad.write_text(textwrap.dedent("""
        import virtbind

        dom = virtbind.open("test:///default").lookupByName("test")
        dom.get_block_io_tune(1)
        dom.set_block_io_tune("vda", {"total_iops_sec": 1})
        x: str = dom.get_block_io_tune("vda").total_iops_sec
        dom.get_block_io_tune("vda").no_such_field
        virtbind.open("").get_all_domain_stats()[0].block[0].no_such
    """))
    rc, out = run_mypy([ok], tmp_path / "cache")
    assert rc == 0, out
    rc, out = run_mypy([bad], tmp_path / "cache")
    lines = sorted({int(l.split(":")[1]) for l in out.splitlines()
                    if l.startswith(str(bad)) and ": error:" in l})
    assert lines == [5, 6, 7, 8, 9], out


def test_typed_methods_through_virtbind_aio(conn):
    """virtbind.aio reaches the typed methods through its dynamic lookup: a
    coroutine like every blocking method."""
    import asyncio
    import virtbind.aio as aio
    import virtbind.typed as typed

    async def main():
        aconn = aio.wrap(conn)
        recs = await aconn.get_all_domain_stats()
        adom = await aconn.lookupByName("test")
        tune = await adom.get_block_io_tune("vda")
        return recs, tune

    recs, tune = asyncio.run(main())
    assert isinstance(recs[0], typed.DomainStatsRecord) and recs[0].state.state == 1
    assert isinstance(tune, typed.DomainBlockIoTuneParams)
