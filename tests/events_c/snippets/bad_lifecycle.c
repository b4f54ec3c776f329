/* must NOT compile: a reboot-shaped (virConnectDomainEventGenericCallback)
 * function passed to the lifecycle registration */
#include <virtbind/events.h>
#include <stddef.h>

static void onReboot(virConnectPtr c, virDomainPtr d, void *o)
{
    (void)c; (void)d; (void)o;
}

int reg(virConnectPtr conn);
int reg(virConnectPtr conn)
{
    return virtbindConnectDomainEventLifecycleRegister(conn, NULL, onReboot, NULL, NULL);
}
