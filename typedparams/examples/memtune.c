/* memtune.c — libvirtbind example: read and change a domain's memory
 * tunables through the typed struct, and watch its lifecycle events through
 * a typed registration.
 *
 *   cc memtune.c $(pkg-config --cflags --libs virtbind) -o memtune
 *   ./memtune [URI [DOMAIN]]        (default: test:///default test)
 */
#include <virtbind/events.h>
#include <virtbind/typedparams.h>

#include <stdio.h>

static int onLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    (void)conn;
    (void)opaque;
    printf("event: %s event %d detail %d\n", virDomainGetName(dom), event, detail);
    return 0;
}

static int seen;

static int onLifecycle2(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    seen++;
    return onLifecycle(conn, dom, event, detail, opaque);
}

/* wakes the event loop every 10 ms so that it never blocks for good */
static void tick(int timer, void *opaque)
{
    (void)timer;
    (void)opaque;
}

static void show(const char *when, const virtbindDomainMemoryParams *p)
{
    printf("%s:", when);
    if (p->hard_limit_set)
        printf(" hard_limit=%llu", p->hard_limit);
    if (p->soft_limit_set)
        printf(" soft_limit=%llu", p->soft_limit);
    if (p->swap_hard_limit_set)
        printf(" swap_hard_limit=%llu", p->swap_hard_limit);
    if (p->min_guarantee_set)
        printf(" min_guarantee=%llu", p->min_guarantee);
    printf(" (+%d unknown)\n", p->nextra);
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "test:///default";
    const char *name = argc > 2 ? argv[2] : "test";
    int rc = 1;

    virEventRegisterDefaultImpl();
    virConnectPtr conn = virConnectOpen(uri);
    if (!conn)
        return 1;
    virDomainPtr dom = virDomainLookupByName(conn, name);
    if (!dom)
        goto out;

    int timer = virEventAddTimeout(10, tick, NULL, NULL);
    int cb = virtbindConnectDomainEventLifecycleRegister(conn, dom, onLifecycle2, NULL, NULL);

    virtbindDomainMemoryParams mem = {0};
    if (virtbindDomainGetMemoryParameters(dom, &mem, 0) < 0)
        goto out;
    show("before", &mem);
    virtbindDomainMemoryParamsClear(&mem);

    virtbindDomainMemoryParams change = {0};
    change.soft_limit = 262144;   /* KiB */
    change.soft_limit_set = true;
    if (virtbindDomainSetMemoryParameters(dom, &change, 0) < 0)
        goto out;
    if (virtbindDomainGetMemoryParameters(dom, &mem, 0) < 0)
        goto out;
    show("after", &mem);
    virtbindDomainMemoryParamsClear(&mem);

    if (virDomainSuspend(dom) == 0 && virDomainResume(dom) == 0) {
        for (int i = 0; i < 100 && seen < 2; i++)
            virEventRunDefaultImpl();   /* SUSPENDED, then RESUMED */
    }
    if (cb >= 0)
        virtbindConnectDomainEventLifecycleDeregister(conn, cb);
    if (timer >= 0)
        virEventRemoveTimeout(timer);
    rc = 0;
out:
    if (dom)
        virDomainFree(dom);
    virConnectClose(conn);
    return rc;
}
