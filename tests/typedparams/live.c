/* live.c — the typed wrappers against libvirt's in-process test driver
 * (test:///default, domain "test"): every typed-parameter API the test
 * driver implements, compared with the raw libvirt call, and set -> get
 * round trips that must change the values.  APIs the test driver lacks must
 * fail cleanly with libvirt's "not supported" error. */
#include <virtbind/typedparams.h>

#include <libvirt/virterror.h>
#include <stdlib.h>
#include <string.h>

#include "vbt.h"

static void quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

/* the raw caller-allocated getter result, for comparison */
typedef int (*rawGetter)(virDomainPtr, virTypedParameterPtr, int *, unsigned int);

static virTypedParameterPtr rawGet(virDomainPtr dom, rawGetter fn, int *n)
{
    *n = 0;
    if (fn(dom, NULL, n, 0) < 0 || *n == 0)
        return NULL;
    virTypedParameterPtr p = calloc((size_t)*n, sizeof(*p));
    if (fn(dom, p, n, 0) < 0) {
        free(p);
        return NULL;
    }
    return p;
}

static void freeRaw(virTypedParameterPtr p, int n)
{
    virTypedParamsClear(p, n);
    free(p);
}

static void testMemory(virDomainPtr dom)
{
    int n;
    virTypedParameterPtr raw = rawGet(dom, virDomainGetMemoryParameters, &n);
    virtbindDomainMemoryParams mem = {0};
    int rc = virtbindDomainGetMemoryParameters(dom, &mem, 0);
    vbtOk(rc == 0, "memory: virtbindDomainGetMemoryParameters");
    vbtOk(raw && n == 3 && mem.hard_limit_set && mem.soft_limit_set && mem.swap_hard_limit_set &&
              !mem.min_guarantee_set && mem.nextra == 0,
          "memory: the 3 fields of the test driver are set, nothing in extra");
    unsigned long long v = 0;
    vbtOk(raw && virTypedParamsGetULLong(raw, n, "hard_limit", &v) == 1 && v == mem.hard_limit &&
              virTypedParamsGetULLong(raw, n, "soft_limit", &v) == 1 && v == mem.soft_limit &&
              virTypedParamsGetULLong(raw, n, "swap_hard_limit", &v) == 1 &&
              v == mem.swap_hard_limit,
          "memory: values equal the raw virDomainGetMemoryParameters (hard %llu soft %llu swap %llu)",
          mem.hard_limit, mem.soft_limit, mem.swap_hard_limit);
    freeRaw(raw, n);

    virtbindDomainMemoryParams set = {0};
    set.hard_limit = 1048576;
    set.hard_limit_set = true;
    set.soft_limit = 524288;
    set.soft_limit_set = true;
    rc = virtbindDomainSetMemoryParameters(dom, &set, 0);
    vbtOk(rc == 0, "memory: virtbindDomainSetMemoryParameters");
    virtbindDomainMemoryParams after = {0};
    rc = virtbindDomainGetMemoryParameters(dom, &after, 0);
    vbtOk(rc == 0 && after.hard_limit == 1048576 && after.soft_limit == 524288 &&
              after.swap_hard_limit == mem.swap_hard_limit,
          "memory: set -> get changed hard_limit and soft_limit only");
    virtbindDomainMemoryParamsClear(&after);
    virtbindDomainMemoryParamsClear(&mem);
}

