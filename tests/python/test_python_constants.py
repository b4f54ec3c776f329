"""virtbind's constants: enum constants (the _LAST sentinels left out as in
libvirt-python, listed in __virtbind_skipped_constants__), object-like macros
with an integer value (evaluated by the generator), string macros, and the
function-like macros written in Python (virtbind/_macros.py)."""
import glob
import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, os.environ.get("BUILD", "build"))
PYDIR = os.path.join(BUILD, "python")
IR = os.path.join(BUILD, "ir", "virtbind-model.json")

if not glob.glob(os.path.join(PYDIR, "virtbind", "_virtbind*.so")):
    pytest.skip("build/python/virtbind/_virtbind*.so is missing: run `make python` first",
                allow_module_level=True)
if PYDIR not in sys.path:
    sys.path.insert(0, PYDIR)
import virtbind  # noqa: E402

try:
    import libvirt as reflibvirt
    if "dist-packages" not in reflibvirt.__file__:
        reflibvirt = None
except ImportError:
    reflibvirt = None
needs_ref = pytest.mark.skipif(reflibvirt is None, reason="python3-libvirt is not installed")


@pytest.fixture(scope="module")
def model():
    if not os.path.exists(IR):
        pytest.skip("build/ir/virtbind-model.json is missing: run `make build`")
    with open(IR) as f:
        return json.load(f)


SKIPPED = virtbind.__virtbind_skipped_constants__
CAST = "C cast/struct alias: no Python meaning"


def test_numeric_macros():
    assert virtbind.VIR_UUID_BUFLEN == 16
    assert virtbind.VIR_UUID_STRING_BUFLEN == 37
    assert virtbind.VIR_SECURITY_LABEL_BUFLEN == 4097
    assert virtbind.VIR_SECURITY_MODEL_BUFLEN == 257
    assert virtbind.VIR_SECURITY_DOI_BUFLEN == 257
    assert virtbind.VIR_DOMAIN_MEMORY_PARAM_UNLIMITED == (2**63 - 1) >> 10
    assert virtbind.VIR_TYPED_PARAM_FIELD_LENGTH == 80
    assert virtbind.VIR_DOMAIN_BLKIO_FIELD_LENGTH == 80          # a macro naming a macro
    assert virtbind.VIR_KEYCODE_SET_RFB == virtbind.VIR_KEYCODE_SET_QNUM   # naming an enum
    assert virtbind.VIR_DOMAIN_SEND_KEY_MAX_KEYS == 16
    major, minor, micro = (int(x) for x in "9.0.0".split("."))
    assert virtbind.LIBVIR_VERSION_NUMBER >= 9000000
    for n in ("VIR_UUID_BUFLEN", "LIBVIR_VERSION_NUMBER", "VIR_DOMAIN_MEMORY_PARAM_UNLIMITED"):
        assert type(getattr(virtbind, n)) is int


def test_cast_and_alias_macros_listed():
    for n in ("VIR_DOMAIN_EVENT_CALLBACK", "VIR_NETWORK_EVENT_CALLBACK",
              "VIR_STORAGE_POOL_EVENT_CALLBACK", "VIR_NODE_DEVICE_EVENT_CALLBACK",
              "VIR_SECRET_EVENT_CALLBACK", "_virBlkioParameter", "_virMemoryParameter",
              "_virSchedParameter"):
        assert SKIPPED[n] == CAST
        assert not hasattr(virtbind, n)


def test_last_sentinels_listed(model):
    last = {e["name"] for e in model["enums"] if e["last"]}
    listed = {n for n in SKIPPED if n.endswith("_LAST")}
    # VIR_DOMAIN_MEMORY_STAT_LAST equals VIR_DOMAIN_MEMORY_STAT_NR: kept, as libvirt-python
    assert listed == last - {"VIR_DOMAIN_MEMORY_STAT_LAST"}
    assert virtbind.VIR_DOMAIN_MEMORY_STAT_LAST == virtbind.VIR_DOMAIN_MEMORY_STAT_NR
    for n in listed:
        assert not hasattr(virtbind, n)
        assert "sentinel" in SKIPPED[n]


