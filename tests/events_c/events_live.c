/* events_live.c — typed event registration (virtbind/events.h) against the
 * test driver with libvirt's default event loop: domain, network, storage
 * pool and node device lifecycle events (plus pool refresh), detail values
 * checked, the free callback firing exactly once on deregistration, and
 * secret registration refused cleanly (the test driver has no secrets).  The loop is bounded by iterations (a 10 ms timer wakes
 * virEventRunDefaultImpl), never by wall-clock time. */
#include <virtbind/events.h>
#include <virtbind/typedparams.h>

#include <libvirt/virterror.h>
#include <string.h>

#include "vbt.h"

#define MAX_ITER 200
#define MAX_EVENTS 16

typedef struct {
    int n;
    int event[MAX_EVENTS];
    int detail[MAX_EVENTS];
    char name[MAX_EVENTS][64];
    int frees;
} recorder;

static void record(recorder *r, const char *name, int event, int detail)
{
    if (r->n >= MAX_EVENTS)
        return;
    r->event[r->n] = event;
    r->detail[r->n] = detail;
    snprintf(r->name[r->n], sizeof(r->name[r->n]), "%s", name ? name : "");
    r->n++;
}

static void freeRecorder(void *opaque)
{
    ((recorder *)opaque)->frees++;
}

/* virConnectDomainEventCallback returns int (ignored by libvirt) */
static int onDomain(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    (void)conn;
    record(opaque, virDomainGetName(dom), event, detail);
    return 0;
}

static void onNetwork(virConnectPtr conn, virNetworkPtr net, int event, int detail, void *opaque)
{
    (void)conn;
    record(opaque, virNetworkGetName(net), event, detail);
}

static void onPool(virConnectPtr conn, virStoragePoolPtr pool, int event, int detail,
                   void *opaque)
{
    (void)conn;
    record(opaque, virStoragePoolGetName(pool), event, detail);
}

static void onPoolRefresh(virConnectPtr conn, virStoragePoolPtr pool, void *opaque)
{
    (void)conn;
    record(opaque, virStoragePoolGetName(pool), -1, -1);
}

static void onSecret(virConnectPtr conn, virSecretPtr secret, int event, int detail,
                     void *opaque)
{
    (void)conn;
    record(opaque, virSecretGetUsageID(secret), event, detail);
}

static void onSecretValue(virConnectPtr conn, virSecretPtr secret, void *opaque)
{
    (void)conn;
    record(opaque, virSecretGetUsageID(secret), -1, -1);
}

static void tick(int timer, void *opaque)
{
    (void)timer;
    (void)opaque;
}

static void quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

/* run the loop until R holds WANT events or MAX_ITER iterations passed */
static int pump(recorder *r, int want)
{
    int i;
    for (i = 0; i < MAX_ITER && r->n < want; i++) {
        if (virEventRunDefaultImpl() < 0)
            return -1;
    }
    return i;
}

static bool expect(const recorder *r, const int (*ev)[2], int n, const char *name)
{
    if (r->n != n)
        return false;
    for (int i = 0; i < n; i++) {
        if (r->event[i] != ev[i][0] || r->detail[i] != ev[i][1] || strcmp(r->name[i], name) != 0)
            return false;
    }
    return true;
}

static void describe(const recorder *r)
{
    for (int i = 0; i < r->n; i++)
        vbtDiag("  event %d detail %d on %s", r->event[i], r->detail[i], r->name[i]);
}

static void testDomain(virConnectPtr conn)
{
    recorder r = {0};
    int id = virtbindConnectDomainEventLifecycleRegister(conn, NULL, onDomain, &r, freeRecorder);
    vbtOk(id >= 0, "domain: lifecycle registered (id %d)", id);
    virDomainPtr dom = virDomainDefineXML(conn,
        "<domain type='test'><name>vbt-ev</name><memory>8192</memory>"
        "<os><type>hvm</type></os></domain>");
    bool ok = dom && virDomainCreate(dom) == 0 && virDomainDestroy(dom) == 0 &&
              virDomainUndefine(dom) == 0;
    vbtOk(ok, "domain: define, start, destroy, undefine");
    int iters = pump(&r, 4);
    static const int want[][2] = {
        { VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_ADDED },
        { VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED },
        { VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED },
        { VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED },
    };
    if (!vbtOk(expect(&r, want, 4, "vbt-ev"),
               "domain: DEFINED/ADDED, STARTED/BOOTED, STOPPED/DESTROYED, UNDEFINED/REMOVED "
               "(%d events after %d iterations)", r.n, iters))
        describe(&r);
    if (dom)
        virDomainFree(dom);
    vbtOk(r.frees == 0, "domain: free callback not called while registered");
    vbtOk(virtbindConnectDomainEventLifecycleDeregister(conn, id) == 0,
          "domain: lifecycle deregistered");
    for (int i = 0; i < 5 && r.frees == 0; i++)
        virEventRunDefaultImpl();
    vbtOk(r.frees == 1, "domain: free callback called once on deregistration (%d)", r.frees);
    vbtOk(virtbindConnectDomainEventLifecycleDeregister(conn, id) < 0 && r.frees == 1,
          "domain: second deregistration fails, no second free");
}

