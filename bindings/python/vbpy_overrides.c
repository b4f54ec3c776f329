/* vbpy_overrides.c — hand-written stubs for the few functions whose
 * libvirt-python result shape cannot be derived from the model (values
 * rescaled, fields picked, dicts).  The generator lists them in
 * generator/gen_python_names.c (vbPyHandwrittenTable) and binds vbpy_hw_<C
 * name>; each follows the generated stubs' pattern: parse, resolve, call
 * with the GIL released, copy the error on failure, convert. */
#include "vbpy_runtime.h"

#include <string.h>

/* The prologue of every hand-written stub taking only flags=0: parse the
 * arguments, take self's pointer, convert flags (in that order, with their
 * usual exceptions).  self's C pointer, or NULL with an exception. */
static void *vbpyFlagsOnly(const char *name, PyObject *self, PyObject *const *args,
                           Py_ssize_t nargs, PyObject *kwnames, unsigned int *flags)
{
    static const char *const kwlist[] = { "flags", NULL };
    PyObject *argv[1];
    *flags = 0;
    if (vbpyParseArgs(name, args, nargs, kwnames, kwlist, 1, 0, argv) < 0)
        return NULL;
    void *ptr = vbpySelf(self);
    if (!ptr || vbpyToUInt(argv[0], "flags", flags) < 0)
        return NULL;
    return ptr;
}

/* getVersion(name=None): libVer, or (libVer, typeVer) when name is given. */
VBPY_HW(virGetVersion)
{
    (void)self;
    static const char *const kwlist[] = { "name", NULL };
    PyObject *argv[1];
    if (vbpyParseArgs("getVersion", args, nargs, kwnames, kwlist, 1, 0, argv) < 0)
        return NULL;
    const char *c_name;
    if (vbpyToString(argv[0], "name", true, &c_name) < 0)
        return NULL;
    __typeof__(virGetVersion) *fn = VBPY_RESOLVE_NAMED(virGetVersion);
    if (!fn)
        return NULL;
    unsigned long libVer = 0, typeVer = 0;
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(&libVer, c_name, c_name ? &typeVer : NULL), ret == -1);
    if (ret == -1)
        return vbpyErrRaise(&err, "virGetVersion");
    if (!c_name)
        return PyLong_FromUnsignedLong(libVer);
    return Py_BuildValue("(kk)", libVer, typeVer);
}

/* conn.getInfo(): [model, memory in MiB, cpus, mhz, nodes, sockets, cores,
 * threads] — libvirt reports memory in KiB. */
VBPY_HW(virNodeGetInfo)
{
    if (vbpyParseArgs("getInfo", args, nargs, kwnames, NULL, 0, 0, NULL) < 0)
        return NULL;
    virConnectPtr conn = vbpySelf(self);
    if (!conn)
        return NULL;
    __typeof__(virNodeGetInfo) *fn = VBPY_RESOLVE_NAMED(virNodeGetInfo);
    if (!fn)
        return NULL;
    virNodeInfo info;
    memset(&info, 0, sizeof(info));
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(conn, &info), ret == -1);
    if (ret == -1)
        return vbpyErrRaise(&err, "virNodeGetInfo");
    return Py_BuildValue("[sklkkkkk]", info.model, info.memory >> 10, (long)info.cpus,
                         (unsigned long)info.mhz, (unsigned long)info.nodes,
                         (unsigned long)info.sockets, (unsigned long)info.cores,
                         (unsigned long)info.threads);
}

/* conn.getSecurityModel(): [model, doi] */
VBPY_HW(virNodeGetSecurityModel)
{
    if (vbpyParseArgs("getSecurityModel", args, nargs, kwnames, NULL, 0, 0, NULL) < 0)
        return NULL;
    virConnectPtr conn = vbpySelf(self);
    if (!conn)
        return NULL;
    __typeof__(virNodeGetSecurityModel) *fn = VBPY_RESOLVE_NAMED(virNodeGetSecurityModel);
    if (!fn)
        return NULL;
    virSecurityModel model;
    memset(&model, 0, sizeof(model));
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(conn, &model), ret == -1);
    if (ret == -1)
        return vbpyErrRaise(&err, "virNodeGetSecurityModel");
    return Py_BuildValue("[ss]", model.model, model.doi);
}

/* dom.securityLabel(): [label, enforcing (bool)] */
VBPY_HW(virDomainGetSecurityLabel)
{
    if (vbpyParseArgs("securityLabel", args, nargs, kwnames, NULL, 0, 0, NULL) < 0)
        return NULL;
    virDomainPtr dom = vbpySelf(self);
    if (!dom)
        return NULL;
    __typeof__(virDomainGetSecurityLabel) *fn = VBPY_RESOLVE_NAMED(virDomainGetSecurityLabel);
    if (!fn)
        return NULL;
    virSecurityLabel label;
    memset(&label, 0, sizeof(label));
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(dom, &label), ret == -1);
    if (ret == -1)
        return vbpyErrRaise(&err, "virDomainGetSecurityLabel");
    return Py_BuildValue("[sO]", label.label, label.enforcing ? Py_True : Py_False);
}

/* dom.getTime(flags=0): {'seconds': int, 'nseconds': int} */
VBPY_HW(virDomainGetTime)
{
    unsigned int flags;
    virDomainPtr dom = vbpyFlagsOnly("getTime", self, args, nargs, kwnames, &flags);
    if (!dom)
        return NULL;
    __typeof__(virDomainGetTime) *fn = VBPY_RESOLVE_NAMED(virDomainGetTime);
    if (!fn)
        return NULL;
    long long seconds = 0;
    unsigned int nseconds = 0;
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(dom, &seconds, &nseconds, flags), ret == -1);
    if (ret == -1)
        return vbpyErrRaise(&err, "virDomainGetTime");
    return Py_BuildValue("{s:L,s:I}", "seconds", seconds, "nseconds", nseconds);
}

/* dom.memoryStats(): {tag name: value} with libvirt-python's tag names. */
VBPY_HW(virDomainMemoryStats)
{
    static const char *const tags[VIR_DOMAIN_MEMORY_STAT_NR] = {
        [VIR_DOMAIN_MEMORY_STAT_SWAP_IN] = "swap_in",
        [VIR_DOMAIN_MEMORY_STAT_SWAP_OUT] = "swap_out",
        [VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT] = "major_fault",
        [VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT] = "minor_fault",
        [VIR_DOMAIN_MEMORY_STAT_UNUSED] = "unused",
        [VIR_DOMAIN_MEMORY_STAT_AVAILABLE] = "available",
        [VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON] = "actual",
        [VIR_DOMAIN_MEMORY_STAT_RSS] = "rss",
        [VIR_DOMAIN_MEMORY_STAT_USABLE] = "usable",
        [VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE] = "last_update",
        [VIR_DOMAIN_MEMORY_STAT_DISK_CACHES] = "disk_caches",
        [VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC] = "hugetlb_pgalloc",
        [VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL] = "hugetlb_pgfail",
    };
    if (vbpyParseArgs("memoryStats", args, nargs, kwnames, NULL, 0, 0, NULL) < 0)
        return NULL;
    virDomainPtr dom = vbpySelf(self);
    if (!dom)
        return NULL;
    __typeof__(virDomainMemoryStats) *fn = VBPY_RESOLVE_NAMED(virDomainMemoryStats);
    if (!fn)
        return NULL;
    virDomainMemoryStatStruct stats[VIR_DOMAIN_MEMORY_STAT_NR];
    memset(stats, 0, sizeof(stats));
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(dom, stats, VIR_DOMAIN_MEMORY_STAT_NR, 0), n == -1);
    if (n == -1)
        return vbpyErrRaise(&err, "virDomainMemoryStats");
    if (n > VIR_DOMAIN_MEMORY_STAT_NR)
        n = VIR_DOMAIN_MEMORY_STAT_NR;   /* never past the array */
    PyObject *d = PyDict_New();
    for (int i = 0; d && i < n; i++) {
        int tag = stats[i].tag;
        if (tag < 0 || tag >= VIR_DOMAIN_MEMORY_STAT_NR || !tags[tag])
            continue;   /* a tag newer than this module */
        PyObject *v = PyLong_FromUnsignedLongLong(stats[i].val);
        if (!v || PyDict_SetItemString(d, tags[tag], v) < 0)
            Py_CLEAR(d);
        Py_XDECREF(v);
    }
    return d;
}

/* dom.setTime(time=None, flags=0): time = {'seconds': int, 'nseconds': int},
 * nseconds optional. */
VBPY_HW(virDomainSetTime)
{
    static const char *const kwlist[] = { "time", "flags", NULL };
    PyObject *argv[2];
    if (vbpyParseArgs("setTime", args, nargs, kwnames, kwlist, 2, 0, argv) < 0)
        return NULL;
    virDomainPtr dom = vbpySelf(self);
    if (!dom)
        return NULL;
    if (!argv[0] || !PyDict_Check(argv[0])) {
        PyErr_Format(PyExc_TypeError, "argument 'time' must be dict, not %.100s",
                     argv[0] ? Py_TYPE(argv[0])->tp_name : "None");
        return NULL;
    }
    PyObject *py_seconds = PyDict_GetItemString(argv[0], "seconds");   /* borrowed */
    PyObject *py_nseconds = PyDict_GetItemString(argv[0], "nseconds");
    if (!py_seconds) {
        PyErr_SetString(PyExc_KeyError, "time: missing 'seconds'");
        return NULL;
    }
    long long seconds;
    unsigned int nseconds, flags;
    if (vbpyToLLong(py_seconds, "seconds", &seconds) < 0 ||
        vbpyToUInt(py_nseconds, "nseconds", &nseconds) < 0 ||
        vbpyToUInt(argv[1], "flags", &flags) < 0)
        return NULL;
    __typeof__(virDomainSetTime) *fn = VBPY_RESOLVE_NAMED(virDomainSetTime);
    if (!fn)
        return NULL;
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(dom, seconds, nseconds, flags), ret == -1);
    if (ret == -1)
        return vbpyErrRaise(&err, "virDomainSetTime");
    return PyLong_FromLong(ret);
}

/* ------------------------------------------------------------- CPU maps */

/* The domain's vCPU count (virDomainGetInfo), -1 with an exception. */
static int vbpyDomainVcpus(virDomainPtr dom)
{
    __typeof__(virDomainGetInfo) *fn = VBPY_RESOLVE_NAMED(virDomainGetInfo);
    if (!fn)
        return -1;
    virDomainInfo info;
    memset(&info, 0, sizeof(info));
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(dom, &info), ret == -1);
    if (ret == -1) {
        vbpyErrRaise(&err, "virDomainGetInfo");
        return -1;
    }
    return (int)info.nrVirtCpu;
}

/* [tuple of ncpus bools per map] for n maps of maplen bytes. */
static PyObject *vbpyCpumapList(const unsigned char *maps, int n, int maplen, int ncpus)
{
    PyObject *list = PyList_New(n);
    for (int i = 0; list && i < n; i++) {
        PyObject *t = vbpyCpumapTuple(maps + (size_t)i * (size_t)maplen, ncpus);
        if (!t) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, i, t);
    }
    return list;
}

/* dom.vcpus(): ([(number, state, cpuTime, cpu)], [(bool per host CPU)]) */
VBPY_HW(virDomainGetVcpus)
{
    if (vbpyParseArgs("vcpus", args, nargs, kwnames, NULL, 0, 0, NULL) < 0)
        return NULL;
    virDomainPtr dom = vbpySelf(self);
    if (!dom)
        return NULL;
    __typeof__(virDomainGetVcpus) *fn = VBPY_RESOLVE_NAMED(virDomainGetVcpus);
    if (!fn)
        return NULL;
    int ncpus = vbpyHostCPUs(self), nvcpus;
    if (ncpus < 0 || (nvcpus = vbpyDomainVcpus(dom)) < 0)
        return NULL;
    int maplen = VIR_CPU_MAPLEN(ncpus);
    virVcpuInfoPtr info = calloc(nvcpus ? (size_t)nvcpus : 1, sizeof(*info));
    unsigned char *maps = calloc(nvcpus ? (size_t)nvcpus * (size_t)maplen : 1, 1);
    if (!info || !maps) {
        free(info);
        free(maps);
        return PyErr_NoMemory();
    }
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(dom, info, nvcpus, maps, maplen), n == -1);
    PyObject *r = NULL;
    if (n > nvcpus)
        n = nvcpus;   /* the arrays hold nvcpus entries */
    if (n == -1) {
        vbpyErrRaise(&err, "virDomainGetVcpus");
    } else {
        PyObject *infos = PyList_New(n);
        for (int i = 0; infos && i < n; i++) {
            PyObject *t = Py_BuildValue("(IiKi)", info[i].number, info[i].state,
                                        (unsigned long long)info[i].cpuTime, info[i].cpu);
            if (!t) {
                Py_CLEAR(infos);
                break;
            }
            PyList_SET_ITEM(infos, i, t);
        }
        PyObject *m = infos ? vbpyCpumapList(maps, n, maplen, ncpus) : NULL;
        if (infos && m)
            r = Py_BuildValue("(NN)", infos, m);
        else {
            Py_XDECREF(infos);
            Py_XDECREF(m);
        }
    }
    free(info);
    free(maps);
    return r;
}

