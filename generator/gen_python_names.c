/* gen_python_names.c — Python names for libvirt functions, as data.
 *
 * libvirt-python 9.0.0 derives method names with nameFixup() in its
 * generator.py: the first matching prefix rule strips part of the C name and
 * lowercases the first character(s); six exact-match acronym fixes follow.  The
 * tables below reproduce those rules (see docs in
 * /work/shared/compat-libvirt-python.md, section 3); names that are not
 * rule-derived are listed in vbPyExactNames. */
#include "gen_python.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool startsWith(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

typedef struct {
    const char *prefix;  /* matches the start of the C name */
    size_t strip;        /* characters removed from the C name */
    size_t lower;        /* leading characters lowercased afterwards */
} vbPyNameRule;

/* Order matters: the first match wins (as in nameFixup). */
static const vbPyNameRule vbPyNameRules[] = {
    /* creation and lookup move to the parent and keep the object noun */
    { "virNetworkDefine", 3, 1 },
    { "virNetworkCreateXML", 3, 1 },
    { "virNetworkLookup", 3, 1 },
    { "virNetworkPortCreateXML", 10, 1 },
    { "virNetworkPortLookup", 10, 1 },
    { "virInterfaceDefine", 3, 1 },
    { "virInterfaceLookup", 3, 1 },
    { "virSecretDefine", 3, 1 },
    { "virSecretLookup", 3, 1 },
    { "virNWFilterBindingCreate", 3, 3 },
    { "virNWFilterBindingLookup", 3, 3 },
    { "virNWFilterDefine", 3, 3 },
    { "virNWFilterLookup", 3, 3 },
    { "virStoragePoolDefine", 3, 1 },
    { "virStoragePoolCreateXML", 3, 1 },
    { "virStoragePoolLookup", 3, 1 },
    { "virStorageVolDefine", 3, 1 },
    { "virStorageVolLookup", 3, 1 },
    { "virNodeDeviceLookup", 3, 1 },
    { "virNodeDeviceCreateXML", 3, 1 },
    { "virNodeDeviceDefineXML", 3, 1 },
    { "virDomainCheckpointLookupByName", 9, 1 },
    { "virDomainCheckpointCreateXML", 9, 1 },
    { "virDomainSnapshotLookupByName", 9, 1 },
    { "virDomainSnapshotListNames", 9, 1 },
    { "virDomainSnapshotNumChildren", 17, 1 },
    { "virDomainSnapshotNum", 9, 1 },
    { "virDomainSnapshotCreateXML", 9, 1 },
    { "virDomainSnapshotCurrent", 9, 1 },
    /* "Get" kept: only the class prefix goes */
    { "virDomainSnapshot", 17, 1 },
    { "virDomainCheckpoint", 19, 1 },
    /* "Get" stripped */
    { "virDomainGet", 12, 1 },
    { "virDomain", 9, 1 },
    { "virNetworkPortGet", 17, 1 },
    { "virNetworkPort", 14, 1 },
    { "virNetworkGet", 13, 1 },
    { "virNetwork", 10, 1 },
    { "virInterfaceGet", 15, 1 },
    { "virInterface", 12, 1 },
    { "virSecretGet", 12, 1 },
    { "virSecret", 9, 1 },
    { "virNWFilterBindingGet", 21, 1 },
    { "virNWFilterBinding", 18, 1 },
    { "virNWFilterGet", 14, 1 },
    { "virNWFilter", 11, 1 },
    { "virStream", 9, 1 },
    { "virStoragePoolGet", 17, 1 },
    { "virStoragePool", 14, 1 },
    { "virStorageVolGet", 16, 1 },
    { "virStorageVol", 13, 1 },
    { "virNodeDeviceGet", 16, 1 },
    { "virNodeDevice", 13, 1 },
    { "virNode", 7, 1 },
    { "virConnect", 10, 1 },
};