static void testNetwork(virConnectPtr conn)
{
    recorder r = {0};
    int id = virtbindConnectNetworkEventLifecycleRegister(conn, NULL, onNetwork, &r, freeRecorder);
    vbtOk(id >= 0, "network: lifecycle registered");
    virNetworkPtr net = virNetworkDefineXML(conn,
        "<network><name>vbt-net</name><bridge name='vbtbr0'/></network>");
    bool ok = net && virNetworkCreate(net) == 0 && virNetworkDestroy(net) == 0 &&
              virNetworkUndefine(net) == 0;
    vbtOk(ok, "network: define, start, destroy, undefine (%s)",
          ok ? "ok" : virGetLastErrorMessage());
    int iters = pump(&r, 4);
    static const int want[][2] = {
        { VIR_NETWORK_EVENT_DEFINED, 0 },
        { VIR_NETWORK_EVENT_STARTED, 0 },
        { VIR_NETWORK_EVENT_STOPPED, 0 },
        { VIR_NETWORK_EVENT_UNDEFINED, 0 },
    };
    if (!vbtOk(expect(&r, want, 4, "vbt-net"),
               "network: DEFINED, STARTED, STOPPED, UNDEFINED (%d events, %d iterations)", r.n,
               iters))
        describe(&r);
    if (net)
        virNetworkFree(net);
    virtbindConnectNetworkEventLifecycleDeregister(conn, id);
    for (int i = 0; i < 5 && r.frees == 0; i++)
        virEventRunDefaultImpl();
    vbtOk(r.frees == 1, "network: free callback called once");
}

static void testPool(virConnectPtr conn)
{
    recorder r = {0}, refresh = {0};
    int id = virtbindConnectStoragePoolEventLifecycleRegister(conn, NULL, onPool, &r, NULL);
    int rid = virtbindConnectStoragePoolEventRefreshRegister(conn, NULL, onPoolRefresh, &refresh,
                                                             NULL);
    vbtOk(id >= 0 && rid >= 0, "pool: lifecycle and refresh registered");
    virStoragePoolPtr pool = virStoragePoolDefineXML(conn,
        "<pool type='dir'><name>vbt-pool</name><target><path>/vbt-pool</path></target></pool>",
        0);
    bool ok = pool && virStoragePoolCreate(pool, 0) == 0 && virStoragePoolRefresh(pool, 0) == 0 &&
              virStoragePoolDestroy(pool) == 0 && virStoragePoolUndefine(pool) == 0;
    vbtOk(ok, "pool: define, start, refresh, destroy, undefine (%s)",
          ok ? "ok" : virGetLastErrorMessage());
    int iters = pump(&r, 4);
    pump(&refresh, 1);
    static const int want[][2] = {
        { VIR_STORAGE_POOL_EVENT_DEFINED, 0 },
        { VIR_STORAGE_POOL_EVENT_STARTED, 0 },
        { VIR_STORAGE_POOL_EVENT_STOPPED, 0 },
        { VIR_STORAGE_POOL_EVENT_UNDEFINED, 0 },
    };
    if (!vbtOk(expect(&r, want, 4, "vbt-pool"),
               "pool: DEFINED, STARTED, STOPPED, UNDEFINED (%d events, %d iterations)", r.n, iters))
        describe(&r);
    vbtOk(refresh.n == 1 && strcmp(refresh.name[0], "vbt-pool") == 0,
          "pool: one refresh event through the generic callback type");
    if (pool)
        virStoragePoolFree(pool);
    vbtOk(virtbindConnectStoragePoolEventLifecycleDeregister(conn, id) == 0 &&
              virtbindConnectStoragePoolEventRefreshDeregister(conn, rid) == 0,
          "pool: deregistered");
}

/* test:///default has no secret driver: registration is refused, and the
 * typed function passes libvirt's error through without calling freecb. */
static void testSecret(virConnectPtr conn)
{
    recorder r = {0};
    int id = virtbindConnectSecretEventLifecycleRegister(conn, NULL, onSecret, &r, freeRecorder);
    virErrorPtr e = virGetLastError();
    vbtOk(id == -1 && e && e->code == VIR_ERR_NO_SUPPORT,
          "secret: lifecycle registration refused by the test driver (no secret driver)");
    id = virtbindConnectSecretEventValueChangedRegister(conn, NULL, onSecretValue, &r,
                                                        freeRecorder);
    vbtOk(id == -1, "secret: value-changed registration refused likewise");
    vbtOk(r.frees == 0 && r.n == 0, "secret: no callback and no free for a refused registration");
}