/* dom.vcpuPinInfo(flags=0): [(bool per host CPU) per vcpu] */
VBPY_HW(virDomainGetVcpuPinInfo)
{
    unsigned int flags;
    virDomainPtr dom = vbpyFlagsOnly("vcpuPinInfo", self, args, nargs, kwnames, &flags);
    if (!dom)
        return NULL;
    __typeof__(virDomainGetVcpuPinInfo) *fn = VBPY_RESOLVE_NAMED(virDomainGetVcpuPinInfo);
    if (!fn)
        return NULL;
    int ncpus = vbpyHostCPUs(self), nvcpus;
    if (ncpus < 0 || (nvcpus = vbpyDomainVcpus(dom)) < 0)
        return NULL;
    int maplen = VIR_CPU_MAPLEN(ncpus);
    unsigned char *maps = calloc(nvcpus ? (size_t)nvcpus * (size_t)maplen : 1, 1);
    if (!maps)
        return PyErr_NoMemory();
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(dom, nvcpus, maps, maplen, flags), n == -1);
    if (n > nvcpus)
        n = nvcpus;   /* the array holds nvcpus maps */
    PyObject *r = n == -1 ? vbpyErrRaise(&err, "virDomainGetVcpuPinInfo")
                          : vbpyCpumapList(maps, n, maplen, ncpus);
    free(maps);
    return r;
}

/* dom.emulatorPinInfo(flags=0): (bool per host CPU) */
VBPY_HW(virDomainGetEmulatorPinInfo)
{
    unsigned int flags;
    virDomainPtr dom = vbpyFlagsOnly("emulatorPinInfo", self, args, nargs, kwnames, &flags);
    if (!dom)
        return NULL;
    __typeof__(virDomainGetEmulatorPinInfo) *fn = VBPY_RESOLVE_NAMED(virDomainGetEmulatorPinInfo);
    if (!fn)
        return NULL;
    int ncpus = vbpyHostCPUs(self);
    if (ncpus < 0)
        return NULL;
    int maplen = VIR_CPU_MAPLEN(ncpus);
    unsigned char *map = calloc(maplen ? (size_t)maplen : 1, 1);
    if (!map)
        return PyErr_NoMemory();
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(dom, map, maplen, flags), ret == -1);
    PyObject *r = ret == -1 ? vbpyErrRaise(&err, "virDomainGetEmulatorPinInfo")
                            : vbpyCpumapTuple(map, ncpus);
    free(map);
    return r;
}

/* conn.getCPUMap(flags=0): (ncpus, [online bool per CPU], nonline) */
VBPY_HW(virNodeGetCPUMap)
{
    unsigned int flags;
    virConnectPtr conn = vbpyFlagsOnly("getCPUMap", self, args, nargs, kwnames, &flags);
    if (!conn)
        return NULL;
    __typeof__(virNodeGetCPUMap) *fn = VBPY_RESOLVE_NAMED(virNodeGetCPUMap);
    if (!fn)
        return NULL;
    unsigned char *map = NULL;
    unsigned int online = 0;
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(conn, &map, &online, flags), n == -1);
    if (n == -1)
        return vbpyErrRaise(&err, "virNodeGetCPUMap");
    if (!map)
        n = 0;
    PyObject *bits = PyList_New(n);
    for (int i = 0; bits && i < n; i++) {
        PyObject *b = VIR_CPU_USED(map, i) ? Py_True : Py_False;
        Py_INCREF(b);
        PyList_SET_ITEM(bits, i, b);
    }
    free(map);
    if (!bits)
        return NULL;
    return Py_BuildValue("(iNI)", n, bits, online);
}

/* ------------------------------------------------- sized by another call */

/* dom.schedulerParameters() / schedulerParametersFlags(flags=0): dict.
 * libvirt rejects a size probe; libvirt-python asks virDomainGetSchedulerType
 * for the count first.  Here the first call fetches into a stack array of
 * VBPY_TP_STACK entries (remote's limit, REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX,
 * is 16 as well; drivers fill up to *nparams and return the count).  Only a
 * failure or a full array takes libvirt-python's path: the count from
 * virDomainGetSchedulerType (0: {}), then a fetch into the heap.  All of it in
 * one GIL-free window. */
static PyObject *vbpySchedulerParameters(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                         PyObject *kwnames, bool with_flags)
{
    static const char *const kwlist[] = { "flags", NULL };
    PyObject *argv[1] = { NULL };
    const char *name = with_flags ? "schedulerParametersFlags" : "schedulerParameters";
    if (vbpyParseArgs(name, args, nargs, kwnames, with_flags ? kwlist : NULL, with_flags ? 1 : 0,
                      0, argv) < 0)
        return NULL;
    virDomainPtr dom = vbpySelf(self);
    if (!dom)
        return NULL;
    unsigned int flags;
    if (vbpyToUInt(argv[0], "flags", &flags) < 0)
        return NULL;
    __typeof__(virDomainGetSchedulerType) *typeFn = VBPY_RESOLVE_NAMED(virDomainGetSchedulerType);
    __typeof__(virDomainGetSchedulerParameters) *fn = NULL;
    __typeof__(virDomainGetSchedulerParametersFlags) *fnFlags = NULL;
    if (!typeFn || (with_flags ? !(fnFlags = VBPY_RESOLVE_NAMED(virDomainGetSchedulerParametersFlags))
                               : !(fn = VBPY_RESOLVE_NAMED(virDomainGetSchedulerParameters))))
        return NULL;
    const char *fetchName = with_flags ? "virDomainGetSchedulerParametersFlags"
                                       : "virDomainGetSchedulerParameters";
    virTypedParameter stack[VBPY_TP_STACK];
    memset(stack, 0, sizeof(stack));
    virTypedParameterPtr params = stack;
    int n = VBPY_TP_STACK, ret;
    bool nomem = false;
    const char *failed = fetchName;
    vbpyErr err = { .set = false };
    Py_BEGIN_ALLOW_THREADS
    ret = with_flags ? fnFlags(dom, params, &n, flags) : fn(dom, params, &n);
    if (ret == -1 || n >= VBPY_TP_STACK) {
        if (ret != -1)
            vbpyTPClearNoGIL(stack, VBPY_TP_STACK);
        params = NULL;
        n = 0;
        char *type = typeFn(dom, &n);
        ret = -1;
        if (!type) {
            failed = "virDomainGetSchedulerType";
        } else {
            free(type);
            ret = 0;
            if (n > 0 && !(params = calloc((size_t)n, sizeof(*params))))
                nomem = true;
            else if (n > 0)
                ret = with_flags ? fnFlags(dom, params, &n, flags) : fn(dom, params, &n);
        }
    }
    if (ret == -1 && !nomem)
        vbpyErrCapture(&err);
    Py_END_ALLOW_THREADS
    if (nomem)
        return PyErr_NoMemory();
    if (ret == -1) {
        if (params != stack)
            free(params);
        return vbpyErrRaise(&err, failed);
    }
    return vbpyTPToDictFree(params, n, stack);
}

VBPY_HW(virDomainGetSchedulerParameters)
{
    return vbpySchedulerParameters(self, args, nargs, kwnames, false);
}

VBPY_HW(virDomainGetSchedulerParametersFlags)
{
    return vbpySchedulerParameters(self, args, nargs, kwnames, true);
}

/* conn.getCPUStats(cpuNum, flags=0) / getMemoryStats(cellNum, flags=0):
 * {field: value}; the first call asks for the count.  The two libvirt
 * structs have the same layout (char field[80]; unsigned long long value). */
#define VBPY_NODE_STATS(FN, STRUCT, PYNAME, ARG)                                              \
    VBPY_HW(FN)                                                                               \
    {                                                                                         \
        static const char *const kwlist[] = { ARG, "flags", NULL };                           \
        PyObject *argv[2];                                                                    \
        if (vbpyParseArgs(PYNAME, args, nargs, kwnames, kwlist, 2, 1, argv) < 0)              \
            return NULL;                                                                      \
        virConnectPtr conn = vbpySelf(self);                                                  \
        if (!conn)                                                                            \
            return NULL;                                                                      \
        int num;                                                                              \
        unsigned int flags;                                                                   \
        if (vbpyToInt(argv[0], ARG, &num) < 0 || vbpyToUInt(argv[1], "flags", &flags) < 0)    \
            return NULL;                                                                      \
        __typeof__(FN) *fn = VBPY_RESOLVE_NAMED(FN);                                          \
        if (!fn)                                                                              \
            return NULL;                                                                      \
        int n = 0, ret;                                                                       \
        STRUCT *stats = NULL;                                                                 \
        vbpyErr err = { .set = false };                                                       \
        Py_BEGIN_ALLOW_THREADS                                                                \
        ret = fn(conn, num, NULL, &n, flags);                                                 \
        if (ret == -1)                                                                        \
            vbpyErrCapture(&err);                                                             \
        Py_END_ALLOW_THREADS                                                                  \
        if (ret == -1)                                                                        \
            return vbpyErrRaise(&err, #FN);                                                   \
        if (n > 0) {                                                                          \
            int max = n;                                                                      \
            if (!(stats = calloc((size_t)n, sizeof(*stats))))                                 \
                return PyErr_NoMemory();                                                      \
            Py_BEGIN_ALLOW_THREADS                                                            \
            ret = fn(conn, num, stats, &n, flags);                                            \
            if (ret == -1)                                                                    \
                vbpyErrCapture(&err);                                                         \
            Py_END_ALLOW_THREADS                                                              \
            if (ret == -1) {                                                                  \
                free(stats);                                                                  \
                return vbpyErrRaise(&err, #FN);                                               \
            }                                                                                 \
            if (n > max)                                                                      \
                n = max;   /* never past the array */                                         \
        }                                                                                     \
        PyObject *d = PyDict_New();                                                           \
        for (int i = 0; d && i < n; i++) {                                                    \
            PyObject *v = PyLong_FromUnsignedLongLong(stats[i].value);                        \
            PyObject *k = v ? vbpyFieldKey(stats[i].field) : NULL;   /* bounded */            \
            if (!k || PyDict_SetItem(d, k, v) < 0)                                            \
                Py_CLEAR(d);                                                                  \
            Py_XDECREF(v);                                                                    \
        }                                                                                     \
        free(stats);                                                                          \
        return d;                                                                             \
    }
VBPY_NODE_STATS(virNodeGetCPUStats, virNodeCPUStats, "getCPUStats", "cpuNum")
VBPY_NODE_STATS(virNodeGetMemoryStats, virNodeMemoryStats, "getMemoryStats", "cellNum")

/* dom.diskErrors(flags=0): {disk: error} */
VBPY_HW(virDomainGetDiskErrors)
{
    unsigned int flags;
    virDomainPtr dom = vbpyFlagsOnly("diskErrors", self, args, nargs, kwnames, &flags);
    if (!dom)
        return NULL;
    __typeof__(virDomainGetDiskErrors) *fn = VBPY_RESOLVE_NAMED(virDomainGetDiskErrors);
    if (!fn)
        return NULL;
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(dom, NULL, 0, flags), n == -1);
    if (n == -1)
        return vbpyErrRaise(&err, "virDomainGetDiskErrors");
    virDomainDiskErrorPtr errors = NULL;
    if (n > 0) {
        if (!(errors = calloc((size_t)n, sizeof(*errors))))
            return PyErr_NoMemory();
        int max = n;
        VBPY_NOGIL(err, n = fn(dom, errors, (unsigned int)max, flags), n == -1);
        if (n == -1) {
            free(errors);
            return vbpyErrRaise(&err, "virDomainGetDiskErrors");
        }
        if (n > max)
            n = max;   /* never past the array */
    }
    PyObject *d = PyDict_New();
    for (int i = 0; i < n; i++) {
        PyObject *v = d ? PyLong_FromLong(errors[i].error) : NULL;
        PyObject *k = v ? vbpyFromString(errors[i].disk, false) : NULL;
        if (d && (!k || PyDict_SetItem(d, k, v) < 0))
            Py_CLEAR(d);
        Py_XDECREF(k);
        Py_XDECREF(v);
        free(errors[i].disk);
    }
    free(errors);
    return d;
}

/* dom.blockJobInfo(path, flags=0): {'type', 'bandwidth', 'cur', 'end'}, or {}
 * when there is no job. */
VBPY_HW(virDomainGetBlockJobInfo)
{
    static const char *const kwlist[] = { "path", "flags", NULL };
    PyObject *argv[2];
    if (vbpyParseArgs("blockJobInfo", args, nargs, kwnames, kwlist, 2, 1, argv) < 0)
        return NULL;
    virDomainPtr dom = vbpySelf(self);
    if (!dom)
        return NULL;
    const char *path;
    unsigned int flags;
    if (vbpyToString(argv[0], "path", false, &path) < 0 ||
        vbpyToUInt(argv[1], "flags", &flags) < 0)
        return NULL;
    __typeof__(virDomainGetBlockJobInfo) *fn = VBPY_RESOLVE_NAMED(virDomainGetBlockJobInfo);
    if (!fn)
        return NULL;
    virDomainBlockJobInfo info;
    memset(&info, 0, sizeof(info));
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(dom, path, &info, flags), ret == -1);
    if (ret == -1)
        return vbpyErrRaise(&err, "virDomainGetBlockJobInfo");
    if (ret == 0)
        return PyDict_New();
    return Py_BuildValue("{s:i,s:k,s:K,s:K}", "type", info.type, "bandwidth", info.bandwidth,
                         "cur", (unsigned long long)info.cur, "end",
                         (unsigned long long)info.end);
}