/* Names libvirt-python does not derive from the rules. */
static const struct {
    const char *cname;
    const char *pyname;
} vbPyExactNames[] = {
    /* virtbind_admin's module functions (no libvirt-python precedent) */
    { "virAdmConnectOpen", "open" },
    { "virAdmGetVersion", "getVersion" },
    { "virConnectListAllNodeDevices", "listAllDevices" },
    { "virConnectListDomains", "listDomainsID" },
    { "virDomainFDAssociate", "FDAssociate" },
    { "virDomainFSFreeze", "fsFreeze" },
    { "virDomainFSThaw", "fsThaw" },
    { "virDomainGetCPUStats", "getCPUStats" },
    { "virDomainGetFSInfo", "fsInfo" },
    { "virDomainGetIOThreadInfo", "ioThreadInfo" },
    { "virDomainGetTime", "getTime" },
    { "virDomainListGetStats", "domainListGetStats" },
    { "virGetVersion", "getVersion" },
    { "virSetErrorFunc", "registerErrorHandler" },
    { "virStreamNew", "newStream" },
};

/* Exact-match acronym fixes after lowercasing. */
static const struct {
    const char *from;
    const char *to;
} vbPyPostFixes[] = {
    { "dHCPLeases", "DHCPLeases" },  /* virNetworkGetDHCPLeases */
    { "iD", "ID" },
    { "mACString", "MACString" },
    { "oSType", "OSType" },
    { "uUID", "UUID" },
    { "uUIDString", "UUIDString" },
    { "xMLDesc", "XMLDesc" },
};

/* libvirt-python's functions_noexcept: None (or the raw value) on failure. */
static const char *const vbPyNoExceptNames[] = {
    "virDomainGetID",
    "virDomainGetName",
    "virInterfaceGetName",
    "virNWFilterBindingGetFilterName",
    "virNWFilterBindingGetPortDev",
    "virNWFilterGetName",
    "virNetworkGetName",
    "virNodeDeviceGetName",
    "virNodeDeviceGetParent",
    "virSecretGetUsageID",
    "virSecretGetUsageType",
    "virStoragePoolGetName",
    "virStorageVolGetName",
    "virStorageVolGetkey",
};

/* Functions whose libvirt-python form the generic rules do not give yet:
 * skipped (with this reason) rather than bound with a different shape. */
static const struct {
    const char *cname;
    const char *reason;
} vbPyDeferred[] = {
    /* error plumbing libvirt-python leaves out too: errors are libvirtError
     * exceptions carrying the 9-tuple */
    { "virConnCopyLastError",
      "copies a connection's last error into a caller struct: errors are raised as "
      "libvirtError (its err tuple), and virConnect.virConnGetLastError returns the tuple "
      "(libvirt-python leaves it out too)" },
    { "virConnSetErrorFunc",
      "per-connection C error handler: registerErrorHandler (virSetErrorFunc) covers the "
      "process (libvirt-python leaves it out too)" },
    { "virDefaultErrorFunc",
      "prints an error on stderr in libvirt's format: errors are libvirtError exceptions "
      "(libvirt-python leaves it out too)" },
    { "virFreeError",
      "frees a copied virError: errors are Python tuples, nothing to free "
      "(libvirt-python leaves it out too)" },
    { NULL, NULL },
};

/* Main-API functions virtbind_admin binds too: the default event loop,
 * which close callbacks need.  It creates no virConnect/virAdm* objects
 * (checked: libvirt-admin works after virEventRegisterDefaultImpl). */
static const char *const vbPyAdminAlso[] = {
    "virEventRegisterDefaultImpl",
    "virEventRunDefaultImpl",
};

bool vbPyAdminAlsoBinds(const char *cname)
{
    for (size_t i = 0; i < sizeof(vbPyAdminAlso) / sizeof(vbPyAdminAlso[0]); i++)
        if (strcmp(vbPyAdminAlso[i], cname) == 0)
            return true;
    return false;
}

const char *vbPyDeferredReason(const char *cname)
{
    for (size_t i = 0; vbPyDeferred[i].cname; i++)
        if (strcmp(vbPyDeferred[i].cname, cname) == 0)
            return vbPyDeferred[i].reason;
    return NULL;
}

/* Functions whose libvirt-python result shape is hand-made: the runtime
 * (bindings/python/vbpy_overrides.c) implements them as vbpy_hw_<C name>. */
