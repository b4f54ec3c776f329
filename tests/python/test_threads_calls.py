"""Threads: 8 threads make the same calls (lookupByName, info, XMLDesc,
listAllDomains, memoryParameters) a bounded number of times on shared and on
separate connections, in-process (test:///default) and through a real libvirtd
(tests/lib/libvirtd.py), for python3-libvirt and virtbind.  Every thread's
results must equal the single-threaded ones; no exception; every thread is
joined with a bounded timeout (a timeout is a deadlock: failure).

test_threads_with_event_loop runs in a child Python (the default event loop is
process-global): an event-loop thread dispatches lifecycle events, produced by
a generator thread (suspend/resume on a private test-driver node, local and
through the daemon), while the 8 callers run.
Run: /usr/bin/python3 -m pytest tests/python/test_threads_calls.py
"""
import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
from libvirtd import (BINDINGS, binding_env, child_import, daemon,  # noqa: E402,F401
                      libvirtd_daemon, load_binding)

THREADS = 8
ITERS = 100           # iterations per thread; 5 calls each
EVENT_CYCLES = 50     # suspend/resume cycles per event connection
JOIN_S = 120          # bound for joins and the child (a hang = failure)
LOCAL = "test:///default"


def one_round(conn):
    """The five calls; the result must not depend on the thread."""
    dom = conn.lookupByName("test")
    info = dom.info()
    if not (isinstance(info[4], int) and info[4] > 0):   # cpuTime follows the clock
        raise AssertionError(f"bad cpuTime {info!r}")
    return (dom.name(), info[:4], dom.XMLDesc(0),
            sorted(d.name() for d in conn.listAllDomains()), dom.memoryParameters())


def run_threads(jobs):
    """jobs: [(conn, baseline)]; one thread each.  Returns the failures."""
    failures = []
    lock = threading.Lock()
    counts = [0] * len(jobs)

    def worker(i, conn, baseline):
        try:
            for _ in range(ITERS):
                r = one_round(conn)
                if r != baseline:
                    raise AssertionError(f"thread {i}: {r!r} != {baseline!r}")
                counts[i] += 1
        except BaseException as e:  # noqa: BLE001 - reported by the test
            with lock:
                failures.append((i, repr(e)))

    threads = [threading.Thread(target=worker, args=(i, c, b), daemon=True)
               for i, (c, b) in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN_S)
    hung = [i for i, t in enumerate(threads) if t.is_alive()]
    assert not hung, f"threads {hung} did not finish (deadlock?)"
    if not failures:
        assert counts == [ITERS] * len(jobs)
    return failures


@pytest.fixture(params=BINDINGS)
def lv(request):
    mod, why = load_binding(request.param)
    if mod is None:
        pytest.skip(why)
    return mod


@pytest.mark.parametrize("where", ["local", "remote"])
@pytest.mark.parametrize("sharing", ["shared", "separate"])
def test_threads_calls(lv, daemon, where, sharing):
    uri = LOCAL if where == "local" else daemon.uri
    first = lv.open(uri)
    baseline = one_round(first)           # single-threaded
    assert one_round(first) == baseline   # and stable
    conns = [first] * THREADS if sharing == "shared" else \
        [first] + [lv.open(uri) for _ in range(THREADS - 1)]
    try:
        assert run_threads([(c, baseline) for c in conns]) == []
        assert one_round(first) == baseline
    finally:
        for c in set(conns):
            c.close()