/* dom.jobStats(flags=0): the typed parameters plus 'type'. */
VBPY_HW(virDomainGetJobStats)
{
    unsigned int flags;
    virDomainPtr dom = vbpyFlagsOnly("jobStats", self, args, nargs, kwnames, &flags);
    if (!dom)
        return NULL;
    __typeof__(virDomainGetJobStats) *fn = VBPY_RESOLVE_NAMED(virDomainGetJobStats);
    if (!fn)
        return NULL;
    int type = 0, n = 0, ret;
    virTypedParameterPtr params = NULL;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(dom, &type, &params, &n, flags), ret == -1);
    if (ret == -1)
        return vbpyErrRaise(&err, "virDomainGetJobStats");
    PyObject *d = vbpyTPToDict(params, n, true);
    PyObject *t = d ? PyLong_FromLong(type) : NULL;
    if (d && (!t || PyDict_SetItemString(d, "type", t) < 0))
        Py_CLEAR(d);
    Py_XDECREF(t);
    return d;
}

/* ---------------------------------------------------------- struct lists */

/* dom.getCPUStats(total, flags=0): [ {field: value} ] for the total, or one
 * dict per host CPU (queried 128 at a time, as libvirt-python does). */
VBPY_HW(virDomainGetCPUStats)
{
    static const char *const kwlist[] = { "total", "flags", NULL };
    PyObject *argv[2];
    if (vbpyParseArgs("getCPUStats", args, nargs, kwnames, kwlist, 2, 1, argv) < 0)
        return NULL;
    virDomainPtr dom = vbpySelf(self);
    if (!dom)
        return NULL;
    bool total;
    unsigned int flags;
    if (vbpyToBool(argv[0], "total", &total) < 0 || vbpyToUInt(argv[1], "flags", &flags) < 0)
        return NULL;
    __typeof__(virDomainGetCPUStats) *fn = VBPY_RESOLVE_NAMED(virDomainGetCPUStats);
    if (!fn)
        return NULL;
    int ncpus = 1, nparams, start = total ? -1 : 0;
    vbpyErr err = { .set = false };
    Py_BEGIN_ALLOW_THREADS
    if (!total)
        ncpus = fn(dom, NULL, 0, 0, 0, flags);
    nparams = ncpus < 0 ? -1 : fn(dom, NULL, 0, start, 1, flags);
    if (ncpus < 0 || nparams < 0)
        vbpyErrCapture(&err);
    Py_END_ALLOW_THREADS
    if (ncpus < 0 || nparams < 0)
        return vbpyErrRaise(&err, "virDomainGetCPUStats");
    int chunk = ncpus < 128 ? ncpus : 128;
    size_t slots = (size_t)nparams * (size_t)(chunk > 0 ? chunk : 1);
    virTypedParameterPtr params = calloc(slots ? slots : 1, sizeof(*params));
    PyObject *list = params ? PyList_New(0) : PyErr_NoMemory();
    __typeof__(virTypedParamsClear) *clear = VBPY_RESOLVE_NAMED(virTypedParamsClear);
    while (list && ncpus > 0) {
        int queried = ncpus < chunk ? ncpus : chunk, got = 0;
        if (nparams) {
            VBPY_NOGIL(err,
                       got = fn(dom, params, (unsigned int)nparams, start, (unsigned int)queried,
                                flags),
                       got < 0);
            if (got < 0) {
                Py_CLEAR(list);
                vbpyErrRaise(&err, "virDomainGetCPUStats");
                break;
            }
        }
        if (got > nparams)
            got = nparams;   /* never past a CPU's slots */
        for (int i = 0; list && i < queried; i++) {
            /* libvirt keeps the array (cleared below for the next chunk) */
            PyObject *d = vbpyTPToDictBorrowed(&params[(size_t)i * (size_t)nparams], got);
            if (!d || PyList_Append(list, d) < 0)
                Py_CLEAR(list);
            Py_XDECREF(d);
        }
        if (clear)
            clear(params, (int)slots);
        start += queried;
        ncpus -= queried;
    }
    free(params);
    return list;
}

/* dom.interfaceAddresses(source, flags=0):
 * {name: {'hwaddr': str|None, 'addrs': [{'addr', 'prefix', 'type'}]}} */
VBPY_HW(virDomainInterfaceAddresses)
{
    static const char *const kwlist[] = { "source", "flags", NULL };
    PyObject *argv[2];
    if (vbpyParseArgs("interfaceAddresses", args, nargs, kwnames, kwlist, 2, 1, argv) < 0)
        return NULL;
    virDomainPtr dom = vbpySelf(self);
    if (!dom)
        return NULL;
    unsigned int source, flags;
    if (vbpyToUInt(argv[0], "source", &source) < 0 || vbpyToUInt(argv[1], "flags", &flags) < 0)
        return NULL;
    __typeof__(virDomainInterfaceAddresses) *fn = VBPY_RESOLVE_NAMED(virDomainInterfaceAddresses);
    __typeof__(virDomainInterfaceFree) *ifree = VBPY_RESOLVE_NAMED(virDomainInterfaceFree);
    if (!fn || !ifree)
        return NULL;
    virDomainInterfacePtr *ifaces = NULL;
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(dom, &ifaces, source, flags), n == -1);
    if (n == -1)
        return vbpyErrRaise(&err, "virDomainInterfaceAddresses");
    PyObject *d = PyDict_New();
    for (int i = 0; i < n; i++) {
        virDomainInterfacePtr it = ifaces[i];
        PyObject *addrs = d ? PyList_New((Py_ssize_t)it->naddrs) : NULL;
        for (size_t k = 0; addrs && k < it->naddrs; k++) {
            PyObject *a = Py_BuildValue("{s:N,s:I,s:i}", "addr", vbpyFromString(it->addrs[k].addr, false),
                                        "prefix", it->addrs[k].prefix, "type", it->addrs[k].type);
            if (!a)
                Py_CLEAR(addrs);
            else
                PyList_SET_ITEM(addrs, (Py_ssize_t)k, a);
        }
        PyObject *e = addrs ? Py_BuildValue("{s:N,s:N}", "hwaddr", vbpyFromString(it->hwaddr, false),
                                            "addrs", addrs)
                            : NULL;
        PyObject *k = e ? vbpyFromString(it->name, false) : NULL;
        if (d && (!k || PyDict_SetItem(d, k, e) < 0))
            Py_CLEAR(d);
        Py_XDECREF(k);
        Py_XDECREF(e);
        ifree(it);
    }
    free(ifaces);
    return d;
}

/* dom.fsInfo(flags=0): [(mountpoint, name, fstype, [devAlias, ...])] */
VBPY_HW(virDomainGetFSInfo)
{
    unsigned int flags;
    virDomainPtr dom = vbpyFlagsOnly("fsInfo", self, args, nargs, kwnames, &flags);
    if (!dom)
        return NULL;
    __typeof__(virDomainGetFSInfo) *fn = VBPY_RESOLVE_NAMED(virDomainGetFSInfo);
    __typeof__(virDomainFSInfoFree) *ffree = VBPY_RESOLVE_NAMED(virDomainFSInfoFree);
    if (!fn || !ffree)
        return NULL;
    virDomainFSInfoPtr *info = NULL;
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(dom, &info, flags), n == -1);
    if (n == -1)
        return vbpyErrRaise(&err, "virDomainGetFSInfo");
    PyObject *list = PyList_New(0);
    for (int i = 0; i < n; i++) {
        virDomainFSInfoPtr fs = info[i];
        PyObject *aliases = list ? PyList_New((Py_ssize_t)fs->ndevAlias) : NULL;
        for (size_t k = 0; aliases && k < fs->ndevAlias; k++) {
            PyObject *s = vbpyFromString(fs->devAlias[k], false);
            if (!s)
                Py_CLEAR(aliases);
            else
                PyList_SET_ITEM(aliases, (Py_ssize_t)k, s);
        }
        PyObject *t = aliases ? Py_BuildValue("(NNNN)", vbpyFromString(fs->mountpoint, false),
                                              vbpyFromString(fs->name, false),
                                              vbpyFromString(fs->fstype, false), aliases)
                              : NULL;
        if (list && (!t || PyList_Append(list, t) < 0))
            Py_CLEAR(list);
        Py_XDECREF(t);
        ffree(fs);
    }
    free(info);
    return list;
}

/* dom.ioThreadInfo(flags=0): [(iothread_id, [bool per host CPU])] */
VBPY_HW(virDomainGetIOThreadInfo)
{
    unsigned int flags;
    virDomainPtr dom = vbpyFlagsOnly("ioThreadInfo", self, args, nargs, kwnames, &flags);
    if (!dom)
        return NULL;
    __typeof__(virDomainGetIOThreadInfo) *fn = VBPY_RESOLVE_NAMED(virDomainGetIOThreadInfo);
    __typeof__(virDomainIOThreadInfoFree) *tfree = VBPY_RESOLVE_NAMED(virDomainIOThreadInfoFree);
    if (!fn || !tfree)
        return NULL;
    int ncpus = vbpyHostCPUs(self);
    if (ncpus < 0)
        return NULL;
    virDomainIOThreadInfoPtr *info = NULL;
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(dom, &info, flags), n == -1);
    if (n == -1)
        return vbpyErrRaise(&err, "virDomainGetIOThreadInfo");
    PyObject *list = PyList_New(0);
    for (int i = 0; i < n; i++) {
        virDomainIOThreadInfoPtr t = info[i];
        if (!t)
            continue;
        PyObject *map = list ? PyList_New(ncpus) : NULL;   /* a list here, as libvirt-python */
        for (int c = 0; map && c < ncpus; c++) {
            /* the map has cpumaplen bytes, which need not cover every host
             * CPU (libvirt-python reads past it): the CPUs beyond are False */
            bool in_map = t->cpumap && t->cpumaplen > 0 && c / 8 < t->cpumaplen;
            PyObject *b = in_map && VIR_CPU_USABLE(t->cpumap, t->cpumaplen, 0, c) ? Py_True
                                                                                 : Py_False;
            Py_INCREF(b);
            PyList_SET_ITEM(map, c, b);
        }
        PyObject *e = map ? Py_BuildValue("(IN)", t->iothread_id, map) : NULL;
        if (list && (!e || PyList_Append(list, e) < 0))
            Py_CLEAR(list);
        Py_XDECREF(e);
        tfree(t);
    }
    vbpyGFree()(info);
    return list;
}

/* net.DHCPLeases(mac=None, flags=0): [ {'iface', 'expirytime', 'type', 'mac',
 * 'iaid', 'ipaddr', 'prefix', 'hostname', 'clientid'} ] */