static const struct {
    const char *cname;
    const char *signature;
    const char *host;   /* when libvirt-python hosts it elsewhere than the model */
} vbPyHandwrittenTable[] = {
    { "virAdmConnectRegisterCloseCallback",
      "registerCloseCallback(cb, opaque) -> 0; cb(conn, reason, opaque) (virtbind_admin)",
      NULL },
    { "virAdmConnectUnregisterCloseCallback", "unregisterCloseCallback() (virtbind_admin)",
      NULL },
    { "virConnectDomainEventDeregister", "domainEventDeregister(cb)", NULL },
    { "virConnectDomainEventRegister",
      "domainEventRegister(cb, opaque); cb(conn, dom, event, detail, opaque)",
      NULL },
    { "virConnectDomainQemuMonitorEventRegister",
      "qemuMonitorEventRegister(conn, dom, event, cb, opaque, flags=0) -> callbackID; "
      "cb(conn, dom, event, seconds, micros, details, opaque)",
      NULL },
    { "virConnectGetAllDomainStats",
      "getAllDomainStats(stats=0, flags=0) -> [(virDomain, {field: value})]",
      NULL },
    { "virConnectOpenAuth",
      "openAuth(uri, auth, flags=0), auth = [credtypes, cb(creds, cbdata), cbdata]",
      NULL },
    { "virConnectRegisterCloseCallback",
      "registerCloseCallback(cb, opaque) -> 0; cb(conn, reason, opaque)",
      NULL },
    { "virConnectUnregisterCloseCallback", "unregisterCloseCallback()", NULL },
    { "virDomainGetBlockJobInfo",
      "blockJobInfo(path, flags=0) -> {'type', 'bandwidth', 'cur', 'end'}",
      NULL },
    { "virDomainGetCPUStats",
      "getCPUStats(total, flags=0) -> [{field: value} per CPU or total]",
      NULL },
    { "virDomainGetDiskErrors", "diskErrors(flags=0) -> {disk: error}", NULL },
    { "virDomainGetEmulatorPinInfo", "emulatorPinInfo(flags=0) -> (bool per host CPU)", NULL },
    { "virDomainGetFSInfo", "fsInfo(flags=0) -> [(mountpoint, name, fstype, [devAlias])]", NULL },
    { "virDomainGetIOThreadInfo",
      "ioThreadInfo(flags=0) -> [(iothread_id, [bool per host CPU])]",
      NULL },
    { "virDomainGetJobStats", "jobStats(flags=0) -> {field: value, 'type': int}", NULL },
    { "virDomainGetSchedulerParameters", "schedulerParameters() -> {field: value}", NULL },
    { "virDomainGetSchedulerParametersFlags",
      "schedulerParametersFlags(flags=0) -> {field: value}",
      NULL },
    { "virDomainGetSecurityLabel", "securityLabel() -> [label, enforcing]", NULL },
    { "virDomainGetSecurityLabelList", "securityLabelList() -> [[label, enforcing], ...]", NULL },
    { "virDomainGetTime", "getTime(flags=0) -> {'seconds': int, 'nseconds': int}", NULL },
    { "virDomainGetVcpuPinInfo", "vcpuPinInfo(flags=0) -> [(bool per host CPU) per vcpu]", NULL },
    { "virDomainGetVcpus",
      "vcpus() -> ([(number, state, cpuTime, cpu) per vcpu], [(bool per host CPU) per vcpu])",
      NULL },
    { "virDomainInterfaceAddresses",
      "interfaceAddresses(source, flags=0) -> {name: {'hwaddr': str, 'addrs': [dict]}}",
      NULL },
    { "virDomainListGetStats",
      "domainListGetStats(doms, stats=0, flags=0) -> [(virDomain, {field: value})]",
      "virConnect" },
    { "virDomainLxcEnterNamespace",
      "lxcEnterNamespace(domain, fdlist, flags) -> [previous namespace fds]",
      NULL },
    { "virDomainLxcEnterSecurityLabel",
      "lxcEnterSecurityLabel(model, label, flags) -> [old label, enforcing]; "
      "model = [model, doi], label = [label, enforcing]",
      NULL },
    { "virDomainMemoryStats", "memoryStats() -> {'actual': int, 'rss': int, ...}", NULL },
    { "virDomainQemuMonitorCommandWithFiles",
      "qemuMonitorCommandWithFiles(domain, cmd, files=[], flags=0) -> (result, [file objects])",
      NULL },
    { "virDomainRevertToSnapshot", "revertToSnapshot(snap, flags=0)", "virDomain" },
    { "virDomainSetTime",
      "setTime(time=None, flags=0), time = {'seconds': int, 'nseconds': int}",
      NULL },
    { "virEventAddHandle",
      "virEventAddHandle(fd, events, cb, opaque) -> watch; cb(watch, fd, events, opaque)",
      NULL },
    { "virEventAddTimeout",
      "virEventAddTimeout(timeout, cb, opaque) -> timer; cb(timer, opaque)",
      NULL },
    { "virEventRegisterImpl",
      "virEventRegisterImpl(addHandle, updateHandle, removeHandle, addTimeout, "
      "updateTimeout, removeTimeout)",
      NULL },
    { "virGetVersion", "getVersion(name=None) -> libVer, or (libVer, typeVer) with a name", NULL },
    { "virNetworkGetDHCPLeases", "DHCPLeases(mac=None, flags=0) -> [dict per lease]", NULL },
    { "virNodeAllocPages",
      "allocPages(pages, startCell=0, cellCount=0, flags=0), pages = {page size: count}",
      NULL },
    { "virNodeGetCPUMap", "getCPUMap(flags=0) -> (ncpus, [online bool per CPU], nonline)", NULL },
    { "virNodeGetCPUStats", "getCPUStats(cpuNum, flags=0) -> {field: value}", NULL },
    { "virNodeGetFreePages",
      "getFreePages(pages, startCell, maxCells, flags=0) -> {cell: {page size: free}}",
      NULL },
    { "virNodeGetInfo",
      "getInfo() -> [model, memory MiB, cpus, mhz, nodes, sockets, cores, threads]",
      NULL },
    { "virNodeGetMemoryStats", "getMemoryStats(cellNum, flags=0) -> {field: value}", NULL },
    { "virNodeGetSecurityModel", "getSecurityModel() -> [model, doi]", NULL },
    { "virSetErrorFunc", "registerErrorHandler(f, ctx) -> 1; f(ctx, err) on each error", NULL },
    { "virStreamEventAddCallback",
      "eventAddCallback(events, cb, opaque); cb(stream, events, opaque)",
      NULL },
    { "virStreamRecv", "recv(nbytes) -> bytes, or -2 when it would block", NULL },
    /* the four *All functions: libvirt-python's pure-Python loops over
     * send/recv (virtbind/_streams.py), not the C functions */
    { "virStreamRecvAll", "recvAll(handler, opaque); handler(stream, data, opaque)", NULL },
    { "virStreamRecvFlags",
      "recvFlags(nbytes, flags=0) -> bytes, or -2 when it would block "
      "(-3 at a hole with VIR_STREAM_RECV_STOP_AT_HOLE)",
      NULL },
    { "virStreamSendAll", "sendAll(handler, opaque); handler(stream, nbytes, opaque) -> bytes",
      NULL },
    { "virStreamSparseRecvAll",
      "sparseRecvAll(handler, holeHandler, opaque); holeHandler(stream, length, opaque)",
      NULL },
    { "virStreamSparseSendAll",
      "sparseSendAll(handler, holeHandler, skipHandler, opaque); "
      "holeHandler(stream, opaque) -> [inData, sectionLen]; skipHandler(stream, length, opaque)",
      NULL },
};