@pytest.mark.parametrize("where", ["local", "remote"])
def test_threads_errors(lv, daemon, where):
    """libvirt's last error is per thread: 8 threads on one connection
    alternate a good round with a failing lookup whose message names the
    thread and iteration; each thread must get its own error, never another
    thread's (or none, or a stale one)."""
    conn = lv.open(LOCAL if where == "local" else daemon.uri)
    baseline = one_round(conn)
    failures, counts = [], [0] * THREADS

    def worker(i):
        try:
            for n in range(ITERS):
                name = f"nonet-{i}-{n}"
                try:
                    conn.networkLookupByName(name)
                except lv.libvirtError as e:
                    assert e.get_error_code() == lv.VIR_ERR_NO_NETWORK, (i, n, e.err)
                    assert f"'{name}'" in str(e), (i, n, str(e))
                else:
                    raise AssertionError(f"{name} found")
                assert one_round(conn) == baseline
                counts[i] += 1
        except BaseException as e:  # noqa: BLE001 - reported by the test
            failures.append((i, repr(e)))

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN_S)
    try:
        assert not [t for t in threads if t.is_alive()], "deadlock"
        assert failures == []
        assert counts == [ITERS] * THREADS
    finally:
        conn.close()


OPEN_ITERS = 20       # open / round / close per thread in test_threads_open_close


@pytest.mark.parametrize("where", ["local", "remote"])
def test_threads_open_close(lv, daemon, where):
    """8 threads each open a connection, make a round, drop the domain and close
    it, 20 times: connection setup and teardown (and the wrappers' dealloc)
    racing with the other threads' calls."""
    uri = LOCAL if where == "local" else daemon.uri
    keep = lv.open(uri)         # keeps test:///default's state alive meanwhile
    baseline = one_round(keep)
    failures, counts = [], [0] * THREADS

    def worker(i):
        try:
            for _ in range(OPEN_ITERS):
                c = lv.open(uri)
                assert one_round(c) == baseline
                assert c.close() == 0     # one_round's domains are gone: last ref
                counts[i] += 1
        except BaseException as e:  # noqa: BLE001 - reported by the test
            failures.append((i, repr(e)))

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN_S)
    try:
        assert not [t for t in threads if t.is_alive()], "deadlock"
        assert failures == []
        assert counts == [OPEN_ITERS] * THREADS
    finally:
        keep.close()


def test_threads_both_bindings(daemon):
    """4 threads per binding, at once, in one process (one libvirt.so.0):
    separate remote connections and one shared in-process connection each."""
    mods = [load_binding(b) for b in BINDINGS]
    for mod, why in mods:
        if mod is None:
            pytest.skip(why)
    jobs, conns = [], []
    for mod, _ in mods:
        local = mod.open(LOCAL)
        conns.append(local)
        jobs += [(local, one_round(local))] * 2
        for _ in range(2):
            c = mod.open(daemon.uri)
            conns.append(c)
            jobs.append((c, one_round(c)))
    # the bindings agree on the baselines
    assert jobs[0][1] == jobs[4][1] and jobs[2][1] == jobs[6][1]
    try:
        assert run_threads(jobs) == []
    finally:
        for c in conns:
            c.close()


# ------------------------------------------------------------ with an event loop

NODE_XML = """<node>
  <domain type='test'>
    <name>ev</name>
    <memory>65536</memory>
    <vcpu>1</vcpu>
    <os><type>hvm</type></os>
  </domain>
</node>
"""