def test_every_constant_bound_or_listed(model):
    """Every enum constant and macro of the model is an attribute or listed;
    never both."""
    for e in model["enums"]:
        n = e["name"]
        assert hasattr(virtbind, n) != (n in SKIPPED), n
        if hasattr(virtbind, n):
            assert getattr(virtbind, n) == e["value"], n
    for mc in model["macros"]:
        n = mc["name"]
        assert hasattr(virtbind, n) != (n in SKIPPED), n
        if mc.get("string") is not None:
            assert getattr(virtbind, n) == mc["string"]
        elif mc.get("params"):
            assert n in SKIPPED or callable(getattr(virtbind, n)), n


@needs_ref
def test_extra_constants_do_not_change_libvirt_pythons():
    ours = {k for k in dir(virtbind) if k.startswith("VIR_")}
    theirs = {k for k in dir(reflibvirt) if k.startswith("VIR_")}
    for k in ours & theirs:
        assert getattr(virtbind, k) == getattr(reflibvirt, k), k
    assert not {k for k in theirs - ours if isinstance(getattr(reflibvirt, k), int)}


# ------------------------------------------------------- function-like macros

def test_cpumap_macros_on_bytearray():
    assert virtbind.VIR_CPU_MAPLEN(0) == 0
    assert virtbind.VIR_CPU_MAPLEN(1) == 1
    assert virtbind.VIR_CPU_MAPLEN(8) == 1
    assert virtbind.VIR_CPU_MAPLEN(9) == 2
    m = bytearray(2)
    assert virtbind.VIR_USE_CPU(m, 0) == 1
    virtbind.VIR_USE_CPU(m, 9)
    assert m == bytearray([1, 2])
    assert virtbind.VIR_CPU_USED(m, 9) == 2 and virtbind.VIR_CPU_USED(m, 8) == 0
    assert virtbind.VIR_CPU_USED(bytes(m), 0)
    assert virtbind.VIR_UNUSE_CPU(m, 0) == 0
    assert m == bytearray([0, 2])
    with pytest.raises(TypeError):
        virtbind.VIR_USE_CPU(b"\0", 0)      # bytes are read-only, like const maps


def test_cpumaps_macros():
    maplen = 2
    maps = bytearray([0b1, 0, 0b10, 0b1, 0, 0])      # 3 vCPUs
    assert bytes(virtbind.VIR_GET_CPUMAP(maps, maplen, 1)) == bytes([2, 1])
    assert virtbind.VIR_CPU_USABLE(maps, maplen, 1, 1)
    assert virtbind.VIR_CPU_USABLE(maps, maplen, 1, 8)
    assert not virtbind.VIR_CPU_USABLE(maps, maplen, 2, 0)
    # VIR_GET_CPUMAP is a pointer into the maps: changing it changes maps
    virtbind.VIR_USE_CPU(virtbind.VIR_GET_CPUMAP(maps, maplen, 2), 15)
    assert maps[5] == 0x80
    out = bytearray(maplen)
    virtbind.VIR_COPY_CPUMAP(maps, maplen, 0, out)
    assert out == bytearray([1, 0])
    assert virtbind.VIR_CPU_USABLE(bytes(maps), maplen, 0, 0)