const char *vbPyHandwrittenHost(const char *cname)
{
    for (size_t i = 0; i < sizeof(vbPyHandwrittenTable) / sizeof(vbPyHandwrittenTable[0]); i++)
        if (strcmp(vbPyHandwrittenTable[i].cname, cname) == 0)
            return vbPyHandwrittenTable[i].host;
    return NULL;
}

const char *vbPyHandwritten(const char *cname)
{
    for (size_t i = 0; i < sizeof(vbPyHandwrittenTable) / sizeof(vbPyHandwrittenTable[0]); i++)
        if (strcmp(vbPyHandwrittenTable[i].cname, cname) == 0)
            return vbPyHandwrittenTable[i].signature;
    return NULL;
}

/* Parameters whose libvirt-python name or default differs from the XML's
 * (its hand-written overrides chose them). */
static const struct {
    const char *cname;
    const char *arg;
    const char *pyname;   /* NULL: keep the C name */
    bool has_default;     /* None / 0 when omitted */
} vbPyArgOverrides[] = {
    { "virAdmConnectOpen", "name", NULL, true },   /* "NULL for default": open() */
    { "virConnectGetDomainCapabilities", "arch", NULL, true },
    { "virConnectGetDomainCapabilities", "emulatorbin", NULL, true },
    { "virConnectGetDomainCapabilities", "machine", NULL, true },
    { "virConnectGetDomainCapabilities", "virttype", NULL, true },
    { "virDomainAuthorizedSSHKeysSet", "keys", NULL, true },
    { "virDomainBlockCopy", "params", NULL, true },
    { "virDomainBlockStats", "disk", "path", false },
    { "virDomainBlockStatsFlags", "disk", "path", false },
    { "virDomainFDAssociate", "fds", "files", false },
    { "virDomainFSFreeze", "mountpoints", NULL, true },
    { "virDomainFSThaw", "mountpoints", NULL, true },
    { "virDomainGetBlockInfo", "disk", "path", false },
    { "virDomainGetGuestInfo", "types", NULL, true },
    { "virDomainInterfaceStats", "device", "path", false },
    { "virDomainPinIOThread", "iothread_id", "iothread_val", false },
    { "virDomainSetIOThreadParams", "iothread_id", "iothread_val", false },
};