CHILD = """
import json, os, sys, threading, time
{imp}
remote_uri, remote_node_uri, node_xml = sys.argv[1:4]
THREADS, ITERS, CYCLES, JOIN_S = {threads}, {iters}, {cycles}, {join_s}

assert lv.virEventRegisterDefaultImpl() == 0
loop_ident = []
def loop():
    loop_ident.append(threading.get_ident())
    while True:
        lv.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()

def one_round(conn):
    dom = conn.lookupByName('test')
    info = dom.info()
    assert isinstance(info[4], int) and info[4] > 0, info
    return [dom.name(), info[:4], dom.XMLDesc(0),
            sorted(d.name() for d in conn.listAllDomains()), dom.memoryParameters()]

# event sources: a private test-driver node, in-process and in the daemon
events = {{'local': [], 'remote': []}}
wrong_thread = []
def on_lifecycle(conn, dom, event, detail, opaque):
    if threading.get_ident() != loop_ident[0]:
        wrong_thread.append(opaque)
    events[opaque].append([dom.name(), event, detail])
ev_conns = {{'local': lv.open('test://' + node_xml), 'remote': lv.open(remote_node_uri)}}
cb_ids = {{}}
for k, c in ev_conns.items():
    cb_ids[k] = c.domainEventRegisterAny(c.lookupByName('ev'),
                                         lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, k)

gen_errors = []
def generator():
    try:
        doms = [c.lookupByName('ev') for c in ev_conns.values()]
        for _ in range(CYCLES):
            for d in doms:
                d.suspend()
                d.resume()
    except BaseException as e:
        gen_errors.append(repr(e))

# callers: even threads in-process, odd ones remote; threads 0-3 share one
# connection per target, 4-7 have their own
shared = {{'local': lv.open('test:///default'), 'remote': lv.open(remote_uri)}}
baseline = {{k: one_round(c) for k, c in shared.items()}}
uris = {{'local': 'test:///default', 'remote': remote_uri}}
jobs = []
for i in range(THREADS):
    where = 'local' if i % 2 == 0 else 'remote'
    jobs.append((where, shared[where] if i < 4 else lv.open(uris[where])))
failures, counts = [], [0] * THREADS
def caller(i, where, conn):
    try:
        for _ in range(ITERS):
            r = one_round(conn)
            assert r == baseline[where], (i, r)
            counts[i] += 1
    except BaseException as e:
        failures.append((i, repr(e)))

threads = [threading.Thread(target=generator, daemon=True)]
threads += [threading.Thread(target=caller, args=(i, w, c), daemon=True)
            for i, (w, c) in enumerate(jobs)]
for t in threads:
    t.start()
for t in threads:
    t.join(JOIN_S)
hung = sum(t.is_alive() for t in threads)

want = [['ev', lv.VIR_DOMAIN_EVENT_SUSPENDED, lv.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED],
        ['ev', lv.VIR_DOMAIN_EVENT_RESUMED, lv.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED]] * CYCLES
for _ in range(2000):                     # bounded: events still in flight
    if all(len(v) >= len(want) for v in events.values()):
        break
    time.sleep(0.01)
for k, c in ev_conns.items():
    c.domainEventDeregisterAny(cb_ids[k])
print(json.dumps({{'hung': hung, 'failures': failures, 'gen_errors': gen_errors,
                  'counts': counts, 'wrong_thread': len(wrong_thread),
                  'events_ok': {{k: v == want for k, v in events.items()}},
                  'events': {{k: len(v) for k, v in events.items()}},
                  'first_events': {{k: v[:3] for k, v in events.items()}}}}))
sys.stdout.flush()
os._exit(0)     # the loop thread sits in poll(); leave without joining it
"""


@pytest.mark.parametrize("bname", BINDINGS)
def test_threads_with_event_loop(bname, daemon, tmp_path):
    """Child: 1 event-loop thread, 1 event generator (50 suspend/resume cycles on
    a local and a remote node: 200 lifecycle events), 8 callers x 100 rounds."""
    lv, why = load_binding(bname)
    if lv is None:
        pytest.skip(why)
    for a in ("virEventRegisterDefaultImpl", "virEventRunDefaultImpl"):
        if not hasattr(lv, a):
            pytest.skip(f"virtbind does not bind {a} yet")
    if not hasattr(lv.virConnect, "domainEventRegisterAny"):
        pytest.skip("virtbind does not bind domainEventRegisterAny yet")
    node = tmp_path / "node.xml"
    node.write_text(NODE_XML)
    code = textwrap.dedent(CHILD.format(imp=child_import(bname), threads=THREADS, iters=ITERS,
                                        cycles=EVENT_CYCLES, join_s=JOIN_S))
    p = subprocess.Popen([sys.executable, "-c", code, daemon.uri, daemon.uri_for(str(node)),
                          str(node)], env=binding_env(bname),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=JOIN_S + 60)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        pytest.fail(f"the child hangs\nstdout: {out}\nstderr: {err}")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 0, f"status {p.returncode}\nstdout: {out}\nstderr: {err}"
    r = json.loads(out)
    assert r["hung"] == 0, r
    assert r["failures"] == [] and r["gen_errors"] == [], r
    assert r["counts"] == [ITERS] * THREADS, r
    assert r["wrong_thread"] == 0, r
    assert r["events_ok"] == {"local": True, "remote": True}, r
    assert r["events"] == {"local": 2 * EVENT_CYCLES, "remote": 2 * EVENT_CYCLES}, r


