"""The generated stubs (build/python/virtbind/__init__.pyi) agree with the
built module: every public callable is in the stubs with the same parameter
names and defaults (from the binding's signature lines), every stub entry
exists at runtime, constants have the runtime values."""
import ast
import pytest

from typing_common import def_params, need_binding, stub_tree, STUB, PYDIR


MODULES = {"virtbind": STUB, "virtbind_admin": PYDIR / "virtbind_admin.pyi",
           "libvirtmod": PYDIR / "compat" / "libvirtmod.pyi",
           "libvirtmod_qemu": PYDIR / "compat" / "libvirtmod_qemu.pyi",
           "libvirtmod_lxc": PYDIR / "compat" / "libvirtmod_lxc.pyi"}
# minimum number of callables compared per module
MINIMUM = {"virtbind": 400, "virtbind_admin": 20, "libvirtmod": 400, "libvirtmod_qemu": 3,
           "libvirtmod_lxc": 3}

# Runs in a child interpreter: virtbind_admin cannot share a process with
# virtbind (libvirt.so.0 and libvirt-admin.so.0), so both are introspected
# the same way, each in its own process.
DUMP = r"""
import importlib, inspect, json, sys
mod = importlib.import_module(sys.argv[1])

def params(fn, name):
    try:
        sig = inspect.signature(fn)
        return [[p.name, None if p.default is inspect.Parameter.empty else repr(p.default)]
                for p in sig.parameters.values() if p.name != "self"
                and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    except (ValueError, TypeError):
        line = (fn.__doc__ or "").split("\n")[0]
        if "(" not in line or ")" not in line or line[:line.index("(")].strip() != name:
            return None
        out = []
        for tok in line[line.index("(") + 1:line.index(")")].split(","):
            tok = tok.strip()
            if tok:
                k, _, v = tok.partition("=")
                out.append([k.strip(), v.strip() or None])
        return out

callables, consts, classes = [], {}, {}
compat = mod.__name__.startswith("libvirtmod")
for name in dir(mod):
    obj = getattr(mod, name)
    if name.startswith("__") or (compat and name.startswith("_")):
        continue   # libvirtmod's own helpers are private
    if isinstance(obj, type) and obj.__module__ in ("virtbind.enums", "virtbind_admin_enums"):
        continue   # the enum classes: typed in enums.pyi (tests/python/test_enums_*.py)
    if isinstance(obj, type) and (obj.__module__ or "").startswith(mod.__name__):
        classes[name] = sorted(a for a in dir(obj))
        for m, v in vars(obj).items():
            if m.startswith("__") and m not in ("__enter__", "__exit__"):
                continue
            if callable(v) or isinstance(v, (classmethod, staticmethod)):
                callables.append([name, m, params(getattr(obj, m), m)])
    elif callable(obj):
        callables.append([None, name, params(obj, name)])
    elif isinstance(obj, (int, str)) and (name.startswith("VIR_") or name.startswith("LIBVIR")):
        consts[name] = obj
print(json.dumps({"callables": callables, "consts": consts, "classes": classes}))
"""


@pytest.fixture(scope="module", params=sorted(MODULES))
def module(request):
    need_binding()
    import json
    import os
    import subprocess
    import sys
    if not MODULES[request.param].exists():
        pytest.skip("no stubs for %s" % request.param)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PYDIR), str(PYDIR / "compat")]))
    r = subprocess.run([sys.executable, "-c", DUMP, request.param], capture_output=True,
                       text=True, env=env, cwd="/")
    if r.returncode != 0:
        if "No module named" in r.stderr:
            pytest.skip("%s is not built" % request.param)
        raise AssertionError(r.stderr)
    return request.param, json.loads(r.stdout), MODULES[request.param]


@pytest.fixture(scope="module")
def rt(module):
    return module[1]