static void testScheduler(virDomainPtr dom)
{
    virtbindDomainSchedulerParams s = {0};
    int rc = virtbindDomainGetSchedulerParameters(dom, &s);
    vbtOk(rc == 0 && s.weight_set && s.nextra == 0,
          "scheduler: virtbindDomainGetSchedulerParameters gives weight (%u)", s.weight);
    int n = 0;
    char *type = virDomainGetSchedulerType(dom, &n);
    virTypedParameter raw[8];
    unsigned int w = 0;
    vbtOk(type && n == 1 && virDomainGetSchedulerParameters(dom, raw, &n) == 0 &&
              virTypedParamsGetUInt(raw, n, "weight", &w) == 1 && w == s.weight,
          "scheduler: weight equals the raw call");
    free(type);
    /* The test driver validates and accepts a new weight but does not store
     * it (testDomainSetSchedulerParametersFlags: "XXX"), so only the calls
     * and the unchanged value can be checked here. */
    virtbindDomainSchedulerParams set = {0};
    set.weight = s.weight + 17;
    set.weight_set = true;
    rc = virtbindDomainSetSchedulerParameters(dom, &set);
    vbtOk(rc == 0, "scheduler: virtbindDomainSetSchedulerParameters accepted");
    rc = virtbindDomainSetSchedulerParametersFlags(dom, &set, VIR_DOMAIN_AFFECT_CURRENT);
    vbtOk(rc == 0, "scheduler: virtbindDomainSetSchedulerParametersFlags accepted");
    virtbindDomainSchedulerParams after = {0};
    rc = virtbindDomainGetSchedulerParameters(dom, &after);
    vbtOk(rc == 0 && after.weight_set && after.weight == s.weight,
          "scheduler: get after set still reads weight (the test driver keeps none)");
    virtbindDomainSchedulerParams wrong = {0};
    int max = 0;
    virTypedParamsAddString(&wrong.extra, &wrong.nextra, &max, "weight", "heavy");
    rc = virtbindDomainSetSchedulerParameters(dom, &wrong);
    vbtOk(rc == -1 && virGetLastError() && virGetLastError()->code == VIR_ERR_INVALID_ARG,
          "scheduler: a wrongly typed extra entry reaches libvirt and is refused there");
    virtbindDomainSchedulerParamsClear(&wrong);
    virtbindDomainSchedulerParamsClear(&after);
    virtbindDomainSchedulerParamsClear(&s);
}

static void testBlkio(virDomainPtr dom)
{
    int n;
    virTypedParameterPtr raw = rawGet(dom, virDomainGetBlkioParameters, &n);
    virtbindDomainBlkioParams b = {0};
    int rc = virtbindDomainGetBlkioParameters(dom, &b, 0);
    unsigned int w = 0;
    const char *dw = NULL;
    vbtOk(rc == 0 && raw && n == 6 && b.weight_set && b.device_weight_set &&
              b.device_read_bps_set && b.device_write_iops_set && b.nextra == 0,
          "blkio: virtbindDomainGetBlkioParameters gives the 6 fields");
    vbtOk(raw && virTypedParamsGetUInt(raw, n, "weight", &w) == 1 && w == b.weight &&
              virTypedParamsGetString(raw, n, "device_weight", &dw) == 1 && b.device_weight &&
              strcmp(dw, b.device_weight) == 0,
          "blkio: weight %u and device_weight '%s' equal the raw call", b.weight,
          b.device_weight ? b.device_weight : "(null)");
    freeRaw(raw, n);
    virtbindDomainBlkioParams set = {0};
    set.weight = 345;
    set.weight_set = true;
    rc = virtbindDomainSetBlkioParameters(dom, &set, 0);
    virtbindDomainBlkioParams after = {0};
    vbtOk(rc == 0 && virtbindDomainGetBlkioParameters(dom, &after, 0) == 0 && after.weight == 345,
          "blkio: set -> get weight 345");
    virtbindDomainBlkioParamsClear(&after);
    virtbindDomainBlkioParamsClear(&b);
}

static void testNuma(virDomainPtr dom)
{
    int n;
    virTypedParameterPtr raw = rawGet(dom, virDomainGetNumaParameters, &n);
    virtbindDomainNumaParams nu = {0};
    int rc = virtbindDomainGetNumaParameters(dom, &nu, 0);
    int mode = -1;
    vbtOk(rc == 0 && raw && n == 2 && nu.mode_set && nu.nodeset_set && nu.nextra == 0 &&
              virTypedParamsGetInt(raw, n, "numa_mode", &mode) == 1 && mode == nu.mode,
          "numa: mode and nodeset equal the raw call");
    freeRaw(raw, n);
    virtbindDomainNumaParams set = {0};
    set.nodeset = strdup("0");
    set.nodeset_set = true;
    rc = virtbindDomainSetNumaParameters(dom, &set, 0);
    virtbindDomainNumaParams after = {0};
    bool got = rc == 0 && virtbindDomainGetNumaParameters(dom, &after, 0) == 0;
    vbtOk(got && after.nodeset && strcmp(after.nodeset, "0") == 0,
          "numa: set -> get nodeset '%s' (%s)", after.nodeset ? after.nodeset : "(null)",
          rc < 0 ? virGetLastErrorMessage() : "ok");
    virtbindDomainNumaParamsClear(&set);
    virtbindDomainNumaParamsClear(&after);
    virtbindDomainNumaParamsClear(&nu);
}

