"""One named struct type per typed-parameter API (issue #6's done-when): the
typed-parameter APIs of the model (virtbind-gen's IR) are exactly the APIs that
get a virtbind<API>Params type in libvirtbind's generated header, and, without
the admin API, exactly the keys of virtbind.typed.API_PARAMS (with a
<API>Params alias each).  Also the `prose FUNC:NAME type=T` annotations that
type the prose-documented fields."""
import json
import os
import pathlib
import re
import subprocess

import pytest

from typing_common import need_binding

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("BUILD", ROOT / "build"))
if not BUILD.is_absolute():
    BUILD = ROOT / BUILD
GEN = BUILD / "bin" / "virtbind-gen"
HEADER = BUILD / "include" / "virtbind" / "typedparams.h"
ANNOTATIONS = ROOT / "api-xml" / "annotations.txt"


def gen(*args, annotations=None):
    env = dict(os.environ)
    if annotations:
        env["VIRTBIND_ANNOTATIONS"] = str(annotations)
    return subprocess.run([str(GEN), *args], capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def ir(tmp_path_factory):
    if not GEN.exists():
        pytest.skip("virtbind-gen not built (make build)")
    out = tmp_path_factory.mktemp("ir") / "model.json"
    r = gen("--ir", str(out))
    assert r.returncode == 0, r.stderr
    return json.loads(out.read_text())


def typed_param_apis(ir):
    """Every function passing or returning typed parameters (or {field, value}
    records of a field group), and every callback type carrying them; not the
    virTypedParams* helpers, not virDomainStatsRecordListFree (it only frees)."""
    apis = {}
    for f in ir["functions"]:
        tp = f.get("typed_params")
        if not tp or tp["use"] == "helper":
            continue
        roles = {a["name"]: a["role"] for a in f["args"]}
        if tp["use"] == "stats" and roles.get(tp["params"]) == "stats-in":
            continue
        if tp["use"] == "none" and not tp["group"]:
            continue
        apis[f["name"]] = f["source"]
    for f in ir["functypes"]:
        tp = f.get("typed_params")
        if tp and tp["use"] == "callback":
            apis[f["name"]] = f["source"]
    return apis


def header_api_types():
    if not HEADER.exists():
        pytest.skip("libvirtbind not built (make libvirtbind)")
    text = HEADER.read_text()
    names = set(re.findall(r"^typedef virtbind\w+Params (virtbind\w+Params);$", text, re.M))
    names |= set(re.findall(r"^/\* vir\w+: (virtbind\w+Params) itself \*/$", text, re.M))
    napis = int(re.search(r"#define VIRTBIND_TP_NAPIS (\d+)", text).group(1))
    nstructs = int(re.search(r"#define VIRTBIND_TP_NSTRUCTS (\d+)", text).group(1))
    return names, napis, nstructs


def test_every_typed_param_api_has_its_c_struct_type(ir):
    apis = typed_param_apis(ir)
    assert len(apis) >= 40
    names, napis, nstructs = header_api_types()
    want = {"virtbind%sParams" % a[3:] for a in apis}
    assert names == want, (sorted(want - names), sorted(names - want))
    assert napis == len(apis) == len(names)
    assert nstructs <= napis
    for a in ("virDomainGetGuestInfo", "virDomainGetGuestVcpus", "virConnectGetAllDomainStats",
              "virDomainGetBlockIoTune", "virConnectDomainEventTunableCallback"):
        assert a in apis


def test_every_non_admin_typed_param_api_has_its_python_class(ir):
    need_binding()
    import virtbind.typed as typed
    apis = {a for a, src in typed_param_apis(ir).items() if src != "admin"}
    assert set(typed.API_PARAMS) == apis
    for api, cls in typed.API_PARAMS.items():
        alias = "%sParams" % api[3:]
        assert getattr(typed, alias) is cls, api
        assert issubclass(cls, typed.TypedParams)
    assert typed.DomainGetBlockIoTuneParams is typed.DomainBlockIoTuneParams
    assert typed.API_PARAMS["virDomainGetGuestInfo"] is typed.DomainGuestInfoParams
    assert typed.API_PARAMS["virDomainListGetStats"] is typed.DomainStatsParams


def test_prose_annotations_type_the_untyped_prose_fields():
    need_binding()
    import virtbind.typed as typed
    kinds = {a: (key, tp, kind) for a, key, _, tp, kind in typed.DomainGuestInfoParams.fields()}
    # typed by the text ("as an unsigned int", "as a string") ...
    assert kinds["user_count"] == ("user.count", "uint", "scalar")
    assert kinds["os_id"] == ("os.id", "string", "scalar")
    # ... or by a `prose` annotation where the text states no type
    assert kinds["fs_total_bytes"] == ("fs.%u.total-bytes", "ullong", "format")
    assert kinds["disk_partition"] == ("disk.%u.partition", "boolean", "format")
    assert kinds["hostname"] == ("hostname", "string", "scalar")
    # the doc text forgets a quote: "if.<num>.addr.count - ...
    assert kinds["if_addr_count"] == ("if.%u.addr.count", "uint", "format")
    stats = {a: tp for a, _, _, tp, _ in typed.DomainStatsParams.fields()}
    assert stats["vcpu_wait"] == "ullong" and stats["vcpu_halted"] == "boolean"
    vcpus = {a: (key, tp) for a, key, _, tp, _ in typed.DomainGuestVcpusParams.fields()}
    assert vcpus == {"vcpus": ("vcpus", "string"), "online": ("online", "string"),
                     "offlinable": ("offlinable", "string")}


@pytest.mark.parametrize("line", [
    "prose virDomainGetGuestInfo:hostname type=nosuchtype -- bad type",
    "prose virDomainGetMemoryParameters:x type=uint -- not a fields=prose function",
    "prose hostname type=uint -- no FUNC:",
])
def test_bad_prose_annotation_is_reported(tmp_path, line):
    if not GEN.exists():
        pytest.skip("virtbind-gen not built (make build)")
    ann = tmp_path / "annotations.txt"
    ann.write_text(ANNOTATIONS.read_text() + line + "\n")
    r = gen("--check-model", annotations=ann)
    assert r.returncode != 0 and "prose" in (r.stdout + r.stderr), r.stdout + r.stderr