VBPY_HW(virNetworkGetDHCPLeases)
{
    static const char *const kwlist[] = { "mac", "flags", NULL };
    PyObject *argv[2];
    if (vbpyParseArgs("DHCPLeases", args, nargs, kwnames, kwlist, 2, 0, argv) < 0)
        return NULL;
    virNetworkPtr net = vbpySelf(self);
    if (!net)
        return NULL;
    const char *mac;
    unsigned int flags;
    if (vbpyToString(argv[0], "mac", true, &mac) < 0 || vbpyToUInt(argv[1], "flags", &flags) < 0)
        return NULL;
    __typeof__(virNetworkGetDHCPLeases) *fn = VBPY_RESOLVE_NAMED(virNetworkGetDHCPLeases);
    __typeof__(virNetworkDHCPLeaseFree) *lfree = VBPY_RESOLVE_NAMED(virNetworkDHCPLeaseFree);
    if (!fn || !lfree)
        return NULL;
    virNetworkDHCPLeasePtr *leases = NULL;
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(net, mac, &leases, flags), n == -1);
    if (n == -1)
        return vbpyErrRaise(&err, "virNetworkGetDHCPLeases");
    PyObject *list = PyList_New(0);
    for (int i = 0; i < n; i++) {
        virNetworkDHCPLeasePtr l = leases[i];
        PyObject *e = list ? Py_BuildValue("{s:N,s:L,s:i,s:N,s:N,s:N,s:I,s:N,s:N}",
                                           "iface", vbpyFromString(l->iface, false),
                                           "expirytime", (long long)l->expirytime,
                                           "type", l->type,
                                           "mac", vbpyFromString(l->mac, false),
                                           "iaid", vbpyFromString(l->iaid, false),
                                           "ipaddr", vbpyFromString(l->ipaddr, false),
                                           "prefix", l->prefix,
                                           "hostname", vbpyFromString(l->hostname, false),
                                           "clientid", vbpyFromString(l->clientid, false))
                           : NULL;
        if (list && (!e || PyList_Append(list, e) < 0))
            Py_CLEAR(list);
        Py_XDECREF(e);
        lfree(l);
    }
    free(leases);
    return list;
}

/* ------------------------------------------------------------- the rest */

/* dom.securityLabelList(): [[label, enforcing], ...] */
VBPY_HW(virDomainGetSecurityLabelList)
{
    if (vbpyParseArgs("securityLabelList", args, nargs, kwnames, NULL, 0, 0, NULL) < 0)
        return NULL;
    virDomainPtr dom = vbpySelf(self);
    if (!dom)
        return NULL;
    __typeof__(virDomainGetSecurityLabelList) *fn = VBPY_RESOLVE_NAMED(virDomainGetSecurityLabelList);
    if (!fn)
        return NULL;
    virSecurityLabelPtr labels = NULL;
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(dom, &labels), n == -1);
    if (n == -1)
        return vbpyErrRaise(&err, "virDomainGetSecurityLabelList");
    PyObject *list = PyList_New(n);
    for (int i = 0; list && i < n; i++) {
        PyObject *e = Py_BuildValue("[sO]", labels[i].label,
                                    labels[i].enforcing ? Py_True : Py_False);
        if (!e)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, e);
    }
    free(labels);
    return list;
}

/* dom.revertToSnapshot(snap, flags=0): libvirt-python hosts it on virDomain
 * (the snapshot knows its domain; self is not used). */
VBPY_HW(virDomainRevertToSnapshot)
{
    static const char *const kwlist[] = { "snap", "flags", NULL };
    PyObject *argv[2];
    if (vbpyParseArgs("revertToSnapshot", args, nargs, kwnames, kwlist, 2, 1, argv) < 0)
        return NULL;
    if (!vbpySelf(self))
        return NULL;
    const vbpyClass *snapCls = vbpyFindClass("virDomainSnapshot");
    void *snap;
    unsigned int flags;
    if (!snapCls || vbpyToObject(argv[0], "snap", snapCls, false, &snap) < 0 ||
        vbpyToUInt(argv[1], "flags", &flags) < 0)
        return NULL;
    __typeof__(virDomainRevertToSnapshot) *fn = VBPY_RESOLVE_NAMED(virDomainRevertToSnapshot);
    if (!fn)
        return NULL;
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(snap, flags), ret == -1);
    if (ret == -1)
        return vbpyErrRaise(&err, "virDomainRevertToSnapshot");
    return PyLong_FromLong(ret);
}

/* stream.recv(nbytes) / recvFlags(nbytes, flags=0): bytes, or -2 when the
 * stream would block (-3: a hole, with VIR_STREAM_RECV_STOP_AT_HOLE). */
static PyObject *vbpyStreamRecv(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames, bool with_flags)
{
    static const char *const kwlist[] = { "nbytes", "flags", NULL };
    PyObject *argv[2] = { NULL, NULL };
    if (vbpyParseArgs(with_flags ? "recvFlags" : "recv", args, nargs, kwnames, kwlist,
                      with_flags ? 2 : 1, 1, argv) < 0)
        return NULL;
    virStreamPtr st = vbpySelf(self);
    if (!st)
        return NULL;
    size_t nbytes;
    unsigned int flags;
    /* negative: ValueError; more than VBPY_BUFFER_MAX: OverflowError */
    if (vbpyToBufLen(argv[0], "nbytes", 1, &nbytes) < 0 ||
        vbpyToUInt(argv[1], "flags", &flags) < 0)
        return NULL;
    __typeof__(virStreamRecv) *fn = NULL;
    __typeof__(virStreamRecvFlags) *fnFlags = NULL;
    if (with_flags ? !(fnFlags = VBPY_RESOLVE_NAMED(virStreamRecvFlags))
                   : !(fn = VBPY_RESOLVE_NAMED(virStreamRecv)))
        return NULL;
    char *buf = malloc(nbytes ? nbytes : 1);
    if (!buf)
        return PyErr_NoMemory();
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = with_flags ? fnFlags(st, buf, nbytes, flags) : fn(st, buf, nbytes),
               ret == -1);
    PyObject *r;
    if (ret == -1)
        r = vbpyErrRaise(&err, with_flags ? "virStreamRecvFlags" : "virStreamRecv");
    else if (ret < 0)
        r = PyLong_FromLong(ret);
    else   /* never more than the buffer, whatever libvirt returns */
        r = PyBytes_FromStringAndSize(buf, (size_t)ret < nbytes ? ret : (Py_ssize_t)nbytes);
    explicit_bzero(buf, nbytes ? nbytes : 1);   /* stream data may be secret (volume contents) */
    free(buf);
    return r;
}

VBPY_HW(virStreamRecv)
{
    return vbpyStreamRecv(self, args, nargs, kwnames, false);
}

VBPY_HW(virStreamRecvFlags)
{
    return vbpyStreamRecv(self, args, nargs, kwnames, true);
}

/* registerErrorHandler(f, ctx): f(ctx, err) for every libvirt error (the
 * handler installed at import dispatches); None restores silence.  Returns 1,
 * as libvirt-python. */
VBPY_HW(virSetErrorFunc)
{
    (void)self;
    static const char *const kwlist[] = { "f", "ctx", NULL };
    PyObject *argv[2];
    if (vbpyParseArgs("registerErrorHandler", args, nargs, kwnames, kwlist, 2, 2, argv) < 0)
        return NULL;
    if (vbpySetErrorHandler(argv[0], argv[1]) < 0)
        return NULL;
    return PyLong_FromLong(1);
}

/* ---------------------------------------------------------- domain stats */

/* [(virDomain, {field: value})] from libvirt's record list, freed here.  Each
 * wrapper takes over its record's domain reference: no virDomainRef +
 * virDomainFree pair per record (each formats the UUID for libvirt's debug
 * macro: ~7,000 instructions).  So the list is freed record by record, as
 * virDomainStatsRecordListFree does (virTypedParamsFree, g_free) but without
 * its virDomainFree of the NULL left behind, which would report an error. */
static PyObject *vbpyStatsRecords(PyObject *conn, virDomainStatsRecordPtr *records, int n)
{
    const vbpyClass *domCls = vbpyFindClass("virDomain");
    __typeof__(virTypedParamsFree) *tpfree = VBPY_RESOLVE_NAMED(virTypedParamsFree);
    void (*gfree)(void *) = vbpyGFree();
    if (!domCls || !tpfree) {
        __typeof__(virDomainStatsRecordListFree) *lfree =
            VBPY_RESOLVE_NAMED(virDomainStatsRecordListFree);
        if (lfree)
            lfree(records);
        return NULL;
    }
    PyObject *list = PyList_New(n);
    for (int i = 0; i < n; i++) {
        virDomainStatsRecordPtr rec = records[i];
        if (list) {
            PyObject *dom = vbpyWrap(domCls, rec->dom, conn);   /* released on failure */
            rec->dom = NULL;
            PyObject *d = dom ? vbpyTPToDictBorrowed(rec->params, rec->nparams) : NULL;
            PyObject *t = d ? PyTuple_New(2) : NULL;
            if (t) {
                PyTuple_SET_ITEM(t, 0, dom);
                PyTuple_SET_ITEM(t, 1, d);
                PyList_SET_ITEM(list, i, t);
            } else {
                Py_XDECREF(dom);
                Py_XDECREF(d);
                Py_CLEAR(list);
            }
        }
        if (rec->dom && domCls->release)
            domCls->release(rec->dom);
        tpfree(rec->params, rec->nparams);
        gfree(rec);
    }
    gfree(records);
    return list;
}

/* conn.getAllDomainStats(stats=0, flags=0) */
VBPY_HW(virConnectGetAllDomainStats)
{
    static const char *const kwlist[] = { "stats", "flags", NULL };
    PyObject *argv[2];
    if (vbpyParseArgs("getAllDomainStats", args, nargs, kwnames, kwlist, 2, 0, argv) < 0)
        return NULL;
    virConnectPtr conn = vbpySelf(self);
    if (!conn)
        return NULL;
    unsigned int stats, flags;
    if (vbpyToUInt(argv[0], "stats", &stats) < 0 || vbpyToUInt(argv[1], "flags", &flags) < 0)
        return NULL;
    __typeof__(virConnectGetAllDomainStats) *fn = VBPY_RESOLVE_NAMED(virConnectGetAllDomainStats);
    if (!fn)
        return NULL;
    virDomainStatsRecordPtr *records = NULL;
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(conn, stats, &records, flags), n == -1);
    if (n == -1)
        return vbpyErrRaise(&err, "virConnectGetAllDomainStats");
    return vbpyStatsRecords(self, records, n);
}

/* conn.domainListGetStats(doms, stats=0, flags=0) */
VBPY_HW(virDomainListGetStats)
{
    static const char *const kwlist[] = { "doms", "stats", "flags", NULL };
    PyObject *argv[3];
    if (vbpyParseArgs("domainListGetStats", args, nargs, kwnames, kwlist, 3, 1, argv) < 0)
        return NULL;
    if (!vbpySelf(self))
        return NULL;
    unsigned int stats, flags;
    if (vbpyToUInt(argv[1], "stats", &stats) < 0 || vbpyToUInt(argv[2], "flags", &flags) < 0)
        return NULL;
    if (!PyList_Check(argv[0]) && !PyTuple_Check(argv[0])) {
        PyErr_Format(PyExc_TypeError, "argument 'doms' must be a list of virDomain, not %.100s",
                     Py_TYPE(argv[0])->tp_name);
        return NULL;
    }
    const vbpyClass *domCls = vbpyFindClass("virDomain");
    __typeof__(virDomainListGetStats) *fn = VBPY_RESOLVE_NAMED(virDomainListGetStats);
    if (!domCls || !fn)
        return NULL;
    /* a tuple snapshot keeps the wrappers (and their pointers) alive */
    PyObject *t = PySequence_Tuple(argv[0]);
    if (!t)
        return NULL;
    Py_ssize_t len = PyTuple_GET_SIZE(t);
    virDomainPtr *doms = calloc((size_t)len + 1, sizeof(*doms));
    if (!doms) {
        Py_DECREF(t);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        void *p;
        if (vbpyToObject(PyTuple_GET_ITEM(t, i), "doms", domCls, false, &p) < 0) {
            free(doms);
            Py_DECREF(t);
            return NULL;
        }
        doms[i] = p;
    }
    virDomainStatsRecordPtr *records = NULL;
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(doms, stats, &records, flags), n == -1);
    free(doms);
    Py_DECREF(t);
    if (n == -1)
        return vbpyErrRaise(&err, "virDomainListGetStats");
    return vbpyStatsRecords(self, records, n);
}

/* ---------------------------------------------------------------- openAuth */

typedef struct {
    PyObject *cb;
    PyObject *cbdata;
} vbpyAuth;