static void testInterface(virDomainPtr dom)
{
    virtbindDomainInterfaceParams ifp = {0};
    int rc = virtbindDomainGetInterfaceParameters(dom, "testnet0", &ifp, 0);
    vbtOk(rc == 0 && ifp.in_average_set && ifp.in_peak_set && ifp.in_burst_set &&
              ifp.in_floor_set && ifp.out_average_set && ifp.out_peak_set && ifp.out_burst_set &&
              ifp.nextra == 0,
          "interface: the 7 bandwidth fields of testnet0");
    int n = 0;
    virTypedParameter raw[16];
    unsigned int v = 0;
    vbtOk(virDomainGetInterfaceParameters(dom, "testnet0", NULL, &n, 0) == 0 && n == 7 &&
              virDomainGetInterfaceParameters(dom, "testnet0", raw, &n, 0) == 0 &&
              virTypedParamsGetUInt(raw, n, "inbound.average", &v) == 1 && v == ifp.in_average,
          "interface: inbound.average %u equals the raw call", ifp.in_average);
    virtbindDomainInterfaceParams set = {0};
    set.in_average = 1000;
    set.in_average_set = true;
    set.out_average = 2000;
    set.out_average_set = true;
    set.out_peak = 3000;
    set.out_peak_set = true;
    rc = virtbindDomainSetInterfaceParameters(dom, "testnet0", &set, 0);
    virtbindDomainInterfaceParams after = {0};
    vbtOk(rc == 0 && virtbindDomainGetInterfaceParameters(dom, "testnet0", &after, 0) == 0 &&
              after.in_average == 1000 && after.out_average == 2000 && after.out_peak == 3000,
          "interface: set -> get inbound.average 1000 outbound.average 2000 outbound.peak 3000 (%s)",
          rc < 0 ? virGetLastErrorMessage() : "ok");
    virtbindDomainInterfaceParams bad = {0};
    rc = virtbindDomainGetInterfaceParameters(dom, "nosuchdev", &bad, 0);
    vbtOk(rc == -1 && bad.nextra == 0 && !bad.in_average_set,
          "interface: an unknown device fails, the struct stays empty");
    virtbindDomainInterfaceParamsClear(&after);
    virtbindDomainInterfaceParamsClear(&ifp);
}

static void testBlockIoTune(virDomainPtr dom)
{
    virtbindDomainBlockIoTuneParams t = {0};
    int rc = virtbindDomainGetBlockIoTune(dom, "vda", &t, 0);
    size_t nset = 0;
    for (size_t i = 0; i < virtbindDomainBlockIoTuneParamsDesc.nfields; i++) {
        const virtbindTPField *f = &virtbindDomainBlockIoTuneParamsDesc.fields[i];
        nset += *(bool *)((char *)&t + f->set_offset);
    }
    vbtOk(rc == 0 && nset == 20 && t.nextra == 0, "blkiotune: all %zu fields of vda set", nset);
    virtbindDomainBlockIoTuneParams set = {0};
    set.total_bytes_sec = 4096000;
    set.total_bytes_sec_set = true;
    set.total_bytes_sec_max = 8192000;
    set.total_bytes_sec_max_set = true;
    set.group_name = strdup("grp1");
    set.group_name_set = true;
    rc = virtbindDomainSetBlockIoTune(dom, "vda", &set, 0);
    virtbindDomainBlockIoTuneParams after = {0};
    vbtOk(rc == 0 && virtbindDomainGetBlockIoTune(dom, "vda", &after, 0) == 0 &&
              after.total_bytes_sec == 4096000 && after.group_name &&
              strcmp(after.group_name, "grp1") == 0,
          "blkiotune: set -> get total_bytes_sec 4096000, group_name grp1 (%s)",
          rc < 0 ? virGetLastErrorMessage() : "ok");
    virtbindDomainBlockIoTuneParamsClear(&set);
    virtbindDomainBlockIoTuneParamsClear(&after);
    virtbindDomainBlockIoTuneParamsClear(&t);
}

static void testPerf(virDomainPtr dom)
{
    virtbindDomainPerfParams p = {0};
    int rc = virtbindDomainGetPerfEvents(dom, &p, 0);
    virTypedParameterPtr raw = NULL;
    int n = 0, cmt = -1;
    vbtOk(rc == 0 && p.cmt_set && p.emulation_faults_set && p.nextra == 0 &&
              virDomainGetPerfEvents(dom, &raw, &n, 0) == 0 && n == 22 &&
              virTypedParamsGetBoolean(raw, n, "cmt", &cmt) == 1 && (cmt != 0) == p.cmt,
          "perf: 22 events, cmt=%d equals the raw call", (int)p.cmt);
    virTypedParamsFree(raw, n);
    virtbindDomainPerfParams set = {0};
    set.cmt = !p.cmt;
    set.cmt_set = true;
    set.cpu_cycles = true;
    set.cpu_cycles_set = true;
    rc = virtbindDomainSetPerfEvents(dom, &set, 0);
    virtbindDomainPerfParams after = {0};
    vbtOk(rc == 0 && virtbindDomainGetPerfEvents(dom, &after, 0) == 0 && after.cmt == !p.cmt &&
              after.cpu_cycles,
          "perf: set -> get cmt toggled, cpu_cycles enabled (%s)",
          rc < 0 ? virGetLastErrorMessage() : "ok");
    virtbindDomainPerfParamsClear(&after);
    virtbindDomainPerfParamsClear(&p);
}

