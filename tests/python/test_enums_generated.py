"""virtbind's enum classes (generated virtbind/enums.py, virtbind_admin_enums.py
by generator/gen_python_enums.c): one IntEnum / IntFlag per enum type of the
four API XMLs, members equal to the plain constants, _LAST sentinels left out,
flag sets decided from the values, usable wherever libvirt takes an int.
Run: /usr/bin/python3 -m pytest tests/python/test_enums_generated.py
"""
import enum
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from typing_common import BUILD, PKG, PYDIR, ROOT, need_binding

XMLS = {"main": "libvirt-api.xml", "qemu": "libvirt-qemu-api.xml",
        "lxc": "libvirt-lxc-api.xml", "admin": "libvirt-admin-api.xml"}


def xml_enum_types():
    """{C type: (xml, {constant: value})} from the installed XMLs (symbolic values resolved)."""
    types, values = {}, {}
    for src, name in XMLS.items():
        root = ET.parse(os.path.join("/usr/share/libvirt/api", name)).getroot()
        for e in root.iter("enum"):
            types.setdefault(e.get("type"), (src, {}))[1][e.get("name")] = e.get("value")
            values[e.get("name")] = e.get("value")

    def resolve(v):
        while v in values:
            v = values[v]
        return int(v, 0)
    return {t: (src, {n: resolve(v) for n, v in ms.items()}) for t, (src, ms) in types.items()}


@pytest.fixture(scope="module")
def vb():
    need_binding()
    import virtbind
    return virtbind


def admin_enums():
    sys.path.insert(0, str(PYDIR))
    import virtbind_admin_enums
    return virtbind_admin_enums


def test_every_enum_type_has_a_class(vb):
    types = xml_enum_types()
    assert len(types) >= 170
    admin = admin_enums()
    for ctype, (src, members) in types.items():
        mod = admin if src == "admin" else vb.enums
        pyname = mod.__virtbind_enum_types__.get(ctype)
        assert pyname == ctype[3:], ctype
        cls = getattr(mod, pyname)
        assert issubclass(cls, (enum.IntEnum, enum.IntFlag)), ctype
        if src != "admin":
            assert getattr(vb, pyname) is cls      # re-exported by virtbind
            assert pyname in vb.__all__
    assert set(vb.enums.__virtbind_enum_types__) | set(admin.__virtbind_enum_types__) == set(types)


def test_members_equal_the_plain_constants_and_last_sentinels_are_left_out(vb):
    from virtbind._apiversions import MEMBERS
    types = xml_enum_types()
    seen = 0
    for member, cname in MEMBERS.items():
        cls_name, attr = member.split(".")
        mod = vb.enums if hasattr(vb.enums, cls_name) else admin_enums()
        value = getattr(getattr(mod, cls_name), attr)
        if mod is vb.enums:
            assert value == getattr(vb, cname), member
        seen += 1
    assert seen > 900
    for ctype, (src, members) in types.items():
        cls = getattr(admin_enums() if src == "admin" else vb.enums, ctype[3:])
        present = {c for m, c in MEMBERS.items() if m.split(".")[0] == ctype[3:]}
        for cname, value in members.items():
            last = cname.endswith("_LAST") and value == max(members.values())
            assert (cname in present) != last, cname
            if not last:
                assert cls(value) == value
    assert vb.DomainState.RUNNING == vb.VIR_DOMAIN_RUNNING == 1
    assert not hasattr(vb.DomainState, "LAST")
    assert "VIR_DOMAIN_LAST" not in MEMBERS.values()
    # ADD_LAST is a real command, not the sentinel
    assert vb.NetworkUpdateCommand.ADD_LAST == vb.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST


def test_flag_sets_are_intflag_enumerations_intenum(vb):
    flags = ["DomainModificationImpact", "DomainXMLFlags", "ConnectListAllDomainsFlags",
             "EventHandleType", "StreamEventType", "DomainStatsTypes", "DomainMessageType",
             "DomainRebootFlagValues", "NodeAllocPagesFlags", "TypedParameterFlags"]
    enums = ["DomainState", "ErrorNumber", "ErrorDomain", "DomainEventID", "KeycodeSet",
             "NodeGetCPUStatsAllCPUs", "CPUCompareResult", "DomainMetadataType",
             "NetworkUpdateCommand", "DomainQemuAgentCommandTimeoutValues"]
    for n in flags:
        assert issubclass(getattr(vb, n), enum.IntFlag), n
    for n in enums:
        assert issubclass(getattr(vb, n), enum.IntEnum), n
    kinds = [issubclass(getattr(vb, n), enum.IntFlag) for n in vb.enums.__all__]
    assert 80 <= sum(kinds) <= 100       # 91 flag sets in libvirt 9.0.0's XMLs


def test_member_names_strip_the_common_prefix(vb):
    assert vb.DomainState.SHUTOFF.name == "SHUTOFF"
    assert vb.ErrorDomain.QEMU == vb.VIR_FROM_QEMU
    assert vb.DomainEventID.LIFECYCLE == vb.VIR_DOMAIN_EVENT_ID_LIFECYCLE
    assert vb.DomainCreateFlags.NONE == 0 and vb.DomainCreateFlags.START_PAUSED == 1
    # a single member keeps the words its type name does not have
    assert vb.TypedParameterFlags.STRING_OKAY == vb.VIR_TYPED_PARAM_STRING_OKAY
    assert vb.StreamRecvFlagsValues.STOP_AT_HOLE == vb.VIR_STREAM_RECV_STOP_AT_HOLE
    for n in vb.enums.__all__:
        for m in getattr(vb, n).__members__:
            assert m.isidentifier() and not m[0].isdigit(), (n, m)