/* libvirt asks for credentials (on the thread calling openAuth, which does
 * not hold the GIL): cb([[type, prompt, challenge, defresult, result]...],
 * cbdata) fills each result; returns cb's int. */
static int vbpyAuthCallback(virConnectCredentialPtr cred, unsigned int ncred, void *opaque)
{
    vbpyAuth *a = opaque;
    int ret = -1;
    PyGILState_STATE st = PyGILState_Ensure();
    PyObject *list = PyList_New((Py_ssize_t)ncred);
    for (unsigned int i = 0; list && i < ncred; i++) {
        PyObject *item = Py_BuildValue("[iNNNO]", cred[i].type,
                                       vbpyFromString((char *)cred[i].prompt, false),
                                       vbpyFromString((char *)cred[i].challenge, false),
                                       vbpyFromString((char *)cred[i].defresult, false), Py_None);
        if (!item)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, item);
    }
    PyObject *r = list ? PyObject_CallFunction(a->cb, "(OO)", list, a->cbdata) : NULL;
    if (r) {
        ret = PyLong_Check(r) ? (int)PyLong_AsLong(r) : -1;
        for (unsigned int i = 0; ret == 0 && i < ncred; i++) {
            PyObject *item = PyList_GetItem(list, i);   /* the callback may replace items */
            PyObject *res = item && PySequence_Check(item) && PySequence_Size(item) >= 5
                                ? PySequence_GetItem(item, 4) : NULL;
            const char *s;
            Py_ssize_t len;
            if (res && PyUnicode_Check(res) && (s = PyUnicode_AsUTF8AndSize(res, &len))) {
                if (cred[i].result)   /* a password: wiped, not just freed */
                    explicit_bzero(cred[i].result, strlen(cred[i].result));
                free(cred[i].result);
                cred[i].result = strdup(s);
                cred[i].resultlen = cred[i].result ? (unsigned int)len : 0;
                if (!cred[i].result)
                    ret = -1;
            }
            Py_XDECREF(res);
        }
    }
    if (PyErr_Occurred())
        PyErr_WriteUnraisable(a->cb);
    Py_XDECREF(r);
    Py_XDECREF(list);
    PyGILState_Release(st);
    return ret;
}

/* openAuth(uri, auth, flags=0), auth = [credtypes, cb, cbdata]: libvirt-python's
 * shape; cb(creds, cbdata) fills creds[i][4]. */
VBPY_HW(virConnectOpenAuth)
{
    (void)self;
    static const char *const kwlist[] = { "uri", "auth", "flags", NULL };
    PyObject *argv[3];
    if (vbpyParseArgs("openAuth", args, nargs, kwnames, kwlist, 3, 2, argv) < 0)
        return NULL;
    const char *uri;
    unsigned int flags;
    if (vbpyToString(argv[0], "uri", true, &uri) < 0 || vbpyToUInt(argv[2], "flags", &flags) < 0)
        return NULL;
    PyObject *auth = argv[1];
    if ((!PyList_Check(auth) && !PyTuple_Check(auth)) || PySequence_Size(auth) != 3) {
        PyErr_SetString(PyExc_TypeError, "argument 'auth' must be [credtypes, cb, cbdata]");
        return NULL;
    }
    PyObject *t = PySequence_Tuple(auth);
    if (!t)
        return NULL;
    vbpyAuth a = { PyTuple_GET_ITEM(t, 1), PyTuple_GET_ITEM(t, 2) };
    if (a.cb != Py_None && !PyCallable_Check(a.cb)) {
        Py_DECREF(t);
        PyErr_SetString(PyExc_TypeError, "auth[1] must be callable or None");
        return NULL;
    }
    int *credtypes = NULL;
    Py_ssize_t ncred = 0;
    if (vbpyToIntArray(PyTuple_GET_ITEM(t, 0), "auth[0]", false, (void **)&credtypes, &ncred) < 0) {
        Py_DECREF(t);
        return NULL;
    }
    __typeof__(virConnectOpenAuth) *fn = VBPY_RESOLVE_NAMED(virConnectOpenAuth);
    const vbpyClass *connCls = vbpyFindClass("virConnect");
    if (!fn || !connCls) {
        free(credtypes);
        Py_DECREF(t);
        return NULL;
    }
    virConnectAuth cauth = {
        .credtype = credtypes,
        .ncredtype = (unsigned int)ncred,
        .cb = a.cb == Py_None ? NULL : vbpyAuthCallback,
        .cbdata = &a,
    };
    virConnectPtr conn;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, conn = fn(uri, &cauth, flags), !conn);
    free(credtypes);
    Py_DECREF(t);
    if (!conn)
        return vbpyErrRaise(&err, "virConnectOpenAuth");
    return vbpyWrap(connCls, conn, NULL);
}

/* ---------------------------------------------------------- close callback */

/* cb(conn, reason, opaque) when libvirt closes the connection: one C callback
 * per connection type (virConnect, virtbind_admin's virAdmConnect). */
static void vbpyCloseCall(vbpyEventData *d, int reason)
{
    PyGILState_STATE st = PyGILState_Ensure();
    vbpyEventCall(d, Py_BuildValue("(OiO)", d->conn, reason, d->opaque));
    PyGILState_Release(st);
}

static void vbpyCloseCallback(virConnectPtr conn, int reason, void *opaque)
{
    (void)conn;
    vbpyCloseCall(opaque, reason);
}

static void vbpyAdmCloseCallback(virAdmConnectPtr conn, int reason, void *opaque)
{
    (void)conn;
    vbpyCloseCall(opaque, reason);
}

/* conn.registerCloseCallback(cb, opaque) -> 0, for KIND VBPY_DEREG_CLOSE
 * (virConnect) or VBPY_DEREG_ADM_CLOSE (virAdmConnect; needs the event loop:
 * virtbind_admin.virEventRegisterDefaultImpl + virEventRunDefaultImpl).  The
 * registration is tracked, so that close() and deallocation end it. */
static PyObject *vbpyCloseRegister(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                   PyObject *kwnames, vbpyDeregKind kind)
{
    bool adm = kind == VBPY_DEREG_ADM_CLOSE;
    const char *cname = adm ? "virAdmConnectRegisterCloseCallback"
                            : "virConnectRegisterCloseCallback";
    static const char *const kwlist[] = { "cb", "opaque", NULL };
    PyObject *argv[2];
    if (vbpyParseArgs("registerCloseCallback", args, nargs, kwnames, kwlist, 2, 2, argv) < 0)
        return NULL;
    void *conn = vbpySelf(self);
    if (!conn)
        return NULL;
    if (!PyCallable_Check(argv[0])) {
        PyErr_SetString(PyExc_TypeError, "argument 'cb' must be callable");
        return NULL;
    }
    void *fn = adm ? (void *)VBPY_RESOLVE_NAMED(virAdmConnectRegisterCloseCallback)
                   : (void *)VBPY_RESOLVE_NAMED(virConnectRegisterCloseCallback);
    if (!fn)
        return NULL;
    /* the connection is passed as is: the data holds the wrapper */
    vbpyEventData *d = vbpyEventDataNew(self, ((vbpyObject *)self)->cls, argv[0], argv[1]);
    if (!d)
        return NULL;
    int ret;
    vbpyErr err = { .set = false };
    Py_BEGIN_ALLOW_THREADS
    if (adm)
        ret = ((__typeof__(virAdmConnectRegisterCloseCallback) *)fn)(conn, vbpyAdmCloseCallback,
                                                                     d, vbpyEventFree);
    else
        ret = ((__typeof__(virConnectRegisterCloseCallback) *)fn)(conn, vbpyCloseCallback, d,
                                                                  vbpyEventFree);
    if (ret == -1)
        vbpyErrCapture(&err);
    Py_END_ALLOW_THREADS
    if (ret == -1) {
        vbpyEventFree(d);
        return vbpyErrRaise(&err, cname);
    }
    vbpyEventTrack(d, kind,
                   vbpyFindSym(adm ? "virAdmConnectUnregisterCloseCallback"
                                   : "virConnectUnregisterCloseCallback"),
                   0, adm ? (void (*)(void))vbpyAdmCloseCallback : (void (*)(void))vbpyCloseCallback,
                   NULL);
    return PyLong_FromLong(ret);
}

/* conn.unregisterCloseCallback() -> None (KIND as above) */
static PyObject *vbpyCloseUnregister(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                     PyObject *kwnames, vbpyDeregKind kind)
{
    bool adm = kind == VBPY_DEREG_ADM_CLOSE;
    const char *cname = adm ? "virAdmConnectUnregisterCloseCallback"
                            : "virConnectUnregisterCloseCallback";
    if (vbpyParseArgs("unregisterCloseCallback", args, nargs, kwnames, NULL, 0, 0, NULL) < 0)
        return NULL;
    void *conn = vbpySelf(self);
    if (!conn)
        return NULL;
    void *fn = adm ? (void *)VBPY_RESOLVE_NAMED(virAdmConnectUnregisterCloseCallback)
                   : (void *)VBPY_RESOLVE_NAMED(virConnectUnregisterCloseCallback);
    if (!fn)
        return NULL;
    int ret;
    vbpyErr err = { .set = false };
    /* the registration this wrapper made: ended (and released once, also on a
     * driver that keeps no close callback) by the runtime */
    vbpyEventData *d = vbpyEventFind(self, kind);
    if (d) {
        ret = vbpyEventEnd(d, conn, false, &err);
    } else {
        Py_BEGIN_ALLOW_THREADS
        if (adm)
            ret = ((__typeof__(virAdmConnectUnregisterCloseCallback) *)fn)(conn,
                                                                          vbpyAdmCloseCallback);
        else
            ret = ((__typeof__(virConnectUnregisterCloseCallback) *)fn)(conn, vbpyCloseCallback);
        if (ret == -1)
            vbpyErrCapture(&err);
        Py_END_ALLOW_THREADS
    }
    if (ret == -1)
        return vbpyErrRaise(&err, cname);
    Py_RETURN_NONE;
}

VBPY_HW(virConnectRegisterCloseCallback)
{
    return vbpyCloseRegister(self, args, nargs, kwnames, VBPY_DEREG_CLOSE);
}

VBPY_HW(virConnectUnregisterCloseCallback)
{
    return vbpyCloseUnregister(self, args, nargs, kwnames, VBPY_DEREG_CLOSE);
}

VBPY_HW(virAdmConnectRegisterCloseCallback)
{
    return vbpyCloseRegister(self, args, nargs, kwnames, VBPY_DEREG_ADM_CLOSE);
}

VBPY_HW(virAdmConnectUnregisterCloseCallback)
{
    return vbpyCloseUnregister(self, args, nargs, kwnames, VBPY_DEREG_ADM_CLOSE);
}

/* ------------------------------------------------------------------ pages */

/* conn.getFreePages(pages, startCell, maxCells, flags=0):
 * {cell: {page size: free count}} */
VBPY_HW(virNodeGetFreePages)
{
    static const char *const kwlist[] = { "pages", "startCell", "maxCells", "flags", NULL };
    PyObject *argv[4];
    if (vbpyParseArgs("getFreePages", args, nargs, kwnames, kwlist, 4, 3, argv) < 0)
        return NULL;
    virConnectPtr conn = vbpySelf(self);
    if (!conn)
        return NULL;
    int startCell;
    unsigned int maxCells, flags;
    if (vbpyToInt(argv[1], "startCell", &startCell) < 0 ||
        vbpyToUInt(argv[2], "maxCells", &maxCells) < 0 || vbpyToUInt(argv[3], "flags", &flags) < 0)
        return NULL;
    __typeof__(virNodeGetFreePages) *fn = VBPY_RESOLVE_NAMED(virNodeGetFreePages);
    if (!fn)
        return NULL;
    unsigned int *pages = NULL;
    Py_ssize_t npages = 0;
    if (vbpyToIntArray(argv[0], "pages", true, (void **)&pages, &npages) < 0)
        return NULL;
    size_t slots = (size_t)npages * maxCells;
    unsigned long long *counts = calloc(slots ? slots : 1, sizeof(*counts));
    if (!counts) {
        free(pages);
        return PyErr_NoMemory();
    }
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err,
               n = fn(conn, (unsigned int)npages, pages, startCell, maxCells, counts, flags),
               n == -1);
    PyObject *d = NULL;
    if (n == -1) {
        vbpyErrRaise(&err, "virNodeGetFreePages");
    } else {
        d = PyDict_New();
        for (int i = 0; d && npages > 0 && i + npages <= n; i += (int)npages) {
            PyObject *cell = PyDict_New();
            for (Py_ssize_t j = 0; cell && j < npages; j++) {
                PyObject *k = PyLong_FromUnsignedLong(pages[j]);
                PyObject *v = PyLong_FromUnsignedLongLong(counts[i + j]);
                if (!k || !v || PyDict_SetItem(cell, k, v) < 0)
                    Py_CLEAR(cell);
                Py_XDECREF(k);
                Py_XDECREF(v);
            }
            PyObject *key = cell ? PyLong_FromLong(startCell + i / (int)npages) : NULL;
            if (!key || PyDict_SetItem(d, key, cell) < 0)
                Py_CLEAR(d);
            Py_XDECREF(key);
            Py_XDECREF(cell);
        }
    }
    free(pages);
    free(counts);
    return d;
}

