"""The classified model, checked through virtbind-gen's JSON IR against the
real API XMLs of the installed libvirt (an independent parse with
xml.etree), plus the failure modes of classification (unknown types, stale
or missing annotations).  Needs `make build`."""
import json
import os
import pathlib
import subprocess
import xml.etree.ElementTree as ET

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
GEN = pathlib.Path(os.environ.get("VB_TEST_GEN", ROOT / "build" / "bin" / "virtbind-gen"))
ANNOTATIONS = ROOT / "api-xml" / "annotations.txt"


def xml_paths():
    def var(pkg, name):
        return subprocess.run(["pkg-config", f"--variable={name}", pkg], check=True,
                              capture_output=True, text=True).stdout.strip()
    main = var("libvirt", "libvirt_api")
    return {
        "main": main,
        "qemu": var("libvirt-qemu", "libvirt_qemu_api"),
        "lxc": var("libvirt-lxc", "libvirt_lxc_api"),
        "admin": os.path.join(os.path.dirname(main), "libvirt-admin-api.xml"),
    }


def run_gen(*args, **env):
    e = dict(os.environ)
    e.update(env)
    return subprocess.run([str(GEN), *args], capture_output=True, text=True, env=e)


@pytest.fixture(scope="module")
def ir(tmp_path_factory):
    if not GEN.exists():
        pytest.skip("build/bin/virtbind-gen not built (run make build)")
    out = tmp_path_factory.mktemp("ir") / "model.json"
    res = run_gen("--ir", str(out))
    assert res.returncode == 0, res.stderr
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def fns(ir):
    return {f["name"]: f for f in ir["functions"]}


def args_of(fn):
    return {a["name"]: a for a in fn["args"]}


def test_check_model_is_clean_on_installed_libvirt():
    res = run_gen("--check-model")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "model complete" in res.stdout


def test_ir_lists_every_function_enum_and_macro_of_the_four_xmls(ir):
    want = {"function": set(), "enum": set(), "macro": set()}
    for path in xml_paths().values():
        root = ET.parse(path).getroot()
        for kind in want:
            want[kind] |= {e.get("name") for e in root.iter(kind)}
    assert {f["name"] for f in ir["functions"]} == want["function"]
    assert {e["name"] for e in ir["enums"]} == want["enum"]
    assert {m["name"] for m in ir["macros"]} == want["macro"]
    assert ir["unclassified"] == 0