def test_repr_of_a_flag_combination_names_its_members(vb):
    both = vb.DomainModificationImpact.LIVE | vb.DomainModificationImpact.CONFIG
    assert both == 3
    assert repr(both) == "<DomainModificationImpact.LIVE|CONFIG: 3>"
    f = vb.ConnectListAllDomainsFlags(vb.VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                                      vb.VIR_CONNECT_LIST_DOMAINS_PERSISTENT)
    assert repr(f) == "<ConnectListAllDomainsFlags.ACTIVE|PERSISTENT: 5>"
    assert repr(vb.DomainState(5)) == "<DomainState.SHUTOFF: 5>"
    assert str(vb.DomainState.RUNNING) == "1"     # still prints as the int (Python 3.11)


def test_members_work_where_libvirt_takes_ints(vb):
    conn = vb.open("test:///default")
    try:
        doms = conn.listAllDomains(vb.ConnectListAllDomainsFlags.ACTIVE |
                                   vb.ConnectListAllDomainsFlags.PERSISTENT)
        assert [d.name() for d in doms] == ["test"]
        dom = doms[0]
        xml = dom.XMLDesc(vb.DomainXMLFlags.SECURE | vb.DomainXMLFlags.INACTIVE)
        assert xml.startswith("<domain")
        state, reason = dom.state()
        assert vb.DomainState(state) is vb.DomainState.RUNNING
        assert vb.DomainRunningReason(reason) == reason
        assert dom.setMemoryFlags(4096 * 1024, vb.DomainMemoryModFlags.CONFIG) == 0
        # plain ints keep working, and members mix with them
        assert dom.XMLDesc(0) == dom.XMLDesc(vb.DomainXMLFlags(0))
        assert vb.DomainXMLFlags.SECURE | vb.VIR_DOMAIN_XML_INACTIVE == 3
    finally:
        conn.close()


def test_results_tied_to_an_enum_type_come_back_as_members(vb):
    assert vb.enums.__virtbind_enum_returns__["virConnectCompareCPU"] == (
        "virConnect", "compareCPU", "CPUCompareResult")
    conn = vb.open("test:///default")
    try:
        try:
            r = conn.compareCPU("<cpu><arch>x86_64</arch><model>qemu64</model></cpu>", 0)
        except vb.libvirtError as e:
            assert e.get_error_code() == vb.VIR_ERR_NO_SUPPORT
        else:
            assert isinstance(r, vb.CPUCompareResult)
        # the wrapper keeps the method's name and signature line
        assert vb.virConnect.compareCPU.__name__ == "compareCPU"
        assert vb.virConnect.compareCPU.__doc__.startswith("compareCPU(xmlDesc, flags=0)")
    finally:
        conn.close()


def test_admin_enums_import_without_the_main_library():
    env = dict(os.environ, PYTHONPATH=str(PYDIR))
    r = subprocess.run([sys.executable, "-c",
                        "import sys, virtbind_admin_enums as e\n"
                        "assert 'virtbind' not in sys.modules and 'virtbind._virtbind' not in sys.modules\n"
                        "assert e.ClientTransport.TLS == 2 and e.__all__ == ['ClientTransport']\n"
                        "assert e.__virtbind_enum_types__ == {'virClientTransport': 'ClientTransport'}\n"],
                       capture_output=True, text=True, env=env, cwd="/")
    if r.returncode and "No module named 'virtbind_admin_enums'" in r.stderr:
        pytest.skip("make python first")
    assert r.returncode == 0, r.stderr


def test_generated_files_are_deterministic_and_headed(tmp_path):
    need_binding()
    gen = BUILD / "bin" / "virtbind-gen"
    subprocess.run([str(gen), "--python-stubs-out", str(tmp_path)], check=True,
                   capture_output=True, cwd=str(ROOT))
    for rel in ("virtbind/enums.py", "virtbind/enums.pyi", "virtbind/errors.py",
                "virtbind/errors.pyi", "virtbind/_apiversions.py", "virtbind_admin_enums.py",
                "virtbind_admin_enums.pyi"):
        text = (tmp_path / rel).read_text()
        assert "GENERATED by virtbind-gen --python-stubs-out" in text.split("\n")[0], rel
        assert text == (PYDIR / rel).read_text(), "%s differs from the build's" % rel
    assert (PKG / "enums.py").exists()


def test_typed_example_runs():
    """tests/mypy/enums_errors_features.py (checked by mypy --strict in
    test_typing_mypy.py) runs against test:///default."""
    need_binding()
    env = dict(os.environ, PYTHONPATH=str(PYDIR))
    r = subprocess.run([sys.executable, str(ROOT / "tests" / "mypy" / "enums_errors_features.py")],
                       capture_output=True, text=True, env=env, cwd=str(ROOT))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "<DomainModificationImpact.LIVE|CONFIG: 3>" in r.stdout
    assert "NoDomain 42" in r.stdout and "libvirt >= 99.0.0 is required" in r.stdout