bool vbPyArgOverride(const char *cname, const char *arg, const char **pyname, bool *has_default)
{
    for (size_t i = 0; i < sizeof(vbPyArgOverrides) / sizeof(vbPyArgOverrides[0]); i++) {
        if (strcmp(vbPyArgOverrides[i].cname, cname) == 0 &&
            strcmp(vbPyArgOverrides[i].arg, arg) == 0) {
            if (vbPyArgOverrides[i].pyname)
                *pyname = vbPyArgOverrides[i].pyname;
            if (vbPyArgOverrides[i].has_default)
                *has_default = true;
            return true;
        }
    }
    return false;
}

/* Accessors libvirt-python's classes have besides the model's parent
 * getters: every class under a connection has connect(); snapshots and
 * checkpoints also have getConnect()/getDomain().  NULL-terminated. */
const vbPyAccessor vbPyAccessors[] = {
    { NULL, "connect", "virConnect" },   /* NULL: every class below virConnect */
    { "virDomainCheckpoint", "getConnect", "virConnect" },
    { "virDomainCheckpoint", "getDomain", "virDomain" },
    { "virDomainSnapshot", "getConnect", "virConnect" },
    { "virDomainSnapshot", "getDomain", "virDomain" },
    { NULL, NULL, NULL },
};

/* Class attributes libvirt-python defines.  NULL-terminated. */
const vbPyClassAttr vbPyClassAttrs[] = {
    { "virStorageVol", "streamBufSize", 262120 },
    { NULL, NULL, 0 },
};

/* Function-like macros with a Python implementation of the same meaning in
 * virtbind/_macros.py (CPU maps are bytes / bytearray / memoryview; a
 * "pointer" result, VIR_GET_CPUMAP, is a memoryview into the maps). */
static const struct {
    const char *name;
    const char *signature;   /* typed, for the stubs */
} vbPyMacroFunctions[] = {
    { "LIBVIR_CHECK_VERSION", "(major: int, minor: int, micro: int) -> bool" },
    { "VIR_COPY_CPUMAP",
      "(cpumaps: bytes | bytearray | memoryview, maplen: int, vcpu: int, "
      "cpumap: bytearray | memoryview) -> None" },
    { "VIR_CPU_MAPLEN", "(cpu: int) -> int" },
    { "VIR_CPU_USABLE",
      "(cpumaps: bytes | bytearray | memoryview, maplen: int, vcpu: int, cpu: int) -> int" },
    { "VIR_CPU_USED", "(cpumap: bytes | bytearray | memoryview, cpu: int) -> int" },
    { "VIR_GET_CPUMAP",
      "(cpumaps: bytes | bytearray | memoryview, maplen: int, vcpu: int) -> memoryview" },
    { "VIR_NODEINFO_MAXCPUS", "(nodeinfo: Any) -> int" },
    { "VIR_UNUSE_CPU", "(cpumap: bytearray | memoryview, cpu: int) -> int" },
    { "VIR_USE_CPU", "(cpumap: bytearray | memoryview, cpu: int) -> int" },
};

const char *vbPyMacroFunction(const char *name)
{
    for (size_t i = 0; i < sizeof(vbPyMacroFunctions) / sizeof(vbPyMacroFunctions[0]); i++)
        if (strcmp(vbPyMacroFunctions[i].name, name) == 0)
            return vbPyMacroFunctions[i].signature;
    return NULL;
}

const char vbPyMacroNoMeaningReason[] = "C cast/struct alias: no Python meaning";
const char vbPyLastReason[] =
    "_LAST sentinel: the highest value of its enum, which grows with libvirt; "
    "left out as in libvirt-python";