def test_ir_is_sorted_and_byte_identical_across_runs(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run_gen("--ir", str(a)).returncode == 0
    assert run_gen("--ir", str(b)).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    data = json.loads(a.read_text())
    for key in ("functions", "functypes", "enums", "macros", "structs", "classes"):
        names = [x["name"] for x in data[key]]
        assert names == sorted(names), key


def test_every_function_has_a_kind_and_every_argument_a_role(ir):
    for fn in ir["functions"] + ir["functypes"]:
        for a in fn["args"]:
            assert a["role"] != "unset", (fn["name"], a["name"])
        assert fn["return"]["why"], fn["name"]


def test_get_info_fills_a_caller_struct(fns):
    fn = fns["virDomainGetInfo"]
    assert (fn["kind"], fn["class"], fn["self"]) == ("method", "virDomain", "domain")
    info = args_of(fn)["info"]
    assert (info["role"], info["direction"]) == ("out-struct", "out")
    assert info["ctype"]["base"] == "virDomainInfo"


def test_list_all_domains_returns_a_library_allocated_object_array(fns):
    a = args_of(fns["virConnectListAllDomains"])["domains"]
    assert (a["role"], a["direction"], a["transfer"], a["nullable"]) == ("out-array", "out", "full", True)
    assert a["ctype"] == {"kind": "object", "base": "virDomain", "depth": 3, "const": False}


def test_blkio_getter_uses_caller_allocated_typed_params_with_size_probe(fns):
    fn = fns["virDomainGetBlkioParameters"]
    assert fn["typed_params"] == {"use": "caller-alloc", "params": "params", "count": "nparams",
                                  "group": "DomainBlkio"}
    a = args_of(fn)
    assert a["params"]["direction"] == "out" and a["params"]["pair"] == "nparams"
    assert a["nparams"]["role"] == "length" and a["nparams"]["direction"] == "inout"


def test_job_stats_uses_library_allocated_typed_params(fns):
    fn = fns["virDomainGetJobStats"]
    assert fn["typed_params"]["use"] == "lib-alloc"
    assert fn["typed_params"]["group"] == "DomainJobStats"
    p = args_of(fn)["params"]
    assert (p["direction"], p["transfer"]) == ("out", "full")
    assert args_of(fn)["type"]["role"] == "out-scalar"


def test_set_block_io_tune_takes_input_typed_params(fns):
    fn = fns["virDomainSetBlockIoTune"]
    assert fn["typed_params"]["use"] == "input"
    assert args_of(fn)["params"]["direction"] == "in"
    assert args_of(fn)["nparams"]["role"] == "length"


def test_get_cpu_stats_params_are_an_output_by_annotation(fns):
    p = args_of(fns["virDomainGetCPUStats"])["params"]
    assert p["direction"] == "out" and p["annotated"]
    assert fns["virDomainGetCPUStats"]["typed_params"]["use"] == "caller-alloc"


@pytest.mark.parametrize("name,transfer", [
    ("virConnectGetCapabilities", "full"),   # caller frees
    ("virConnectGetType", "static"),         # static driver name (annotation)
    ("virDomainGetName", "none"),            # borrowed from the domain
    ("virDomainGetXMLDesc", "full"),
    ("virGetLastErrorMessage", "static"),
])
def test_string_return_ownership(fns, name, transfer):
    r = fns[name]["return"]
    assert (r["kind"], r["transfer"]) == ("string", transfer)


def test_event_register_any_has_callback_opaque_and_free_func(fns):
    fn = fns["virConnectDomainEventRegisterAny"]
    assert fn["kind"] == "event-register" and fn["event_family"] == "Domain"
    a = args_of(fn)
    assert a["dom"]["role"] == "object" and a["dom"]["nullable"]
    assert a["cb"]["role"] == "callback"
    assert a["opaque"]["role"] == "opaque"
    assert a["freecb"]["role"] == "free-func" and a["freecb"]["nullable"]


@pytest.mark.parametrize("name,kind,cls,returns", [
    ("virDomainLookupByName", "constructor", "virConnect", "virDomain"),
    ("virConnectOpen", "constructor", None, "virConnect"),
    ("virDomainFree", "free", "virDomain", None),
    ("virConnectClose", "free", "virConnect", None),
    ("virDomainRef", "ref", "virDomain", None),
    ("virDomainGetConnect", "parent-getter", "virDomain", "virConnect"),
    ("virStorageVolLookupByName", "constructor", "virStoragePool", "virStorageVol"),
    ("virEventRegisterDefaultImpl", "module", None, None),
    ("virTypedParamsGetInt", "typed-params-helper", None, None),
    ("virAdmServerLookupClient", "constructor", "virAdmServer", "virAdmClient"),
])
def test_function_kinds(fns, name, kind, cls, returns):
    fn = fns[name]
    assert (fn["kind"], fn["class"], fn["returns_class"]) == (kind, cls, returns)


def test_parent_getter_returns_a_borrowed_reference(fns):
    assert fns["virDomainGetConnect"]["return"]["transfer"] == "none"
    assert fns["virDomainLookupByName"]["return"]["transfer"] == "full"


@pytest.mark.parametrize("fn,arg,role,pair", [
    ("virConnectListDomains", "ids", "out-int-array", "maxids"),
    ("virConnectListDefinedDomains", "names", "out-name-array", "maxnames"),
    ("virDomainCreateWithFiles", "files", "int-array", "nfiles"),
    ("virStreamSend", "data", "bytes", "nbytes"),
    ("virStreamRecv", "data", "out-bytes-buf", "nbytes"),
    ("virDomainMemoryStats", "stats", "out-struct-array", "nr_stats"),
    ("virDomainPinVcpu", "cpumap", "bytes", "maplen"),
    ("virDomainGetVcpus", "cpumaps", "out-bytes-buf", "maplen"),
    ("virDomainFSFreeze", "mountpoints", "string-array", "nmountpoints"),
    ("virDomainLxcEnterNamespace", "fdlist", "int-array", "nfdlist"),
    ("virDomainLxcEnterNamespace", "oldfdlist", "out-array", "noldfdlist"),
    ("virNodeGetCellsFreeMemory", "freeMems", "out-int-array", "maxCells"),
    ("virSecretSetValue", "value", "bytes", "value_size"),
])
def test_pointer_and_length_pairs(fns, fn, arg, role, pair):
    a = args_of(fns[fn])[arg]
    assert (a["role"], a["pair"]) == (role, pair)
    assert args_of(fns[fn])[pair]["role"] == "length"


def test_fixed_size_buffers_name_their_size(fns):
    assert args_of(fns["virDomainGetUUIDString"])["buf"]["size"] == "VIR_UUID_STRING_BUFLEN"
    assert args_of(fns["virDomainGetUUID"])["uuid"]["size"] == "VIR_UUID_BUFLEN"
    assert args_of(fns["virDomainLookupByUUID"])["uuid"]["role"] == "bytes"


def test_secret_value_is_an_owned_byte_buffer_with_out_length(fns):
    r = fns["virSecretGetValue"]["return"]
    assert (r["kind"], r["transfer"], r["length"]) == ("bytes", "full", "value_size")


def test_optional_arguments_are_nullable(fns):
    a = args_of(fns["virDomainMigrate"])
    assert a["dname"]["nullable"] and a["dname"]["optional"]
    assert args_of(fns["virNodeGetCPUMap"])["online"]["nullable"]


def test_typed_param_field_types_from_every_phrasing(ir):
    macros = {m["name"]: m for m in ir["macros"]}
    cases = {
        "VIR_DOMAIN_BLKIO_WEIGHT": "uint",                 # "as a uint"
        "VIR_DOMAIN_BLOCK_COPY_BANDWIDTH": "ullong",       # "with a type of ullong"
        "VIR_DOMAIN_BLOCK_COPY_BUF_SIZE": "ullong",        # "as an unsigned long long"
        "VIR_DOMAIN_BLOCK_COPY_GRANULARITY": "uint",       # "as an unsigned int"
        "VIR_DOMAIN_JOB_SUCCESS": "boolean",               # "as VIR_TYPED_PARAM_BOOLEAN"
        "VIR_NODE_SEV_PDH": "string",                      # misspelled VIR_TYPED_PARAMS_STRING
        "VIR_MIGRATE_PARAM_DISKS_PORT": "int",             # "Type is VIR_TYPED_PARAM_INT"
        "VIR_DOMAIN_JOB_DISK_TOTAL": "ullong",             # "as VIR_DOMAIN_JOB_DATA_TOTAL"
        "VIR_DOMAIN_SCHEDULER_CAP": "uint",
        "VIR_PERF_PARAM_CMT": "boolean",                   # group default (annotation)
        "VIR_CONNECT_IDENTITY_PROCESS_ID": "llong",
    }
    for name, typ in cases.items():
        assert macros[name]["typed_param"]["type"] == typ, name
    vcpupin = macros["VIR_DOMAIN_TUNABLE_CPU_VCPUPIN"]["typed_param"]
    assert vcpupin["format"] and vcpupin["type"] == "string"
    assert macros["VIR_MIGRATE_PARAM_MIGRATE_DISKS"]["typed_param"]["multiple"]


def test_every_string_macro_is_a_typed_field_with_a_type(ir):
    for m in ir["macros"]:
        if m["string"] is not None:
            assert m["typed_param"]["type"] != "unknown", m["name"]


def test_every_typed_param_api_has_a_group_or_is_prose(ir, fns):
    prose = {"virDomainGetGuestInfo", "virDomainGetGuestVcpus", "virConnectGetAllDomainStats",
             "virDomainListGetStats", "virDomainStatsRecordListFree"}
    users = [f for f in ir["functions"] if f.get("typed_params")
             and f["typed_params"]["use"] in ("input", "caller-alloc", "lib-alloc", "stats")]
    assert len(users) >= 40
    for f in users:
        assert f["typed_params"]["group"] or f["name"] in prose, f["name"]


def test_event_ids_map_to_their_callback_types(ir):
    ev = {e["id"]: e for e in ir["events"]}
    families = {}
    for e in ev.values():
        families[e["family"]] = families.get(e["family"], 0) + 1
    assert families == {"Domain": 27, "Network": 1, "StoragePool": 2, "NodeDevice": 2, "Secret": 2}
    assert ev["VIR_DOMAIN_EVENT_ID_LIFECYCLE"]["callback"] == "virConnectDomainEventCallback"
    assert ev["VIR_DOMAIN_EVENT_ID_BLOCK_JOB"]["callback"] == ev["VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2"]["callback"]
    assert ev["VIR_DOMAIN_EVENT_ID_TUNABLE"]["typed_param_group"] == "DomainTunable"
    assert ev["VIR_DOMAIN_EVENT_ID_JOB_COMPLETED"]["typed_param_group"] == "DomainJobStats"
    fams = {f["name"]: f for f in ir["event_families"]}
    assert fams["QemuMonitor"]["register"] == "virConnectDomainQemuMonitorEventRegister"
    assert fams["Domain"]["deregister"] == "virConnectDomainEventDeregisterAny"


def test_classes_and_parents(ir):
    cls = {c["name"]: c for c in ir["classes"]}
    assert len(cls) == 17
    assert cls["virDomain"]["parent"] == "virConnect"
    assert cls["virDomainSnapshot"]["parent"] == "virDomain"
    assert cls["virNetworkPort"]["parent"] == "virNetwork"
    assert cls["virAdmClient"]["parent"] == "virAdmServer"
    assert cls["virConnect"]["free"] == "virConnectClose"
    assert cls["virStream"]["free"] == "virStreamFree"


def test_symbolic_enum_values_are_resolved(ir):
    enums = {e["name"]: e for e in ir["enums"]}
    e = enums["VIR_DOMAIN_BLKIO_PARAM_BOOLEAN"]
    assert e["symbolic"] and e["value"] == 6 and e["raw"] == "VIR_TYPED_PARAM_BOOLEAN"


# ------------------------------------------------ classification failures

def test_unknown_argument_type_is_reported_with_file_and_line(tmp_path):
    lxc = pathlib.Path(xml_paths()["lxc"]).read_text()
    assert "type='virDomainPtr'" in lxc
    bad = tmp_path / "lxc.xml"
    bad.write_text(lxc.replace("type='virDomainPtr'", "type='virMysteryPtr'", 1))
    res = run_gen("--check-model", "--lxc-api-xml", str(bad))
    assert res.returncode == 1
    assert f"{bad}:" in res.stdout and "'virMysteryPtr' is unknown to the classifier" in res.stdout


def test_stale_annotation_is_reported(tmp_path):
    ann = tmp_path / "ann.txt"
    ann.write_text(ANNOTATIONS.read_text() + "arg virNoSuchFunction.x dir=out -- testing staleness\n")
    res = run_gen("--check-model", "--annotations", str(ann))
    assert res.returncode == 1
    lines = len(ann.read_text().splitlines())
    assert f"{ann}:{lines}: stale annotation 'arg virNoSuchFunction.x'" in res.stdout


def check_model_without(tmp_path, prefix):
    """virtbind-gen --check-model with the annotations file minus the entries
    starting with PREFIX."""
    ann = tmp_path / "ann.txt"
    ann.write_text("".join(line for line in ANNOTATIONS.read_text().splitlines(keepends=True)
                           if not line.startswith(prefix)))
    return run_gen("--check-model", "--annotations", str(ann))


def test_field_without_type_needs_an_annotation(tmp_path):
    res = check_model_without(tmp_path, "field VIR_DOMAIN_JOB_ERRMSG ")
    assert res.returncode == 1
    assert "VIR_DOMAIN_JOB_ERRMSG ('errmsg'): the doc text states no type" in res.stdout


def test_missing_group_leaves_macros_unclassified(tmp_path):
    res = check_model_without(tmp_path, "group VIR_NODE_SEV_ ")
    assert res.returncode == 1
    assert "VIR_NODE_SEV_PDH ('pdh') belongs to no typed-parameter group" in res.stdout
    assert "virNodeGetSEVInfo takes typed parameters but no field group lists it" in res.stdout


def test_string_the_function_text_ties_to_null_needs_a_reviewed_decision(tmp_path):
    # virDomainGetMetadata's @uri is NULL-able only by the function's prose
    # ("otherwise must be NULL"): without its annotation the model is incomplete
    res = check_model_without(tmp_path, "arg virDomainGetMetadata.uri ")
    assert res.returncode == 1
    main = xml_paths()["main"]
    line = next(n for n, t in enumerate(pathlib.Path(main).read_text().splitlines(), 1)
                if "<function name='virDomainGetMetadata'" in t)
    assert (f"{main}:{line}: virDomainGetMetadata argument 'uri': the function's text names "
            "it beside NULL or 'optional'") in res.stdout


def test_prose_null_decisions_reach_the_model(fns):
    nullable = {(f, a["name"]): a["nullable"] for f in fns for a in fns[f]["args"]}
    for name in ("emulator", "arch", "machine", "virttype"):
        assert nullable[("virConnectCompareHypervisorCPU", name)] is True
    assert nullable[("virDomainGetMetadata", "uri")] is True
    assert nullable[("virDomainSetMetadata", "metadata")] is True
    assert nullable[("virDomainFSTrim", "mountPoint")] is True
    # "Optional ASCII formatted MAC address": optional, whatever the case
    assert nullable[("virNetworkGetDHCPLeases", "mac")] is True
    # reviewed "no": NULL is valid only in the size probe the binding makes
    assert nullable[("virDomainGetBlockIoTune", "disk")] is False


def test_duplicate_definition_is_an_input_error(tmp_path):
    lxc = pathlib.Path(xml_paths()["lxc"]).read_text()
    bad = tmp_path / "lxc.xml"
    extra = ("<function name='virDomainLxcOpenNamespace' file='x' version='1.0.0'>"
             "<return type='int'/></function></symbols>")
    bad.write_text(lxc.replace("</symbols>", extra, 1))
    res = run_gen("--check-model", "--lxc-api-xml", str(bad))
    assert res.returncode == 2
    assert "duplicate function virDomainLxcOpenNamespace (first defined at" in res.stderr
    assert f"{bad}:" in res.stderr


def test_overriding_the_main_xml_keeps_the_installed_admin_xml(tmp_path):
    copy = tmp_path / "libvirt-api.xml"
    copy.write_text(pathlib.Path(xml_paths()["main"]).read_text())
    res = run_gen("--stats", "--api-xml", str(copy))
    assert res.returncode == 0, res.stderr
    admin = [line for line in res.stdout.splitlines() if line.startswith("admin")]
    assert admin and admin[0].split()[1] == "32"