static void testCPUStats(virDomainPtr dom)
{
    virtbindDomainCPUStatsParams total = {0};
    int rc = virtbindDomainGetCPUStatsTotal(dom, &total, 0);
    vbtOk(rc == 0 && total.cputime_set, "cpustats: total cpu_time %llu (extra %d)",
          total.cputime, total.nextra);
    int ncpus = virDomainGetCPUStats(dom, NULL, 0, 0, 0, 0);
    virtbindDomainCPUStatsParams per[4];
    rc = virtbindDomainGetCPUStatsPerCPU(dom, per, 0, 4, 0);
    vbtOk(ncpus > 0 && rc == (ncpus < 4 ? ncpus : 4) && per[0].cputime_set,
          "cpustats: per-CPU for %d of %d host CPUs, cpu0 cpu_time %llu", rc, ncpus,
          per[0].cputime);
    for (int i = 0; i < 4; i++)
        virtbindDomainCPUStatsParamsClear(&per[i]);
    virtbindDomainCPUStatsParamsClear(&total);
}

static void testNode(virConnectPtr conn)
{
    virtbindNodeCPUStatsParams cpu = {0};
    int rc = virtbindNodeGetCPUStats(conn, VIR_NODE_CPU_STATS_ALL_CPUS, &cpu, 0);
    vbtOk(rc == 0 && cpu.kernel_set && cpu.user_set && cpu.idle_set && cpu.iowait_set &&
              cpu.nextra == 0,
          "node cpu stats (struct records): kernel %llu user %llu idle %llu iowait %llu",
          cpu.kernel, cpu.user, cpu.idle, cpu.iowait);
    virtbindNodeCPUStatsParamsClear(&cpu);

    /* not implemented by the test driver: must fail cleanly */
    virtbindNodeMemoryParams nm = {0};
    rc = virtbindNodeGetMemoryParameters(conn, &nm, 0);
    virErrorPtr e = virGetLastError();
    vbtOk(rc == -1 && e && e->code == VIR_ERR_NO_SUPPORT && nm.nextra == 0,
          "node memory parameters: unsupported by the test driver, error passed through");
}

static void testStats(virConnectPtr conn, virDomainPtr dom)
{
    virtbindDomainStatsRecord *recs = NULL;
    int n = virtbindConnectGetAllDomainStats(conn, 0, &recs, 0);
    int state = -1, reason = -1;
    virDomainGetState(dom, &state, &reason, 0);
    int found = -1;
    for (int i = 0; i < n; i++) {
        if (recs[i].dom && strcmp(virDomainGetName(recs[i].dom), "test") == 0)
            found = i;
    }
    vbtOk(n >= 1 && found >= 0, "stats: virtbindConnectGetAllDomainStats gives %d record(s)", n);
    vbtOk(found >= 0 && recs[found].stats.state_state_set && recs[found].stats.state_reason_set &&
              recs[found].stats.state_state == state && recs[found].stats.state_reason == reason,
          "stats: state.state and state.reason equal virDomainGetState (%d, %d)", state, reason);
    virtbindDomainStatsRecordListFree(recs, n);

    virDomainPtr doms[] = { dom, NULL };
    recs = NULL;
    n = virtbindDomainListGetStats(doms, VIR_DOMAIN_STATS_STATE, &recs, 0);
    vbtOk(n == 1 && recs[0].dom && recs[0].stats.state_state == state &&
              strcmp(virDomainGetName(recs[0].dom), "test") == 0,
          "stats: virtbindDomainListGetStats for one domain");
    virtbindDomainStatsRecordListFree(recs, n);
}

static int fieldType(const virtbindTPStruct *d, const char *name)
{
    for (size_t i = 0; i < d->nfields; i++) {
        if (strcmp(d->fields[i].name, name) == 0)
            return d->fields[i].type;
    }
    return -1;
}

/* an input wrapper whose field types come from the annotations file; the test
 * driver checks the types with virTypedParamsValidate */
