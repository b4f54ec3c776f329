/* compiles: a virConnectDomainEventCallback passed to the lifecycle registration */
#include <virtbind/events.h>
#include <stddef.h>

static int onLifecycle(virConnectPtr c, virDomainPtr d, int event, int detail, void *o)
{
    (void)c; (void)d; (void)event; (void)detail; (void)o;
    return 0;
}

int reg(virConnectPtr conn);
int reg(virConnectPtr conn)
{
    return virtbindConnectDomainEventLifecycleRegister(conn, NULL, onLifecycle, NULL, NULL);
}
