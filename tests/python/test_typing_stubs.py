"""The generated stubs (build/python/virtbind/__init__.pyi) agree with the
built module: every public callable is in the stubs with the same parameter
names and defaults (from the binding's signature lines), every stub entry
exists at runtime, constants have the runtime values."""
import ast
import inspect

import pytest

from typing_common import def_params, need_binding, parse_signature, stub_tree, STUB, PYDIR


@pytest.fixture(scope="module")
def vb():
    need_binding()
    import virtbind
    return virtbind


@pytest.fixture(scope="module")
def stubs():
    need_binding()
    tree = stub_tree()
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


def runtime_callables(vb):
    """{(class or None, name): callable} of the public surface."""
    out = {}
    for name in dir(vb):
        obj = getattr(vb, name)
        if name.startswith("__"):
            continue
        if isinstance(obj, type) and (obj.__module__ or "").startswith("virtbind"):
            for m, v in vars(obj).items():
                if m.startswith("__") and m not in ("__enter__", "__exit__"):
                    continue
                if callable(v) or isinstance(v, (classmethod, staticmethod)):
                    out[(name, m)] = getattr(obj, m)
        elif callable(obj) and not isinstance(obj, type):
            out[(None, name)] = obj
    return out


def runtime_params(fn, name):
    try:
        sig = inspect.signature(fn)
        ps = [(p.name, None if p.default is inspect.Parameter.empty else repr(p.default))
              for p in sig.parameters.values() if p.name != "self"
              and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        return ps
    except (ValueError, TypeError):
        parsed = parse_signature(fn.__doc__)
        if not parsed or parsed[0] != name:
            return None
        return parsed[1]


SPECIAL = {("virConnect", "__enter__"), ("virConnect", "__exit__")}
# libvirtError's getters are typed in the stubs; they carry no signature line
NO_SIGNATURE = {"libvirtError"}


def test_every_runtime_callable_is_stubbed(vb, stubs):
    funcs, classes, _ = stubs
    missing, mismatched, checked = [], [], 0
    for (cls, name), fn in sorted(runtime_callables(vb).items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        if cls is None:
            defs = funcs.get(name)
        else:
            defs = classes.get(cls, {}).get(name)
        if not defs:
            missing.append("%s.%s" % (cls, name) if cls else name)
            continue
        if (cls, name) in SPECIAL or cls in NO_SIGNATURE:
            continue
        rt = runtime_params(fn, name)
        if rt is None:
            continue
        stub_sets = [def_params(d) for d in defs]
        norm = [(n, d) for n, d in rt]
        if not any([(n, d) for n, d in s] == norm for s in stub_sets):
            # overloads (getVersion): the union of parameter names must match
            names = {n for s in stub_sets for n, _ in s}
            if len(defs) > 1 and names == {n for n, _ in norm}:
                checked += 1
                continue
            mismatched.append("%s: runtime %s, stub %s" % (
                "%s.%s" % (cls, name) if cls else name, norm, stub_sets[0]))
            continue
        checked += 1
    assert not missing, "not in the stubs: %s" % missing
    assert not mismatched, "\n".join(mismatched)
    assert checked > 400


def test_every_stub_entry_exists(vb, stubs):
    funcs, classes, consts = stubs
    rt = runtime_callables(vb)
    extra = [n for n in funcs if (None, n) not in rt]
    for cls, meths in classes.items():
        assert hasattr(vb, cls), cls
        for m in meths:
            if m == "__init__" and cls == "libvirtError":
                continue
            if not hasattr(getattr(vb, cls), m):
                extra.append("%s.%s" % (cls, m))
    assert not extra, "stub entries the module lacks: %s" % extra


def test_constants_match(vb, stubs):
    _, _, consts = stubs
    bad, n = [], 0
    for name in dir(vb):
        if not name.startswith("VIR_"):
            continue
        v = getattr(vb, name)
        n += 1
        if name not in consts or consts[name] != v:
            bad.append((name, v, consts.get(name, "<missing>")))
    assert not bad, bad[:20]
    extra = [k for k in consts if k.startswith("VIR_") and not hasattr(vb, k)]
    assert not extra, extra[:20]
    assert n > 1000


def test_header_and_determinism(tmp_path):
    need_binding()
    import subprocess
    from typing_common import ROOT, BUILD
    gen = BUILD / "bin" / "virtbind-gen"
    subprocess.run([str(gen), "--python-stubs-out", str(tmp_path)], check=True,
                   capture_output=True, cwd=str(ROOT))
    for rel in ("virtbind/__init__.pyi", "virtbind/typed.py", "virtbind/typed.pyi",
                "compat/libvirt.pyi", "compat/libvirt_qemu.pyi", "compat/libvirt_lxc.pyi"):
        text = (tmp_path / rel).read_text()
        assert "GENERATED by virtbind-gen --python-stubs-out" in text.split("\n")[0], rel
        assert "Inputs:" in text and "annotations" in text, rel
        assert text == (PYDIR / rel).read_text(), "%s differs from the build's" % rel