/* The *_EVENT_CALLBACK macros cast a callback to the generic callback type;
 * _virBlkioParameter & co. are old struct tags aliasing _virTypedParameter
 * (their raw text names a struct of the model). */
bool vbPyMacroNoMeaning(const vbModel *m, const vbMacro *mc)
{
    size_t n = strlen(mc->name);
    if (mc->nparams == 1 && n > 15 && strcmp(mc->name + n - 15, "_EVENT_CALLBACK") == 0)
        return true;
    if (mc->nparams || !mc->raw || mc->string)
        return false;
    for (size_t i = 0; i < m->nstructs; i++) {
        const char *t = m->structs[i].type;
        if (t && startsWith(t, "struct ") && strcmp(t + 7, mc->raw) == 0)
            return true;
    }
    return false;
}

bool vbPyVisibleCount(const char *cname, const char *arg)
{
    return strcmp(cname, "virDomainSendKey") == 0 && strcmp(arg, "nkeycodes") == 0;
}

bool vbPyNoExcept(const char *cname)
{
    for (size_t i = 0; i < sizeof(vbPyNoExceptNames) / sizeof(vbPyNoExceptNames[0]); i++)
        if (strcmp(vbPyNoExceptNames[i], cname) == 0)
            return true;
    return false;
}

static char *lowerFirst(const char *s, size_t n)
{
    char *r = strdup(s);
    if (!r)
        abort();
    for (size_t i = 0; i < n && r[i]; i++)
        r[i] = (char)tolower((unsigned char)r[i]);
    return r;
}

static char *postFix(char *name)
{
    for (size_t i = 0; i < sizeof(vbPyPostFixes) / sizeof(vbPyPostFixes[0]); i++) {
        if (strcmp(name, vbPyPostFixes[i].from) == 0) {
            free(name);
            name = strdup(vbPyPostFixes[i].to);
            if (!name)
                abort();
            break;
        }
    }
    return name;
}

/* libvirt_qemu / libvirt_lxc: module functions named from "Qemu"/"Lxc" on
 * (virDomainQemuMonitorCommand -> qemuMonitorCommand). */
static char *vbPyAddonName(const char *cname)
{
    const char *p = strstr(cname, "Qemu");
    if (!p)
        p = strstr(cname, "Lxc");
    return lowerFirst(p ? p : cname, 1);
}

char *vbPyMethodName(const vbModel *m, int fn, int host)
{
    const vbFunction *f = &m->functions[fn];
    const char *name = f->name;
    for (size_t i = 0; i < sizeof(vbPyExactNames) / sizeof(vbPyExactNames[0]); i++) {
        if (strcmp(vbPyExactNames[i].cname, name) == 0) {
            char *r = strdup(vbPyExactNames[i].pyname);
            if (!r)
                abort();
            return r;
        }
    }
    if (f->src == VB_SRC_QEMU || f->src == VB_SRC_LXC)
        return vbPyAddonName(name);
    const char *cls = host >= 0 ? m->classes[host].name : NULL;
    if (f->src == VB_SRC_ADMIN) {
        /* no libvirt-python precedent: strip the host class, keep the rest */
        if (cls && startsWith(name, cls))
            return postFix(lowerFirst(name + strlen(cls), 1));
        return lowerFirst(name, 0);
    }
    /* <Class>List... strips the class */
    if (cls) {
        size_t l = strlen(cls);
        if (strncmp(name, cls, l) == 0 && startsWith(name + l, "List"))
            return postFix(lowerFirst(name + l, 1));
    }
    for (size_t i = 0; i < sizeof(vbPyNameRules) / sizeof(vbPyNameRules[0]); i++) {
        if (startsWith(name, vbPyNameRules[i].prefix))
            return postFix(lowerFirst(name + vbPyNameRules[i].strip, vbPyNameRules[i].lower));
    }
    return lowerFirst(name, 0);
}

char *vbPyGetterName(const vbModel *m, int fn)
{
    const vbFunction *f = &m->functions[fn];
    const char *p = f->name;
    if (f->cls >= 0 && startsWith(p, m->classes[f->cls].name))
        p += strlen(m->classes[f->cls].name);
    if (startsWith(p, "Get"))
        p += 3;
    return lowerFirst(p, 1);
}