@pytest.fixture(scope="module")
def stubs(module):
    tree = stub_tree(module[2])
    funcs, classes, consts = {}, {}, {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            funcs.setdefault(node.name, []).append(node)
        elif isinstance(node, ast.ClassDef):
            meths = {}
            for n in node.body:
                if isinstance(n, ast.FunctionDef):
                    meths.setdefault(n.name, []).append(n)
            classes[node.name] = meths
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if node.value is not None:
                consts[node.target.id] = ast.literal_eval(node.value)
            else:
                consts[node.target.id] = None
    return funcs, classes, consts


SPECIAL = {"__enter__", "__exit__"}
# libvirtError's getters are typed in the stubs; they carry no signature line
NO_SIGNATURE = {"libvirtError"}


def test_every_runtime_callable_is_stubbed(module, rt, stubs):
    funcs, classes, _ = stubs
    missing, mismatched, checked = [], [], 0
    for cls, name, rtp in sorted(rt["callables"], key=lambda c: (c[0] or "", c[1])):
        label = "%s.%s" % (cls, name) if cls else name
        defs = funcs.get(name) if cls is None else classes.get(cls, {}).get(name)
        if not defs:
            missing.append(label)
            continue
        if name in SPECIAL or cls in NO_SIGNATURE or rtp is None or module[0].startswith("libvirtmod"):
            continue
        norm = [tuple(p) for p in rtp]
        stub_sets = [def_params(d) for d in defs]
        if not any(s == norm for s in stub_sets):
            # overloads (getVersion): the union of parameter names must match
            names = {n for st in stub_sets for n, _ in st}
            if len(defs) > 1 and names == {n for n, _ in norm}:
                checked += 1
                continue
            mismatched.append("%s: runtime %s, stub %s" % (label, norm, stub_sets[0]))
            continue
        checked += 1
    assert not missing, "not in the stubs: %s" % missing
    assert not mismatched, "\n".join(mismatched)
    assert checked > MINIMUM[module[0]] or module[0].startswith("libvirtmod")
    assert len(rt["callables"]) > MINIMUM[module[0]]


def test_every_stub_entry_exists(module, rt, stubs):
    funcs, classes, consts = stubs
    names = {(c, n) for c, n, _ in rt["callables"]}
    extra = [n for n in funcs if (None, n) not in names]
    for cls, meths in classes.items():
        if cls.startswith("_"):
            continue   # TypedDict shapes of hand-written results
        assert cls in rt["classes"], cls
        for m in meths:
            if m == "__init__" and cls == "libvirtError":
                continue
            if m not in rt["classes"][cls]:
                extra.append("%s.%s" % (cls, m))
    assert not extra, "stub entries the module lacks: %s" % extra


def test_constants_match(module, rt, stubs):
    _, _, consts = stubs
    bad = [(k, v, consts.get(k, "<missing>")) for k, v in sorted(rt["consts"].items())
           if consts.get(k, "<missing>") != v]
    assert not bad, bad[:20]
    extra = [k for k in consts if (k.startswith("VIR_") or k.startswith("LIBVIR"))
             and k not in rt["consts"]]
    assert not extra, extra[:20]
    if not module[0].startswith("libvirtmod"):
        assert len(rt["consts"]) > (1000 if module[0] == "virtbind" else 20)


def test_header_and_determinism(tmp_path):
    need_binding()
    import subprocess
    from typing_common import ROOT, BUILD
    gen = BUILD / "bin" / "virtbind-gen"
    subprocess.run([str(gen), "--python-stubs-out", str(tmp_path)], check=True,
                   capture_output=True, cwd=str(ROOT))
    for rel in ("virtbind/__init__.pyi", "virtbind/typed.py", "virtbind/typed.pyi",
                "compat/libvirt.pyi", "compat/libvirt_qemu.pyi", "compat/libvirt_lxc.pyi",
                "virtbind_admin.pyi", "compat/libvirtmod.pyi", "compat/libvirtmod_qemu.pyi",
                "compat/libvirtmod_lxc.pyi"):
        text = (tmp_path / rel).read_text()
        assert "GENERATED by virtbind-gen --python-stubs-out" in text.split("\n")[0], rel
        assert "Inputs:" in text and "annotations" in text, rel
        assert text == (PYDIR / rel).read_text(), "%s differs from the build's" % rel