CHURN = """
import gc, os, sys, threading
{imp}
node, CYCLES = sys.argv[1], {cycles}
assert lv.virEventRegisterDefaultImpl() == 0
def loop():
    while True:
        lv.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()
conn = lv.open('test://' + node)
errors, kept, self_fired = [], [], []
def generator():
    try:
        d = conn.lookupByName('ev')
        for _ in range(CYCLES):
            d.suspend()
            d.resume()
    except BaseException as e:
        errors.append(repr(e))
def churn():
    try:
        for i in range(CYCLES):
            cid = conn.domainEventRegisterAny(None, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              lambda c, d, ev, det, op: kept.append(d), i)
            if i % 10 == 0:
                gc.collect()
            conn.domainEventDeregisterAny(cid)
    except BaseException as e:
        errors.append(repr(e))
# a callback that deregisters itself from inside the dispatch
ids = []
def self_dereg(c, d, ev, det, op):
    self_fired.append(ev)
    c.domainEventDeregisterAny(ids[0])
ids.append(conn.domainEventRegisterAny(conn.lookupByName('ev'), lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                       self_dereg, None))
ts = [threading.Thread(target=f, daemon=True) for f in (generator, churn)]
for t in ts:
    t.start()
for t in ts:
    t.join({join_s})
assert not any(t.is_alive() for t in ts), 'deadlock'
assert errors == [], errors
assert len(self_fired) == 1, self_fired
# the domains handed to callbacks outlive their registration and the connection
assert {{d.name() for d in kept}} <= {{'ev'}}
assert conn.close() >= 0
assert {{d.name() for d in kept}} <= {{'ev'}}
del kept[:]
gc.collect()
print('ok', flush=True)
os._exit(0)
"""
CHURN_CYCLES = 300


@pytest.mark.parametrize("bname", BINDINGS)
def test_threads_event_churn(bname, tmp_path):
    """Child: an event-loop thread dispatches lifecycle events from 300
    suspend/resume cycles while another thread registers and deregisters a
    global lifecycle callback 300 times, and a callback deregisters itself
    from inside its dispatch; domains received in callbacks stay usable after
    deregistration and after close()."""
    lv, why = load_binding(bname)
    if lv is None:
        pytest.skip(why)
    for a in ("virEventRegisterDefaultImpl", "virEventRunDefaultImpl"):
        if not hasattr(lv, a):
            pytest.skip(f"virtbind does not bind {a} yet")
    if not hasattr(lv.virConnect, "domainEventRegisterAny"):
        pytest.skip("virtbind does not bind domainEventRegisterAny yet")
    node = tmp_path / "node.xml"
    node.write_text(NODE_XML)
    code = textwrap.dedent(CHURN.format(imp=child_import(bname), cycles=CHURN_CYCLES,
                                        join_s=JOIN_S))
    try:
        r = subprocess.run([sys.executable, "-c", code, str(node)], env=binding_env(bname),
                           capture_output=True, text=True, timeout=JOIN_S + 60)
    except subprocess.TimeoutExpired as e:   # subprocess.run kills the child
        pytest.fail(f"the child hangs\n{e.stderr}")
    assert r.returncode == 0, f"status {r.returncode}\n{r.stdout}\n{r.stderr}"
    assert r.stdout.strip() == "ok"
