"""Return shapes at runtime: every reading method that needs no argument
(C name with Get/List/Is/Num, plus the no-argument getters) is called on the
objects of test:///default and its result checked against the stub's return
annotation (a small structural checker: int/float/bool/str/bytes/None,
Optional/Union, list/tuple/dict with element types, the binding's classes)."""
import ast
import re
import typing

import pytest

from typing_common import need_binding, stub_tree

READER = re.compile(r"^vir[A-Z][A-Za-z]*?(Get|List|Is|Num|Current|Has)")
UNSAFE = {"virDomainGetJobStats", "virConnectListAllNodeDevices"}


def check(value, ann, ns, path="result"):
    """Whether value fits annotation ann (an ast expression)."""
    if isinstance(ann, ast.Constant) and ann.value is None:
        return value is None, path
    if isinstance(ann, ast.Name):
        n = ann.id
        if n == "Any" or n == "object":
            return True, path
        if n in ns["aliases"]:
            return check(value, ns["aliases"][n], ns, path)
        if n == "None":
            return value is None, path
        if n == "int":
            return isinstance(value, int) and not isinstance(value, bool), path
        if n == "float":
            return isinstance(value, (float, int)) and not isinstance(value, bool), path
        if n in ns.get("typeddicts", {}):
            fields, total = ns["typeddicts"][n]
            if not isinstance(value, dict) or not set(value) <= set(fields):
                return False, path
            if total and set(value) != set(fields):
                return False, path
            for k, v in value.items():
                ok, p = check(v, fields[k], ns, "%s[%r]" % (path, k))
                if not ok:
                    return False, p
            return True, path
        t = {"bool": bool, "str": str, "bytes": bytes}.get(n) or getattr(ns["mod"], n, None)
        return (t is not None and isinstance(value, t)), path
    if isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
        return (check(value, ann.left, ns, path)[0] or check(value, ann.right, ns, path)[0]), path
    if isinstance(ann, ast.Subscript):
        base = ann.value.id
        args = ann.slice.elts if isinstance(ann.slice, ast.Tuple) else [ann.slice]
        if base == "Optional":
            return value is None or check(value, args[0], ns, path)[0], path
        if base == "Union":
            return any(check(value, a, ns, path)[0] for a in args), path
        if base == "list":
            if not isinstance(value, list):
                return False, path
            for i, v in enumerate(value):
                ok, p = check(v, args[0], ns, "%s[%d]" % (path, i))
                if not ok:
                    return False, p
            return True, path
        if base == "dict":
            if not isinstance(value, dict):
                return False, path
            for k, v in value.items():
                for x, a in ((k, args[0]), (v, args[1])):
                    ok, p = check(x, a, ns, "%s[%r]" % (path, k))
                    if not ok:
                        return False, p
            return True, path
        if base == "tuple":
            if not isinstance(value, tuple):
                return False, path
            if len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value is Ellipsis:
                return all(check(v, args[0], ns)[0] for v in value), path
            if len(args) != len(value):
                return False, path
            for i, (v, a) in enumerate(zip(value, args)):
                ok, p = check(v, a, ns, "%s[%d]" % (path, i))
                if not ok:
                    return False, p
            return True, path
        if base in ("Callable", "Mapping"):
            return True, path
    raise AssertionError("cannot check annotation %s" % ast.unparse(ann))