def test_nodeinfo_and_version_macros():
    info = virtbind.open("test:///default").getInfo()
    assert virtbind.VIR_NODEINFO_MAXCPUS(info) == info[4] * info[5] * info[6] * info[7]
    v = virtbind.LIBVIR_VERSION_NUMBER
    assert virtbind.LIBVIR_CHECK_VERSION(v // 1000000, v // 1000 % 1000, v % 1000) is True
    assert virtbind.LIBVIR_CHECK_VERSION(0, 9, 0) is True
    assert virtbind.LIBVIR_CHECK_VERSION(v // 1000000 + 1, 0, 0) is False


@needs_ref
def test_cpumap_macros_agree_with_python3_libvirt_maps():
    """The maps libvirt-python returns as tuples of booleans, read back
    through the macros on the same bits."""
    reflibvirt.registerErrorHandler(lambda c, e: None, None)
    dom = virtbind.open("test:///default").lookupByName("test")
    rdom = reflibvirt.open("test:///default").lookupByName("test")
    ncpus = virtbind.open("test:///default").getCPUMap()[0]
    maplen = virtbind.VIR_CPU_MAPLEN(ncpus)
    for vcpu, bools in enumerate(rdom.vcpuPinInfo(0)):
        m = bytearray(maplen)
        for cpu, on in enumerate(bools):
            if on:
                virtbind.VIR_USE_CPU(m, cpu)
        assert tuple(bool(virtbind.VIR_CPU_USED(m, c)) for c in range(ncpus)) == \
            dom.vcpuPinInfo(0)[vcpu]


def test_function_macros_exported():
    for n in ("VIR_CPU_MAPLEN", "VIR_USE_CPU", "VIR_UNUSE_CPU", "VIR_CPU_USED", "VIR_CPU_USABLE",
              "VIR_GET_CPUMAP", "VIR_COPY_CPUMAP", "VIR_NODEINFO_MAXCPUS", "LIBVIR_CHECK_VERSION"):
        assert callable(getattr(virtbind, n)) and n in virtbind.__all__
        assert n not in SKIPPED


# ------------------------------------------------------ the macro evaluator

EVAL_XML = """<?xml version="1.0"?>
<api name='libvirt'>
  <files><file name='libvirt-host'/></files>
  <symbols>
%s
    <enum name='VB_E1' file='libvirt-host' version='1.0.0' type='vbE' value='1'/>
    <typedef name='vbE' file='libvirt-host' type='enum' version='1.0.0'/>
  </symbols>
</api>
"""
EVAL_MACROS = {
    # name: (raw text, value or a piece of the reason)
    "VB_HEX": ("0x10", 16),
    "VB_SUM": ("(2 + 3) * 4 /* twenty */", 20),
    "VB_REF": ("VB_SUM + VB_E1", 21),
    "VB_ULL": ("42ULL", 42),
    "VB_NEST": ("((VB_HEX))", 16),
    "VB_SHIFT": ("(1 &lt;&lt; 3)", "'<' is not an integer literal"),
    "VB_MINUS": ("VB_HEX - 1", "'-' is not an integer literal"),
    "VB_SIZEOF": ("sizeof(int)", "sizeof is neither a macro nor an enum constant"),
    "VB_UNKNOWN": ("NOT_DEFINED * 2", "NOT_DEFINED is neither"),
    "VB_LOOP": ("VB_LOOP + 1", "via VB_LOOP: macro references nest too deeply"),
    "VB_BIG": ("9223372036854775807 * 2", "overflows long long"),
    "VB_OPEN": ("(1 + 2", "unbalanced parentheses"),
    "VB_EMPTY": ("", "the XML gives no value"),
    "VB_FLOAT": ("1.5", "not an integer literal"),
}


def test_macro_evaluator(tmp_path):
    """virtbind-gen evaluates only literals, parentheses, + and *, and names
    of macros / enum constants; everything else is listed with a reason."""
    gen = os.path.join(BUILD, "bin", "virtbind-gen")
    if not os.access(gen, os.X_OK):
        pytest.skip("build/bin/virtbind-gen is missing")
    import re
    import subprocess
    macros = "\n".join(
        "    <macro name='%s' file='libvirt-host' version='1.0.0' raw='%s'><info>x</info></macro>"
        % (n, raw) for n, (raw, _) in sorted(EVAL_MACROS.items()))
    (tmp_path / "api.xml").write_text(EVAL_XML % macros)
    env = dict(os.environ, VIRTBIND_API_XML=str(tmp_path / "api.xml"))
    for n in ("qemu", "lxc", "admin"):
        (tmp_path / (n + ".xml")).write_text(
            "<?xml version='1.0'?>\n<api name='libvirt-%s'><files/><symbols/></api>\n" % n)
        env["VIRTBIND_%s_API_XML" % n.upper()] = str(tmp_path / (n + ".xml"))
    subprocess.run([gen, "--python-out", str(tmp_path / "out")], env=env, check=True,
                   capture_output=True)
    src = (tmp_path / "out" / "virtbind_gen.c").read_text()
    ints = dict((n, int(v)) for n, v in re.findall(r'\{ "(VB_\w+)", (-?\d+)LL \}', src))
    skipped = dict(re.findall(r'\{ "(VB_\w+)", "((?:[^"\\]|\\.)*)" \}', src))
    for name, (_, want) in EVAL_MACROS.items():
        if isinstance(want, int):
            assert ints.get(name) == want, (name, ints.get(name), skipped.get(name))
        else:
            assert name not in ints, name
            assert want in skipped.get(name, ""), (name, skipped.get(name))