/* conn.allocPages(pages, startCell=0, cellCount=0, flags=0),
 * pages = {page size: count} */
VBPY_HW(virNodeAllocPages)
{
    static const char *const kwlist[] = { "pages", "startCell", "cellCount", "flags", NULL };
    PyObject *argv[4];
    if (vbpyParseArgs("allocPages", args, nargs, kwnames, kwlist, 4, 1, argv) < 0)
        return NULL;
    virConnectPtr conn = vbpySelf(self);
    if (!conn)
        return NULL;
    int startCell;
    unsigned int cellCount, flags;
    if (vbpyToInt(argv[1], "startCell", &startCell) < 0 ||
        vbpyToUInt(argv[2], "cellCount", &cellCount) < 0 ||
        vbpyToUInt(argv[3], "flags", &flags) < 0)
        return NULL;
    if (!PyDict_Check(argv[0])) {
        PyErr_Format(PyExc_TypeError, "argument 'pages' must be dict, not %.100s",
                     Py_TYPE(argv[0])->tp_name);
        return NULL;
    }
    __typeof__(virNodeAllocPages) *fn = VBPY_RESOLVE_NAMED(virNodeAllocPages);
    if (!fn)
        return NULL;
    Py_ssize_t npages = PyDict_Size(argv[0]), pos = 0, i = 0;
    unsigned int *sizes = calloc(npages ? (size_t)npages : 1, sizeof(*sizes));
    unsigned long long *counts = calloc(npages ? (size_t)npages : 1, sizeof(*counts));
    PyObject *key, *value;
    int ret = -2;
    if (!sizes || !counts) {
        PyErr_NoMemory();
        goto done;
    }
    while (PyDict_Next(argv[0], &pos, &key, &value)) {
        if (vbpyToUInt(key, "pages", &sizes[i]) < 0 || vbpyToULLong(value, "pages", &counts[i]) < 0)
            goto done;
        i++;
    }
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err,
               ret = fn(conn, (unsigned int)npages, sizes, counts, startCell, cellCount, flags),
               ret == -1);
    if (ret == -1)
        vbpyErrRaise(&err, "virNodeAllocPages");
done:
    free(sizes);
    free(counts);
    return ret >= 0 ? PyLong_FromLong(ret) : NULL;
}

/* ------------------------------------------------------ legacy domain events */

/* libvirt-python's domainEventRegister(cb, opaque): one C registration per
 * connection (the legacy API is keyed by the C callback), dispatching to a
 * dict {cb: opaque}.  vbpy_legacy maps the connection wrapper to that dict. */
static PyObject *vbpy_legacy;

/* After close() ended the connection's legacy registration: its dict goes. */
static void vbpyLegacyForget(PyObject *conn)
{
    if (vbpy_legacy && PyDict_DelItem(vbpy_legacy, conn) < 0)
        PyErr_Clear();   /* not there */
}

static int vbpyLegacyEvent(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                           void *opaque)
{
    (void)conn;
    vbpyEventData *d = opaque;   /* d->cb is the dict {cb: opaque} */
    PyGILState_STATE st = PyGILState_Ensure();
    PyObject *items = PyDict_Items(d->cb);   /* a snapshot: callbacks may deregister */
    PyObject *py_dom = items ? vbpyEventObject(d, dom) : NULL;
    for (Py_ssize_t i = 0; py_dom && i < PyList_GET_SIZE(items); i++) {
        PyObject *pair = PyList_GET_ITEM(items, i);
        PyObject *cb = PyTuple_GET_ITEM(pair, 0);
        PyObject *r = PyObject_CallFunction(cb, "(OOiiO)", d->conn, py_dom, event, detail,
                                            PyTuple_GET_ITEM(pair, 1));
        if (!r)
            PyErr_WriteUnraisable(cb);
        Py_XDECREF(r);
    }
    if (!items || !py_dom)
        PyErr_WriteUnraisable(d->cb);
    vbpyEventSettle(py_dom);   /* py_dom holds one reference */
    Py_XDECREF(py_dom);
    Py_XDECREF(items);
    PyGILState_Release(st);
    return 0;
}

/* conn.domainEventRegister(cb, opaque) -> None; cb(conn, dom, event, detail, opaque) */
VBPY_HW(virConnectDomainEventRegister)
{
    static const char *const kwlist[] = { "cb", "opaque", NULL };
    PyObject *argv[2];
    if (vbpyParseArgs("domainEventRegister", args, nargs, kwnames, kwlist, 2, 2, argv) < 0)
        return NULL;
    virConnectPtr conn = vbpySelf(self);
    if (!conn)
        return NULL;
    if (!PyCallable_Check(argv[0])) {
        PyErr_SetString(PyExc_TypeError, "argument 'cb' must be callable");
        return NULL;
    }
    if (!vbpy_legacy && !(vbpy_legacy = PyDict_New()))
        return NULL;
    PyObject *callbacks = PyDict_GetItemWithError(vbpy_legacy, self);   /* borrowed */
    if (callbacks)
        return PyDict_SetItem(callbacks, argv[0], argv[1]) < 0 ? NULL : Py_NewRef(Py_None);
    if (PyErr_Occurred())
        return NULL;
    __typeof__(virConnectDomainEventRegister) *fn = VBPY_RESOLVE_NAMED(virConnectDomainEventRegister);
    const vbpyClass *domCls = vbpyFindClass("virDomain");
    if (!fn || !domCls || !(callbacks = PyDict_New()))
        return NULL;
    vbpyEventData *d = NULL;
    if (PyDict_SetItem(callbacks, argv[0], argv[1]) < 0 ||
        !(d = vbpyEventDataNew(self, domCls, callbacks, Py_None))) {
        Py_DECREF(callbacks);
        return NULL;
    }
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(conn, vbpyLegacyEvent, d, vbpyEventFree), ret == -1);
    if (ret == -1) {
        vbpyEventFree(d);
        Py_DECREF(callbacks);
        return vbpyErrRaise(&err, "virConnectDomainEventRegister");
    }
    vbpyEventTrack(d, VBPY_DEREG_LEGACY, vbpyFindSym("virConnectDomainEventDeregister"), 0,
                   (void (*)(void))vbpyLegacyEvent, vbpyLegacyForget);
    int rc = PyDict_SetItem(vbpy_legacy, self, callbacks);
    Py_DECREF(callbacks);
    return rc < 0 ? NULL : Py_NewRef(Py_None);
}

/* conn.domainEventDeregister(cb) -> None; the C registration goes with the
 * last callback. */
VBPY_HW(virConnectDomainEventDeregister)
{
    static const char *const kwlist[] = { "cb", NULL };
    PyObject *argv[1];
    if (vbpyParseArgs("domainEventDeregister", args, nargs, kwnames, kwlist, 1, 1, argv) < 0)
        return NULL;
    virConnectPtr conn = vbpySelf(self);
    if (!conn)
        return NULL;
    PyObject *callbacks = vbpy_legacy ? PyDict_GetItemWithError(vbpy_legacy, self) : NULL;
    if (!callbacks) {
        if (PyErr_Occurred())
            return NULL;
        Py_RETURN_NONE;   /* nothing registered: as libvirt-python */
    }
    int has = PyDict_Contains(callbacks, argv[0]);
    if (has < 0 || (has && PyDict_DelItem(callbacks, argv[0]) < 0))
        return NULL;
    if (PyDict_Size(callbacks) > 0)
        Py_RETURN_NONE;
    __typeof__(virConnectDomainEventDeregister) *fn =
        VBPY_RESOLVE_NAMED(virConnectDomainEventDeregister);
    if (!fn)
        return NULL;
    if (PyDict_DelItem(vbpy_legacy, self) < 0)
        return NULL;
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(conn, vbpyLegacyEvent), ret == -1);
    if (ret == -1)
        return vbpyErrRaise(&err, "virConnectDomainEventDeregister");
    Py_RETURN_NONE;
}

/* ------------------------------------------------------ custom event loops */

/* virEventRegisterImpl(addHandle, updateHandle, removeHandle, addTimeout,
 * updateTimeout, removeTimeout): libvirt's event loop hooks call these Python
 * functions (libvirtaio's protocol, as libvirt-python):
 *   addHandle(fd, events, cb, opaque) -> watch,  addTimeout(ms, cb, opaque) -> timer
 * where the loop later calls cb(watch, fd, events, opaque) / cb(timer, opaque)
 * and, once a handle or timer is removed, virEventInvokeFreeCallback(opaque).
 * opaque is a capsule holding libvirt's callback, opaque and free function. */
static PyObject *vbpy_impl[6];   /* the six Python functions */

typedef struct {
    virEventHandleCallback handle_cb;
    virEventTimeoutCallback timeout_cb;
    void *opaque;
    virFreeCallback ff;
} vbpyLoopCb;

static const char *const vbpy_loop_capsule = "virtbind.eventCallback";

static void vbpyLoopCbDestroy(PyObject *capsule)
{
    free(PyCapsule_GetPointer(capsule, vbpy_loop_capsule));
}

static PyObject *vbpyLoopCapsule(virEventHandleCallback hcb, virEventTimeoutCallback tcb,
                                 void *opaque, virFreeCallback ff)
{
    vbpyLoopCb *c = calloc(1, sizeof(*c));
    if (!c)
        return PyErr_NoMemory();
    c->handle_cb = hcb;
    c->timeout_cb = tcb;
    c->opaque = opaque;
    c->ff = ff;
    PyObject *cap = PyCapsule_New(c, vbpy_loop_capsule, vbpyLoopCbDestroy);
    if (!cap)
        free(c);
    return cap;
}

/* Call Python impl function i; returns its int result, -1 on failure. */
static int vbpyLoopCall(int i, PyObject *args)
{
    int ret = -1;
    PyObject *r = args && vbpy_impl[i] ? PyObject_Call(vbpy_impl[i], args, NULL) : NULL;
    if (r && r != Py_None) {
        ret = (int)PyLong_AsLong(r);
        if (ret == -1 && PyErr_Occurred())
            PyErr_WriteUnraisable(vbpy_impl[i]);
    } else if (r) {
        ret = 0;
    } else {
        PyErr_WriteUnraisable(vbpy_impl[i] ? vbpy_impl[i] : Py_None);
    }
    Py_XDECREF(r);
    Py_XDECREF(args);
    return ret;
}

static PyObject *vbpyModuleAttr(const char *name);

/* addHandle (impl 0, args fd, event) or addTimeout (impl 3, arg timeout) of
 * the Python loop, called by libvirt: the Python side gets the invoker and a
 * capsule holding libvirt's callback (exactly one of hcb, tcb). */
static int vbpyLoopAdd(int i, int a, int b, virEventHandleCallback hcb,
                       virEventTimeoutCallback tcb, void *opaque, virFreeCallback ff)
{
    PyGILState_STATE st = PyGILState_Ensure();
    PyObject *cap = vbpyLoopCapsule(hcb, tcb, opaque, ff);
    PyObject *invoke = cap ? vbpyModuleAttr(hcb ? "_eventInvokeHandleCallback"
                                                : "_eventInvokeTimeoutCallback")
                           : NULL;
    int ret = -1;
    if (invoke)
        ret = vbpyLoopCall(i, hcb ? Py_BuildValue("(iiOO)", a, b, invoke, cap)
                                  : Py_BuildValue("(iOO)", a, invoke, cap));
    else
        PyErr_WriteUnraisable(Py_None);
    Py_XDECREF(invoke);
    Py_XDECREF(cap);
    PyGILState_Release(st);
    return ret;
}

/* update* (two int args) and remove* (one) of the Python loop */
static int vbpyLoopNotify(int i, int nargs, int a, int b)
{
    PyGILState_STATE st = PyGILState_Ensure();
    int ret = vbpyLoopCall(i, nargs == 2 ? Py_BuildValue("(ii)", a, b) : Py_BuildValue("(i)", a));
    PyGILState_Release(st);
    return ret;
}