static void onNodeDev(virConnectPtr conn, virNodeDevicePtr dev, int event, int detail,
                      void *opaque)
{
    (void)conn;
    (void)dev;
    /* the name of a created vHBA is chosen by the driver: record only the events */
    record(opaque, "nodedev", event, detail);
}

static void testNodeDevice(virConnectPtr conn)
{
    recorder r = {0};
    int id = virtbindConnectNodeDeviceEventLifecycleRegister(conn, NULL, onNodeDev, &r,
                                                             freeRecorder);
    vbtOk(id >= 0, "nodedev: lifecycle registered");
    virNodeDevicePtr dev = virNodeDeviceCreateXML(conn,
        "<device><parent>scsi_host1</parent><capability type='scsi_host'>"
        "<capability type='fc_host'><wwnn>2000000012341234</wwnn>"
        "<wwpn>1000000012341234</wwpn></capability></capability></device>", 0);
    bool ok = dev && virNodeDeviceDestroy(dev) == 0;
    vbtOk(ok, "nodedev: create and destroy a vHBA (%s)", ok ? "ok" : virGetLastErrorMessage());
    int iters = pump(&r, 2);
    static const int want[][2] = {
        { VIR_NODE_DEVICE_EVENT_CREATED, 0 },
        { VIR_NODE_DEVICE_EVENT_DELETED, 0 },
    };
    if (!vbtOk(expect(&r, want, 2, "nodedev"),
               "nodedev: CREATED, DELETED (%d events, %d iterations)", r.n, iters))
        describe(&r);
    if (dev)
        virNodeDeviceFree(dev);
    virtbindConnectNodeDeviceEventLifecycleDeregister(conn, id);
    for (int i = 0; i < 5 && r.frees == 0; i++)
        virEventRunDefaultImpl();
    vbtOk(r.frees == 1, "nodedev: free callback called once");
}

static void onTunable(virConnectPtr conn, virDomainPtr dom,
                      const virtbindDomainTunableParams *params, void *opaque)
{
    (void)conn;
    record(opaque, virDomainGetName(dom), params->cpu_vcpupin_count > 0, params->nextra);
}

static void onJobDone(virConnectPtr conn, virDomainPtr dom,
                      const virtbindDomainJobStatsParams *params, void *opaque)
{
    (void)conn;
    record(opaque, virDomainGetName(dom), params->success_set, params->nextra);
}

/* typed-parameter events with unpacking trampolines: the test driver emits
 * neither tunable nor job-completed events, so only (de)registration and
 * the free-callback chain are checked */
static void testParamsEvents(virConnectPtr conn)
{
    recorder r = {0};
    int id = virtbindConnectDomainEventTunableParamsRegister(conn, NULL, onTunable, &r,
                                                             freeRecorder);
    int jid = virtbindConnectDomainEventJobCompletedParamsRegister(conn, NULL, onJobDone, &r,
                                                                   freeRecorder);
    vbtOk(id >= 0 && jid >= 0, "params events: tunable and job-completed (unpacking) registered");
    vbtOk(virtbindConnectDomainEventTunableDeregister(conn, id) == 0 &&
              virtbindConnectDomainEventJobCompletedDeregister(conn, jid) == 0,
          "params events: deregistered");
    for (int i = 0; i < 5 && r.frees < 2; i++)
        virEventRunDefaultImpl();
    vbtOk(r.frees == 2 && r.n == 0, "params events: the caller's free callback ran once each (%d)",
          r.frees);
}

int main(void)
{
    virSetErrorFunc(NULL, quiet);
    if (!vbtOk(virEventRegisterDefaultImpl() == 0, "default event loop registered"))
        return vbtDone();
    int timer = virEventAddTimeout(10, tick, NULL, NULL);
    vbtOk(timer >= 0, "10 ms wake-up timer");
    virConnectPtr conn = virConnectOpen("test:///default");
    if (!vbtOk(conn != NULL, "open test:///default"))
        return vbtDone();
    vbtOk(VIRTBIND_EVENT_NIDS == 34, "%d typed event registrations generated", VIRTBIND_EVENT_NIDS);
    testDomain(conn);
    testNetwork(conn);
    testPool(conn);
    testSecret(conn);
    testNodeDevice(conn);
    testParamsEvents(conn);
    virConnectClose(conn);
    virEventRemoveTimeout(timer);
    return vbtDone();
}
