/* compiles: a virConnectDomainEventGenericCallback passed to the reboot registration */
#include <virtbind/events.h>
#include <stddef.h>

static void onReboot(virConnectPtr c, virDomainPtr d, void *o)
{
    (void)c; (void)d; (void)o;
}

int reg(virConnectPtr conn);
int reg(virConnectPtr conn)
{
    return virtbindConnectDomainEventRebootRegister(conn, NULL, onReboot, NULL, NULL);
}