def test_return_shapes():
    need_binding()
    import virtbind
    tree = stub_tree()
    aliases = {n.targets[0].id: n.value for n in tree.body
               if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)}
    typeddicts = {}
    for n in tree.body:
        if isinstance(n, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id == "TypedDict"
                                               for b in n.bases):
            total = not any(k.arg == "total" and isinstance(k.value, ast.Constant)
                            and k.value.value is False for k in n.keywords)
            typeddicts[n.name] = ({x.target.id: x.annotation for x in n.body
                                   if isinstance(x, ast.AnnAssign)}, total)
    ns = {"aliases": aliases, "mod": virtbind, "typeddicts": typeddicts}
    methods = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for d in node.body:
                if isinstance(d, ast.FunctionDef) and not d.decorator_list:
                    methods[(node.name, d.name)] = d
    cname = {v: k for k, v in virtbind.__virtbind_manifest__.items()}

    conn = virtbind.open("test:///default")
    dom = conn.lookupByName("test")
    net = conn.networkLookupByName("default")
    pool = conn.storagePoolLookupByName("default-pool")
    objs = [conn, dom, net, pool, conn.interfaceLookupByName("eth1")]
    objs += pool.listAllVolumes()[:1] + conn.listAllDevices()[:1]
    dom.snapshotCreateXML("<domainsnapshot><name>s1</name></domainsnapshot>")
    objs += dom.listAllSnapshots()[:1]

    checked, bad, shapes = 0, [], set()
    for obj in objs:
        cls = type(obj).__name__
        for (c, name), d in sorted(methods.items()):
            if c != cls:
                continue
            a = d.args
            required = len(a.args) - 1 - len(a.defaults)
            c_name = cname.get("%s.%s" % (cls, name), "")
            reader = READER.match(c_name) and c_name not in UNSAFE
            if required or not reader:
                continue
            try:
                value = getattr(obj, name)()
            except virtbind.libvirtError:
                continue
            ok, where = check(value, d.returns, ns)
            shapes.add(ast.unparse(d.returns))
            checked += 1
            if not ok:
                bad.append("%s.%s -> %r: %s does not fit %s" % (cls, name, value, where,
                                                                 ast.unparse(d.returns)))
    # methods that need arguments
    extra = [(dom, "interfaceAddresses", (0,)), (dom, "blockInfo", ("vda",)),
             (dom, "blockStats", ("vda",)), (dom, "blockIoTune", ("vda",)),
             (dom, "interfaceParameters", ("testnet0",)), (dom, "getCPUStats", (True,)),
             (dom, "getCPUStats", (False,)), (conn, "getCPUStats", (-1,)),
             (conn, "getCellsFreeMemory", (0, 1)), (conn, "getFreePages", ([4], 0, 1)),
             (dom, "blockPeek", ("vda", 0, 16)), (dom, "schedulerType", ()),
             (conn, "lookupByName", ("test",)), (conn, "listDomainsID", ())]
    for obj, name, args in extra:
        d = methods[(type(obj).__name__, name)]
        try:
            value = getattr(obj, name)(*args)
        except virtbind.libvirtError:
            continue
        ok, where = check(value, d.returns, ns)
        shapes.add(ast.unparse(d.returns))
        checked += 1
        if not ok:
            bad.append("%s.%s%r -> %r: %s does not fit %s" % (type(obj).__name__, name, args, value,
                                                              where, ast.unparse(d.returns)))
    dom.snapshotLookupByName("s1").delete()
    assert not bad, "\n".join(bad)
    print("checked", checked)
    assert checked >= 60, checked
    assert "_DomainTime" in shapes and "dict[str, _Interface]" in shapes


def test_checker_rejects_wrong_shapes():
    need_binding()
    import virtbind
    ns = {"aliases": {}, "mod": virtbind}
    e = lambda s: ast.parse(s, mode="eval").body  # noqa: E731
    assert check([1, 2], e("list[int]"), ns)[0]
    assert not check((1, 2), e("list[int]"), ns)[0]
    assert not check([1, "x"], e("list[int]"), ns)[0]
    assert not check(True, e("int"), ns)[0]
    assert check((1, "a"), e("tuple[int, str]"), ns)[0]
    assert not check((1, "a", 2), e("tuple[int, str]"), ns)[0]
    assert check({"a": 1.5}, e("dict[str, Union[int, float]]"), ns)[0]
    assert not check({"a": b""}, e("dict[str, Union[int, float]]"), ns)[0]
    assert check(None, e("Optional[str]"), ns)[0]