static void testIOThread(virDomainPtr dom)
{
    int rc = virDomainAddIOThread(dom, 7, 0);
    virtbindDomainIOThreadParams io = {0};
    io.poll_max_ns = 32768;
    io.poll_max_ns_set = true;
    rc = rc == 0 ? virtbindDomainSetIOThreadParams(dom, 7, &io, 0) : -1;
    vbtOk(rc == 0, "iothread: poll_max_ns accepted with the model's type (%s)",
          rc < 0 ? virGetLastErrorMessage() : "ok");

    /* libvirt validates poll_grow/poll_shrink as VIR_TYPED_PARAM_UINT; when the
     * model types them otherwise, the extra list is the escape hatch */
    virtbindDomainIOThreadParams grow = {0};
    int t = fieldType(&virtbindDomainIOThreadParamsDesc, "poll_grow");
    if (t == VIR_TYPED_PARAM_UINT) {
        grow.poll_grow = 2;
        grow.poll_grow_set = true;
    } else {
        vbtDiag("the model types poll_grow as %d, libvirt expects VIR_TYPED_PARAM_UINT (%d): "
                "sent through extra", t, VIR_TYPED_PARAM_UINT);
        int max = 0;
        virTypedParamsAddUInt(&grow.extra, &grow.nextra, &max, "poll_grow", 2);
    }
    rc = virtbindDomainSetIOThreadParams(dom, 7, &grow, 0);
    vbtOk(rc == 0, "iothread: poll_grow accepted as an unsigned int (%s)",
          rc < 0 ? virGetLastErrorMessage() : "ok");
    virtbindDomainIOThreadParamsClear(&grow);

    virtbindDomainIOThreadParams pool = {0};
    pool.thread_pool_min = 1;
    pool.thread_pool_min_set = true;
    rc = virtbindDomainSetIOThreadParams(dom, 7, &pool, 0);
    virErrorPtr e = virGetLastError();
    vbtOk(rc == -1 && e && e->code == VIR_ERR_ARGUMENT_UNSUPPORTED,
          "iothread: thread_pool_min refused by the test driver, error passed through");
    virDomainDelIOThread(dom, 7, 0);
}

static void testUnsupported(virDomainPtr dom)
{
    virtbindDomainJobStatsParams js = {0};
    int type = -1;
    int rc = virtbindDomainGetJobStats(dom, &type, &js, 0);
    virErrorPtr e = virGetLastError();
    vbtOk(rc == -1 && e && e->code == VIR_ERR_NO_SUPPORT && js.nextra == 0 && !js.time_elapsed_set,
          "job stats: unsupported by the test driver, error passed through, struct empty");
    virtbindDomainBlockStatsParams bs = {0};
    rc = virtbindDomainBlockStatsFlags(dom, "vda", &bs, 0);
    e = virGetLastError();
    vbtOk(rc == -1 && e && e->code == VIR_ERR_NO_SUPPORT,
          "block stats: unsupported by the test driver, error passed through");
    /* the prose-documented guest agent APIs: the test driver has no agent */
    virtbindDomainGetGuestInfoParams gi = {0};
    gi.hostname = (char *)"stale";   /* the wrapper zeroes the output first */
    rc = virtbindDomainGetGuestInfo(dom, 0, &gi, 0);
    e = virGetLastError();
    vbtOk(rc == -1 && e && e->code == VIR_ERR_NO_SUPPORT && !gi.hostname && gi.nextra == 0,
          "guest info: unsupported by the test driver, error passed through, struct empty");
    virtbindDomainGetGuestVcpusParams gv = {0};
    rc = virtbindDomainGetGuestVcpus(dom, &gv, 0);
    e = virGetLastError();
    vbtOk(rc == -1 && e && e->code == VIR_ERR_NO_SUPPORT && !gv.vcpus && gv.nextra == 0,
          "guest vcpus: unsupported by the test driver, error passed through, struct empty");
}

int main(void)
{
    virSetErrorFunc(NULL, quiet);
    virConnectPtr conn = virConnectOpen("test:///default");
    if (!vbtOk(conn != NULL, "open test:///default"))
        return vbtDone();
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    if (vbtOk(dom != NULL, "domain test")) {
        testMemory(dom);
        testScheduler(dom);
        testBlkio(dom);
        testNuma(dom);
        testInterface(dom);
        testBlockIoTune(dom);
        testPerf(dom);
        testCPUStats(dom);
        testIOThread(dom);
        testUnsupported(dom);
        testStats(conn, dom);
        testNode(conn);
        virDomainFree(dom);
    }
    virConnectClose(conn);
    return vbtDone();
}
