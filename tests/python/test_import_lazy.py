"""What `import virtbind` does not do (docs/performance.md, import row): it
builds no enum class, imports neither enum, functools, threading, ctypes nor
virtbind._features; each of those arrives on first use and then behaves as
if built eagerly (one class object per enum type, whichever thread asks).
Run: /usr/bin/python3 -m pytest tests/python/test_import_lazy.py
"""
import json
import subprocess
import sys

from typing_common import PYDIR, need_binding

LAZY = ["enum", "functools", "threading", "ctypes", "virtbind._features", "virtbind.typed"]


def run_child(code):
    """CODE's printed JSON, from a fresh interpreter (sys.modules untouched)."""
    need_binding()
    p = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r)\n%s" % (str(PYDIR), code)],
                       capture_output=True, text=True, check=True)
    return json.loads(p.stdout)


def test_import_virtbind_loads_none_of_the_lazy_modules():
    # json imports re, enum and functools: it comes after the look
    seen = run_child("import virtbind\n"
                     "seen = {m: m in sys.modules for m in %r}\n"
                     "import json\n"
                     "print(json.dumps(seen))" % (LAZY,))
    assert seen == {m: False for m in LAZY}


def test_import_virtbind_builds_no_enum_class():
    built = run_child("import virtbind, json\n"
                      "e = virtbind.enums\n"
                      "print(json.dumps(sorted(n for n in e._DEFS if n in vars(e))))")
    assert built == []


def test_enum_class_on_first_use_is_complete_and_shared():
    got = run_child(
        "import virtbind, json, threading\n"
        "seen = []\n"
        "ts = [threading.Thread(target=lambda: seen.append(virtbind.enums.DomainState)) for _ in range(8)]\n"
        "[t.start() for t in ts]; [t.join() for t in ts]\n"
        "S = virtbind.DomainState\n"
        "print(json.dumps({'same': all(c is S for c in seen), 'running': int(S.RUNNING),\n"
        "                  'eq': S.RUNNING == virtbind.VIR_DOMAIN_RUNNING, 'repr': repr(S.RUNNING),\n"
        "                  'module': S.__module__, 'qualname': S.__qualname__,\n"
        "                  'flag': repr(virtbind.ConnectListAllDomainsFlags(5)),\n"
        "                  'in_dir': 'DomainState' in dir(virtbind), 'doc': S.__doc__}))")
    assert got["same"] and got["running"] == 1 and got["eq"]
    assert got["repr"] == "<DomainState.RUNNING: 1>"
    assert (got["module"], got["qualname"]) == ("virtbind.enums", "DomainState")
    assert got["flag"] == "<ConnectListAllDomainsFlags.ACTIVE|PERSISTENT: 5>"
    assert got["in_dir"] and got["doc"].startswith("virDomainState (")


def test_unknown_attribute_still_raises_attribute_error():
    got = run_child("import virtbind, json\n"
                    "r = []\n"
                    "for mod in (virtbind, virtbind.enums):\n"
                    "    try:\n"
                    "        mod.NoSuchEnumType\n"
                    "    except AttributeError as e:\n"
                    "        r.append(str(e))\n"
                    "print(json.dumps(r))")
    assert len(got) == 2 and all("NoSuchEnumType" in m for m in got)


def test_supports_and_requires_import_features_on_first_call():
    got = run_child("import virtbind, json\n"
                    "c = virtbind.open('test:///default')\n"
                    "r = [virtbind.supports('virDomainGetMessages'), c.supports('virDomainGetMessages'),\n"
                    "     virtbind.requires('0.0.1') is None, 'virtbind._features' in sys.modules]\n"
                    "c.close()\n"
                    "print(json.dumps(r))")
    assert got == [True, True, True, True]