static int vbpyLoopAddHandle(int fd, int event, virEventHandleCallback cb, void *opaque,
                             virFreeCallback ff)
{
    return vbpyLoopAdd(0, fd, event, cb, NULL, opaque, ff);
}

static void vbpyLoopUpdateHandle(int watch, int event)
{
    vbpyLoopNotify(1, 2, watch, event);
}

static int vbpyLoopRemoveHandle(int watch)
{
    return vbpyLoopNotify(2, 1, watch, 0);
}

static int vbpyLoopAddTimeout(int timeout, virEventTimeoutCallback cb, void *opaque,
                              virFreeCallback ff)
{
    return vbpyLoopAdd(3, timeout, 0, NULL, cb, opaque, ff);
}

static void vbpyLoopUpdateTimeout(int timer, int timeout)
{
    vbpyLoopNotify(4, 2, timer, timeout);
}

static int vbpyLoopRemoveTimeout(int timer)
{
    return vbpyLoopNotify(5, 1, timer, 0);
}

static PyObject *vbpy_module;   /* set by the first call needing it */

static PyObject *vbpyModuleAttr(const char *name)
{
    if (!vbpy_module && !(vbpy_module = PyImport_ImportModule("virtbind._virtbind")))
        return NULL;
    return PyObject_GetAttrString(vbpy_module, name);
}

VBPY_HW(virEventRegisterImpl)
{
    (void)self;
    static const char *const kwlist[] = { "addHandle", "updateHandle", "removeHandle",
                                          "addTimeout", "updateTimeout", "removeTimeout", NULL };
    PyObject *argv[6];
    if (vbpyParseArgs("virEventRegisterImpl", args, nargs, kwnames, kwlist, 6, 6, argv) < 0)
        return NULL;
    for (int i = 0; i < 6; i++) {
        if (!PyCallable_Check(argv[i])) {
            PyErr_Format(PyExc_TypeError, "argument '%s' must be callable", kwlist[i]);
            return NULL;
        }
    }
    __typeof__(virEventRegisterImpl) *fn = VBPY_RESOLVE_NAMED(virEventRegisterImpl);
    if (!fn)
        return NULL;
    for (int i = 0; i < 6; i++) {
        Py_INCREF(argv[i]);
        Py_XSETREF(vbpy_impl[i], argv[i]);
    }
    Py_BEGIN_ALLOW_THREADS
    fn(vbpyLoopAddHandle, vbpyLoopUpdateHandle, vbpyLoopRemoveHandle, vbpyLoopAddTimeout,
       vbpyLoopUpdateTimeout, vbpyLoopRemoveTimeout);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static vbpyLoopCb *vbpyLoopCbFrom(PyObject *opaque)
{
    vbpyLoopCb *c = PyCapsule_IsValid(opaque, vbpy_loop_capsule)
                        ? PyCapsule_GetPointer(opaque, vbpy_loop_capsule) : NULL;
    if (!c)
        PyErr_SetString(PyExc_TypeError, "opaque is not a libvirt event callback");
    return c;
}

/* _eventInvokeHandleCallback(watch, fd, events, opaque): libvirt's handle
 * callback, called by the Python event loop. */
static PyObject *vbpyInvokeHandle(PyObject *self, PyObject *args)
{
    (void)self;
    int watch, fd, events;
    PyObject *opaque, *compat = Py_None;
    if (!PyArg_ParseTuple(args, "iiiO|O:_eventInvokeHandleCallback", &watch, &fd, &events,
                          &opaque, &compat))
        return NULL;
    vbpyLoopCb *c = vbpyLoopCbFrom(opaque);
    if (!c || !c->handle_cb) {
        if (c)
            PyErr_SetString(PyExc_TypeError, "opaque is a timeout callback");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    c->handle_cb(watch, fd, events, c->opaque);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

/* _eventInvokeTimeoutCallback(timer, opaque) */
static PyObject *vbpyInvokeTimeout(PyObject *self, PyObject *args)
{
    (void)self;
    int timer;
    PyObject *opaque, *compat = Py_None;
    if (!PyArg_ParseTuple(args, "iO|O:_eventInvokeTimeoutCallback", &timer, &opaque, &compat))
        return NULL;
    vbpyLoopCb *c = vbpyLoopCbFrom(opaque);
    if (!c || !c->timeout_cb) {
        if (c)
            PyErr_SetString(PyExc_TypeError, "opaque is a handle callback");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    c->timeout_cb(timer, c->opaque);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

/* virEventInvokeFreeCallback(opaque): the loop is done with a removed handle
 * or timer: libvirt's free function runs (once). */
static PyObject *vbpyInvokeFree(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *opaque;
    if (!PyArg_ParseTuple(args, "O:virEventInvokeFreeCallback", &opaque))
        return NULL;
    vbpyLoopCb *c = vbpyLoopCbFrom(opaque);
    if (!c)
        return NULL;
    virFreeCallback ff = c->ff;
    void *data = c->opaque;
    c->ff = NULL;
    if (ff) {
        Py_BEGIN_ALLOW_THREADS
        ff(data);
        Py_END_ALLOW_THREADS
    }
    Py_RETURN_NONE;
}

/* virEventAddHandle(fd, events, cb, opaque) / virEventAddTimeout(timeout, cb,
 * opaque): Python callbacks on the registered loop, cb(watch, fd, events,
 * opaque) / cb(timer, opaque). */
static void vbpyUserHandle(int watch, int fd, int events, void *opaque)
{
    vbpyEventData *d = opaque;   /* d->cb, d->opaque; conn unused (None) */
    PyGILState_STATE st = PyGILState_Ensure();
    vbpyEventCall(d, Py_BuildValue("(iiiO)", watch, fd, events, d->opaque));
    PyGILState_Release(st);
}

static void vbpyUserTimeout(int timer, void *opaque)
{
    vbpyEventData *d = opaque;
    PyGILState_STATE st = PyGILState_Ensure();
    vbpyEventCall(d, Py_BuildValue("(iO)", timer, d->opaque));
    PyGILState_Release(st);
}

VBPY_HW(virEventAddHandle)
{
    (void)self;
    static const char *const kwlist[] = { "fd", "events", "cb", "opaque", NULL };
    PyObject *argv[4];
    if (vbpyParseArgs("virEventAddHandle", args, nargs, kwnames, kwlist, 4, 4, argv) < 0)
        return NULL;
    int fd, events;
    if (vbpyToInt(argv[0], "fd", &fd) < 0 || vbpyToInt(argv[1], "events", &events) < 0)
        return NULL;
    if (!PyCallable_Check(argv[2])) {
        PyErr_SetString(PyExc_TypeError, "argument 'cb' must be callable");
        return NULL;
    }
    __typeof__(virEventAddHandle) *fn = VBPY_RESOLVE_NAMED(virEventAddHandle);
    if (!fn)
        return NULL;
    vbpyEventData *d = vbpyEventDataNew(Py_None, NULL, argv[2], argv[3]);
    if (!d)
        return NULL;
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(fd, events, vbpyUserHandle, d, vbpyEventFree), ret == -1);
    if (ret == -1) {
        vbpyEventFree(d);
        return vbpyErrRaise(&err, "virEventAddHandle");
    }
    return PyLong_FromLong(ret);
}

VBPY_HW(virEventAddTimeout)
{
    (void)self;
    static const char *const kwlist[] = { "timeout", "cb", "opaque", NULL };
    PyObject *argv[3];
    if (vbpyParseArgs("virEventAddTimeout", args, nargs, kwnames, kwlist, 3, 3, argv) < 0)
        return NULL;
    int timeout;
    if (vbpyToInt(argv[0], "timeout", &timeout) < 0)
        return NULL;
    if (!PyCallable_Check(argv[1])) {
        PyErr_SetString(PyExc_TypeError, "argument 'cb' must be callable");
        return NULL;
    }
    __typeof__(virEventAddTimeout) *fn = VBPY_RESOLVE_NAMED(virEventAddTimeout);
    if (!fn)
        return NULL;
    vbpyEventData *d = vbpyEventDataNew(Py_None, NULL, argv[1], argv[2]);
    if (!d)
        return NULL;
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(timeout, vbpyUserTimeout, d, vbpyEventFree), ret == -1);
    if (ret == -1) {
        vbpyEventFree(d);
        return vbpyErrRaise(&err, "virEventAddTimeout");
    }
    return PyLong_FromLong(ret);
}

/* _add_method(cls, name, func): make func a method of a binding class (the
 * classes are static types, so setattr() refuses; virtbind.typed attaches
 * its typed helpers through this). */
static PyObject *vbpyAddMethod(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cls, *name, *func;
    if (!PyArg_ParseTuple(args, "O!UO:_add_method", &PyType_Type, &cls, &name, &func))
        return NULL;
    const char *tpname = ((PyTypeObject *)cls)->tp_name;
    const char *dot = strrchr(tpname, '.');
    const vbpyClass *ours = vbpyFindClass(dot ? dot + 1 : tpname);
    if (!ours || ours->type != (PyTypeObject *)cls) {
        PyErr_SetString(PyExc_TypeError, "_add_method(): not a virtbind class");
        return NULL;
    }
    if (!PyCallable_Check(func)) {
        PyErr_SetString(PyExc_TypeError, "_add_method(): func must be callable");
        return NULL;
    }
    if (PyDict_SetItem(((PyTypeObject *)cls)->tp_dict, name, func) < 0)
        return NULL;
    PyType_Modified((PyTypeObject *)cls);
    Py_RETURN_NONE;
}

/* Module functions of the runtime that bind no libvirt function. */
PyMethodDef vbpy_runtime_functions[] = {
    { "_add_method", vbpyAddMethod, METH_VARARGS,
      "_add_method(cls, name, func): add a Python function as a method of a virtbind class" },
    { "_set_error_classes", vbpySetErrorClasses, METH_O,
      "_set_error_classes({code: class}): raise the libvirtError subclass registered per error code" },
    { "_eventInvokeHandleCallback", vbpyInvokeHandle, METH_VARARGS,
      "_eventInvokeHandleCallback(watch, fd, events, opaque): run libvirt's handle callback" },
    { "_eventInvokeTimeoutCallback", vbpyInvokeTimeout, METH_VARARGS,
      "_eventInvokeTimeoutCallback(timer, opaque): run libvirt's timeout callback" },
    { "virEventInvokeFreeCallback", vbpyInvokeFree, METH_VARARGS,
      "virEventInvokeFreeCallback(opaque): free a removed handle's or timer's data" },
    { NULL, NULL, 0, NULL },
};

/* ---------------------------------------------------------------- streams */

/* stream.eventAddCallback(events, cb, opaque) -> None; cb(stream, events,
 * opaque) on the event loop thread.  The registration keeps the stream
 * wrapper, cb and opaque alive until libvirt drops it
 * (eventRemoveCallback, or the stream's end), as libvirt-python's cbData. */
static void vbpyStreamEvent(virStreamPtr st, int events, void *opaque)
{
    vbpyEventData *d = opaque;
    (void)st;
    PyGILState_STATE gs = PyGILState_Ensure();
    vbpyEventCall(d, Py_BuildValue("(OiO)", d->conn, events, d->opaque));
    PyGILState_Release(gs);
}

VBPY_HW(virStreamEventAddCallback)
{
    static const char *const kwlist[] = { "events", "cb", "opaque", NULL };
    PyObject *argv[3];
    if (vbpyParseArgs("eventAddCallback", args, nargs, kwnames, kwlist, 3, 3, argv) < 0)
        return NULL;
    virStreamPtr st = vbpySelf(self);
    if (!st)
        return NULL;
    int events;
    if (vbpyToInt(argv[0], "events", &events) < 0)
        return NULL;
    if (!PyCallable_Check(argv[1])) {
        PyErr_SetString(PyExc_TypeError, "argument 'cb' must be callable");
        return NULL;
    }
    __typeof__(virStreamEventAddCallback) *fn = VBPY_RESOLVE_NAMED(virStreamEventAddCallback);
    if (!fn)
        return NULL;
    vbpyEventData *d = vbpyEventDataNew(self, NULL, argv[1], argv[2]);
    if (!d)
        return NULL;
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(st, events, vbpyStreamEvent, d, vbpyEventFree), ret == -1);
    if (ret == -1) {
        vbpyEventFree(d);   /* libvirt did not keep it */
        return vbpyErrRaise(&err, "virStreamEventAddCallback");
    }
    Py_RETURN_NONE;
}

/* sendAll / recvAll / sparseSendAll / sparseRecvAll: libvirt-python writes
 * them in Python over send/recv/recvFlags/sendHole/recvHole, and so does
 * virtbind (virtbind/_streams.py, same loops, same errors); these methods
 * call virtbind._streams.<name>(self, ...). */
static PyObject *vbpyStreamHelper(const char *name, PyObject *self, PyObject *const *args,
                                  Py_ssize_t nargs, PyObject *kwnames)
{
    if (!vbpySelf(self))
        return NULL;
    PyObject *mod = PyImport_ImportModule("virtbind._streams");
    PyObject *f = mod ? PyObject_GetAttrString(mod, name) : NULL;
    Py_XDECREF(mod);
    if (!f)
        return NULL;
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    PyObject **all = PyMem_Malloc((size_t)(nargs + nkw + 1) * sizeof(PyObject *));
    if (!all) {
        Py_DECREF(f);
        return PyErr_NoMemory();
    }
    all[0] = self;
    for (Py_ssize_t i = 0; i < nargs + nkw; i++)
        all[i + 1] = args[i];
    PyObject *r = PyObject_Vectorcall(f, all, (size_t)nargs + 1, kwnames);
    PyMem_Free(all);
    Py_DECREF(f);
    return r;
}

VBPY_HW(virStreamSendAll)
{
    return vbpyStreamHelper("sendAll", self, args, nargs, kwnames);
}

VBPY_HW(virStreamRecvAll)
{
    return vbpyStreamHelper("recvAll", self, args, nargs, kwnames);
}

VBPY_HW(virStreamSparseSendAll)
{
    return vbpyStreamHelper("sparseSendAll", self, args, nargs, kwnames);
}

VBPY_HW(virStreamSparseRecvAll)
{
    return vbpyStreamHelper("sparseRecvAll", self, args, nargs, kwnames);
}

/* ------------------------------------------------------------ qemu / lxc */

#include <fcntl.h>
#include <unistd.h>

/* libvirt_qemu.qemuMonitorEventRegister(conn, dom, event, cb, opaque,
 * flags=0) -> callbackID; cb(conn, dom, event, seconds, micros, details,
 * opaque) — libvirt-python's signature (dom and event may be None). */
static void vbpyQemuMonitorEvent(virConnectPtr conn, virDomainPtr dom, const char *event,
                                 long long seconds, unsigned int micros, const char *details,
                                 void *opaque)
{
    vbpyEventData *d = opaque;
    (void)conn;
    PyGILState_STATE gs = PyGILState_Ensure();
    vbpyEventCall(d, Py_BuildValue("(ONzLIzO)", d->conn, vbpyEventObject(d, dom), event, seconds,
                                   micros, details, d->opaque));
    PyGILState_Release(gs);
}

VBPY_HW(virConnectDomainQemuMonitorEventRegister)
{
    (void)self;
    static const char *const kwlist[] = { "conn", "dom", "event", "cb", "opaque", "flags", NULL };
    PyObject *argv[6];
    if (vbpyParseArgs("qemuMonitorEventRegister", args, nargs, kwnames, kwlist, 6, 5, argv) < 0)
        return NULL;
    const vbpyClass *connCls = vbpyFindClass("virConnect"), *domCls = vbpyFindClass("virDomain");
    void *conn, *dom;
    const char *event;
    unsigned int flags;
    if (vbpyToObject(argv[0], "conn", connCls, false, &conn) < 0 ||
        vbpyToObject(argv[1], "dom", domCls, true, &dom) < 0 ||
        vbpyToString(argv[2], "event", true, &event) < 0 ||
        vbpyToUInt(argv[5], "flags", &flags) < 0)
        return NULL;
    if (!PyCallable_Check(argv[3])) {
        PyErr_SetString(PyExc_TypeError, "argument 'cb' must be callable");
        return NULL;
    }
    __typeof__(virConnectDomainQemuMonitorEventRegister) *fn =
        VBPY_RESOLVE_NAMED(virConnectDomainQemuMonitorEventRegister);
    if (!fn)
        return NULL;
    vbpyEventData *d = vbpyEventDataNew(argv[0], domCls, argv[3], argv[4]);
    if (!d)
        return NULL;
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(conn, dom, event, vbpyQemuMonitorEvent, d, vbpyEventFree, flags),
               ret == -1);
    if (ret == -1) {
        vbpyEventFree(d);
        return vbpyErrRaise(&err, "virConnectDomainQemuMonitorEventRegister");
    }
    vbpyEventTrack(d, VBPY_DEREG_ID, vbpyFindSym("virConnectDomainQemuMonitorEventDeregister"),
                   ret, NULL, NULL);
    return PyLong_FromLong(ret);
}

/* A received descriptor as a file object, its mode from the fd's flags
 * (libvirt-python's rule); the file owns (closes) the fd. */
static PyObject *vbpyFdFile(int fd)
{
    const char *mode = "r+b";
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) {
        switch (fl & (O_ACCMODE | O_APPEND)) {
        case O_RDONLY: mode = "rb"; break;
        case O_WRONLY: mode = "wb"; break;
        case O_RDWR: mode = "r+b"; break;
        case O_WRONLY | O_APPEND: mode = "ab"; break;
        case O_RDWR | O_APPEND: mode = "a+b"; break;
        }
    }
    return PyFile_FromFd(fd, NULL, mode, 0, NULL, NULL, NULL, 1);
}

