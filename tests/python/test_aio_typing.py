"""Types of virtbind.aio: the generated virtbind/aio.pyi and
virtbind/_aio_model.py pass mypy --strict with an example program (which
also runs for real against test:///default); wrong uses are rejected
(every line marked `# E: code` must be reported, nothing else); the
generated files are deterministic and agree with the runtime."""
import re
import subprocess
import sys

import pytest

from typing_common import PKG, PYDIR, ROOT, BUILD, need_binding, run_mypy

EXAMPLE = '''\
import asyncio
from typing import Optional

import virtbind
import virtbind.aio as aio


async def main() -> None:
    aio.set_workers(4)
    conn: aio.AsyncConnect = await aio.open("test:///default", reconnect=False)
    dom = await conn.lookupByName("test")
    info: list[int] = await dom.info()
    name: Optional[str] = dom.name()               # synchronous: reads the handle
    doms: list[aio.AsyncDomain] = await conn.listAllDomains()
    plain: virtbind.virDomain = dom.sync
    async with conn.domain_lifecycle_events(dom, maxsize=16, overflow="drop_newest") as st:
        await dom.suspend()
        ev: aio.DomainLifecycleEvent = await st.get()
        kind: int = ev.event
        evdom: aio.AsyncDomain = ev.dom
        await dom.resume()
    generic = conn.domain_events(virtbind.VIR_DOMAIN_EVENT_ID_LIFECYCLE)
    rec: aio.DomainLifecycleEvent
    await generic.aclose()
    def on_lifecycle(c: virtbind.virConnect, d: virtbind.virDomain, event: int, detail: int,
                     opaque: str) -> None:
        print(d.name(), event, detail, opaque)
    cid: int = await conn.domain_event_lifecycle_register(on_lifecycle, dom, "ctx")
    await conn.domain_event_deregister(cid)
    pools = conn.storage_pool_refresh_events()
    await pools.aclose()
    print(info[0], name, len(doms), plain.name(), kind, evdom.name(), conn.reconnects)
    await conn.close()

asyncio.run(main())
'''

NEGATIVE = '''\
import virtbind
import virtbind.aio as aio


async def main() -> None:
    conn = await aio.open("test:///default")
    dom = await conn.lookupByName("test")
    net = await conn.networkLookupByName("default")
    a: str = await dom.info()  # E: assignment
    b: virtbind.virDomain = await conn.lookupByName("test")  # E: assignment
    c = dom.info()
    c.append(1)  # E: attr-defined
    await dom.name()  # E: misc
    conn.domain_lifecycle_events(net)  # E: arg-type
    conn.domain_lifecycle_events(overflow="block")  # E: arg-type
    st = conn.domain_events(virtbind.VIR_DOMAIN_EVENT_ID_REBOOT)
    ev = await st.get()
    ev.event  # E: attr-defined
    await dom.setMemory("1024")  # E: arg-type
    await aio.open(42)  # E: arg-type
    aio.set_workers("2")  # E: arg-type
    def wrong(c: virtbind.virConnect, d: virtbind.virDomain, reason: str, o: None) -> None: ...
    await conn.domain_event_lifecycle_register(wrong)  # E: arg-type|call-overload
'''

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<sev>error|note): (?P<msg>.*?)(?:  \[(?P<code>[a-z-]+)\])?$")


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("mypy-aio-cache")


def _need():
    need_binding()
    if not (PKG / "aio.pyi").exists() or not (PKG / "_aio_model.py").exists():
        pytest.skip("build/python/virtbind lacks aio.pyi / _aio_model.py (make python)")


def test_stubs_and_example_pass_strict_and_run(cache, tmp_path):
    _need()
    ex = tmp_path / "aio_example.py"
    ex.write_text(EXAMPLE)
    rc, out = run_mypy([ex, PKG / "aio.pyi", PKG / "_aio_model.py"], cache)
    assert rc == 0, out
    import os
    env = dict(os.environ, PYTHONPATH=str(PYDIR))
    r = subprocess.run([sys.executable, str(ex)], capture_output=True, text=True, env=env,
                       cwd=str(ROOT), timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_wrong_uses_are_rejected(cache, tmp_path):
    _need()
    neg = tmp_path / "aio_rejected.py"
    neg.write_text(NEGATIVE)
    expected = {}
    for no, text in enumerate(NEGATIVE.split("\n"), 1):
        m = re.search(r"# E: ([a-z|-]+)\s*$", text)
        if m:
            expected[no] = set(m.group(1).split("|"))
    rc, out = run_mypy([neg], cache)
    assert rc == 1, out
    got = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if m and m.group("sev") == "error" and m.group("file").endswith("aio_rejected.py"):
            got.setdefault(int(m.group("line")), set()).add(m.group("code"))
    assert set(got) == set(expected), out
    wrong = {n: (expected[n], got[n]) for n in expected if not expected[n] & got[n]}
    assert not wrong, (wrong, out)


def test_generated_aio_files_are_deterministic_and_match_the_runtime(tmp_path):
    _need()
    gen = BUILD / "bin" / "virtbind-gen"
    subprocess.run([str(gen), "--python-stubs-out", str(tmp_path)], check=True,
                   capture_output=True, cwd=str(ROOT))
    for rel in ("virtbind/aio.pyi", "virtbind/_aio_model.py"):
        text = (tmp_path / rel).read_text()
        assert "GENERATED by virtbind-gen --python-stubs-out" in text.split("\n")[0], rel
        assert text == (PYDIR / rel).read_text(), "%s differs from the build's" % rel
    # every coroutine / plain method of the runtime wrappers is in the stub
    # with the same kind, and the other way round
    import ast
    import inspect
    import virtbind.aio as aio
    tree = ast.parse((PKG / "aio.pyi").read_text())
    stub = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Async") and node.name != "AsyncIOEventImpl":
            for f in node.body:
                if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and not f.name.startswith("_"):
                    stub.setdefault(node.name, {})[f.name] = isinstance(f, ast.AsyncFunctionDef)
    assert len(stub) == 14
    for cname, methods in stub.items():
        cls = getattr(aio, cname)
        for name, is_async in methods.items():
            attr = getattr(cls, name)
            if isinstance(attr, property):
                continue
            assert inspect.iscoroutinefunction(attr) == is_async, (cname, name)
        runtime = {n for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n))}
        assert runtime <= set(methods) | {"sync"}, (cname, sorted(runtime - set(methods)))