/* libvirt_qemu.qemuMonitorCommandWithFiles(domain, cmd, files=[], flags=0)
 * -> (result, [file objects for the fds QEMU returned]). */
VBPY_HW(virDomainQemuMonitorCommandWithFiles)
{
    (void)self;
    static const char *const kwlist[] = { "domain", "cmd", "files", "flags", NULL };
    PyObject *argv[4];
    if (vbpyParseArgs("qemuMonitorCommandWithFiles", args, nargs, kwnames, kwlist, 4, 2, argv) < 0)
        return NULL;
    void *dom;
    const char *cmd;
    unsigned int flags;
    if (vbpyToObject(argv[0], "domain", vbpyFindClass("virDomain"), false, &dom) < 0 ||
        vbpyToString(argv[1], "cmd", false, &cmd) < 0 || vbpyToUInt(argv[3], "flags", &flags) < 0)
        return NULL;
    int *infiles = NULL;
    Py_ssize_t ninfiles = 0;
    if (argv[2] && vbpyToIntArray(argv[2], "files", false, (void **)&infiles, &ninfiles) < 0)
        return NULL;
    __typeof__(virDomainQemuMonitorCommandWithFiles) *fn =
        VBPY_RESOLVE_NAMED(virDomainQemuMonitorCommandWithFiles);
    if (!fn) {
        free(infiles);
        return NULL;
    }
    unsigned int noutfiles = 0;
    int *outfiles = NULL;
    char *result = NULL;
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err,
               ret = fn(dom, cmd, (unsigned int)ninfiles, infiles, &noutfiles, &outfiles, &result,
                        flags),
               ret == -1);
    free(infiles);
    if (ret == -1)
        return vbpyErrRaise(&err, "virDomainQemuMonitorCommandWithFiles");
    PyObject *files = PyList_New(0);
    unsigned int i = 0;
    for (; files && i < noutfiles; i++) {
        PyObject *f = vbpyFdFile(outfiles[i]);
        if (!f || PyList_Append(files, f) < 0) {
            if (!f)
                close(outfiles[i]);
            Py_XDECREF(f);
            Py_CLEAR(files);
            i++;
            break;
        }
        Py_DECREF(f);
    }
    for (; i < noutfiles; i++)   /* not handed to Python: close them */
        close(outfiles[i]);
    free(outfiles);
    PyObject *res = vbpyFromString(result, true);
    if (!files || !res) {
        Py_XDECREF(files);
        Py_XDECREF(res);
        return NULL;
    }
    return Py_BuildValue("(NN)", res, files);
}

/* libvirt_lxc.lxcEnterNamespace(domain, fdlist, flags) -> [old namespace fds]
 * (libvirt-python has no binding: virtbind's shape).  The calling process
 * enters the namespaces of fdlist; the returned fds are the previous ones,
 * for the caller to re-enter or close. */
VBPY_HW(virDomainLxcEnterNamespace)
{
    (void)self;
    static const char *const kwlist[] = { "domain", "fdlist", "flags", NULL };
    PyObject *argv[3];
    if (vbpyParseArgs("lxcEnterNamespace", args, nargs, kwnames, kwlist, 3, 3, argv) < 0)
        return NULL;
    void *dom;
    unsigned int flags;
    if (vbpyToObject(argv[0], "domain", vbpyFindClass("virDomain"), false, &dom) < 0 ||
        vbpyToUInt(argv[2], "flags", &flags) < 0)
        return NULL;
    int *fds = NULL;
    Py_ssize_t nfds = 0;
    if (vbpyToIntArray(argv[1], "fdlist", false, (void **)&fds, &nfds) < 0)
        return NULL;
    __typeof__(virDomainLxcEnterNamespace) *fn = VBPY_RESOLVE_NAMED(virDomainLxcEnterNamespace);
    if (!fn) {
        free(fds);
        return NULL;
    }
    unsigned int nold = 0;
    int *old = NULL;
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(dom, (unsigned int)nfds, fds, &nold, &old, flags), ret == -1);
    free(fds);
    if (ret == -1)
        return vbpyErrRaise(&err, "virDomainLxcEnterNamespace");
    return vbpyIntList(old, nold);
}

/* libvirt_lxc.lxcEnterSecurityLabel(model, label, flags) -> [old label,
 * enforcing]: model as conn.getSecurityModel() gives it ([model, doi]),
 * label as dom.securityLabel() ([label, enforcing]). */
static int vbpyCopyField(PyObject *seq, Py_ssize_t i, const char *arg, char *dst, size_t cap)
{
    const char *s;
    if (vbpyToString(PySequence_Fast_GET_ITEM(seq, i), arg, false, &s) < 0)
        return -1;
    if (strlen(s) >= cap) {
        PyErr_Format(PyExc_ValueError, "%s: longer than %zu bytes", arg, cap - 1);
        return -1;
    }
    strcpy(dst, s);
    return 0;
}

VBPY_HW(virDomainLxcEnterSecurityLabel)
{
    (void)self;
    static const char *const kwlist[] = { "model", "label", "flags", NULL };
    PyObject *argv[3];
    if (vbpyParseArgs("lxcEnterSecurityLabel", args, nargs, kwnames, kwlist, 3, 3, argv) < 0)
        return NULL;
    unsigned int flags;
    if (vbpyToUInt(argv[2], "flags", &flags) < 0)
        return NULL;
    virSecurityModel model;
    virSecurityLabel label, oldlabel;
    memset(&model, 0, sizeof(model));
    memset(&label, 0, sizeof(label));
    memset(&oldlabel, 0, sizeof(oldlabel));
    PyObject *m = PySequence_Fast(argv[0], "argument 'model' must be a sequence [model, doi]");
    PyObject *l = m ? PySequence_Fast(argv[1], "argument 'label' must be a sequence [label, enforcing]")
                    : NULL;
    int ok = m && l && PySequence_Fast_GET_SIZE(m) == 2 && PySequence_Fast_GET_SIZE(l) == 2;
    if (m && l && !ok)
        PyErr_SetString(PyExc_ValueError, "model must be [model, doi] and label [label, enforcing]");
    if (ok)
        ok = vbpyCopyField(m, 0, "model", model.model, sizeof(model.model)) == 0 &&
             vbpyCopyField(m, 1, "doi", model.doi, sizeof(model.doi)) == 0 &&
             vbpyCopyField(l, 0, "label", label.label, sizeof(label.label)) == 0;
    if (ok) {
        int t = PyObject_IsTrue(PySequence_Fast_GET_ITEM(l, 1));
        ok = t >= 0;
        label.enforcing = t;
    }
    Py_XDECREF(m);
    Py_XDECREF(l);
    if (!ok)
        return NULL;
    __typeof__(virDomainLxcEnterSecurityLabel) *fn =
        VBPY_RESOLVE_NAMED(virDomainLxcEnterSecurityLabel);
    if (!fn)
        return NULL;
    int ret;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, ret = fn(&model, &label, &oldlabel, flags), ret == -1);
    if (ret == -1)
        return vbpyErrRaise(&err, "virDomainLxcEnterSecurityLabel");
    return Py_BuildValue("[sO]", oldlabel.label, oldlabel.enforcing ? Py_True : Py_False);
}
