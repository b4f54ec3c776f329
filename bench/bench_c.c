/* bench_c: the C baseline of `make bench` (bench/run.py drives it).
 *
 * Every row calls libvirt directly on the in-process test driver
 * (test:///default), doing what the Python bindings do for the same method
 * (same libvirt calls, results freed), so that (binding - C) is the cost of
 * the binding.  The *.typed rows use libvirtbind's typed-struct wrappers.
 *
 *   bench_c calibrate [ROW...]           -> {"n": {row: N}}
 *   bench_c run ROW=N... [--runs K]      -> {"us": {row: [us per call]...}}
 *   bench_c memory [COUNT]               -> {"heap_bytes_per_object": x, ...}
 *
 * Built with -DBENCH_C_LIBRARY as build/bench/libbench_c.so, the same rows
 * run inside the Python benchmark processes (bench_py.py "paired" mode,
 * through ctypes) on their own test:///default connection, alternating with
 * the binding's runs: (binding - C) is then measured in one process, with
 * the same libvirt state (its hash tables are seeded at random per process),
 * instead of across processes.  bench_c_setup() opens the connection and
 * silences errors on it only (the binding's global error handler stays);
 * bench_c_run(ROW, N) returns the seconds N calls took (-1: no such row).
 * A failing libvirt call ends the process with a message, as in bench_c.
 *
 * A run of a row is N calls timed as a whole (N calibrated to ~50 ms); a warm-up run of N/10 calls
 * (at least 1) precedes the timed runs.  For "events" N counts events and the
 * result is microseconds per dispatched event (run.py turns it into events/s).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <virtbind/typedparams.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DOMNAME "test"
#define BATCH 100 /* objects per create_destroy batch, events per event batch */

static virConnectPtr conn;
static virDomainPtr dom;
static long long events_seen;

static void die(const char *what)
{
    virErrorPtr e = virGetLastError();
    fprintf(stderr, "bench_c: %s failed: %s\n", what, e && e->message ? e->message : "?");
    exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void quiet(void *ud, virErrorPtr e)
{
    (void)ud;
    (void)e;
}

/* ------------------------------------------------------------------ rows */
/* Each returns the seconds it measured (normally the whole loop). */

static double row_lookupByName(long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++) {
        virDomainPtr d = virDomainLookupByName(conn, DOMNAME);
        if (!d)
            die("virDomainLookupByName");
        virDomainFree(d);
    }
    return now() - t0;
}

static double row_info(long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++) {
        virDomainInfo info;
        if (virDomainGetInfo(dom, &info) < 0)
            die("virDomainGetInfo");
    }
    return now() - t0;
}

static double row_XMLDesc(long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++) {
        char *x = virDomainGetXMLDesc(dom, 0);
        if (!x)
            die("virDomainGetXMLDesc");
        free(x);
    }
    return now() - t0;
}

/* size probe, fetch, clear: what every binding does for an unknown count */
static double row_memoryParameters(long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++) {
        int np = 0;
        if (virDomainGetMemoryParameters(dom, NULL, &np, 0) < 0)
            die("virDomainGetMemoryParameters");
        virTypedParameterPtr p = calloc((size_t)np, sizeof(*p));
        if (virDomainGetMemoryParameters(dom, p, &np, 0) < 0)
            die("virDomainGetMemoryParameters");
        virTypedParamsClear(p, np);
        free(p);
    }
    return now() - t0;
}

static double row_blkioParameters(long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++) {
        int np = 0;
        if (virDomainGetBlkioParameters(dom, NULL, &np, 0) < 0)
            die("virDomainGetBlkioParameters");
        virTypedParameterPtr p = calloc((size_t)np, sizeof(*p));
        if (virDomainGetBlkioParameters(dom, p, &np, 0) < 0)
            die("virDomainGetBlkioParameters");
        virTypedParamsClear(p, np);
        free(p);
    }
    return now() - t0;
}

/* virDomainGetSchedulerType gives the count (as libvirt-python does) */
static double row_schedulerParameters(long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++) {
        int np = 0;
        char *type = virDomainGetSchedulerType(dom, &np);
        if (!type)
            die("virDomainGetSchedulerType");
        free(type);
        virTypedParameterPtr p = calloc((size_t)np, sizeof(*p));
        if (virDomainGetSchedulerParameters(dom, p, &np) < 0)
            die("virDomainGetSchedulerParameters");
        virTypedParamsClear(p, np);
        free(p);
    }
    return now() - t0;
}

static double row_listAllDomains(long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++) {
        virDomainPtr *doms = NULL;
        int nd = virConnectListAllDomains(conn, &doms, 0);
        if (nd < 0)
            die("virConnectListAllDomains");
        for (int k = 0; k < nd; k++)
            virDomainFree(doms[k]);
        free(doms);
    }
    return now() - t0;
}

static double row_getAllDomainStats(long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++) {
        virDomainStatsRecordPtr *recs = NULL;
        if (virConnectGetAllDomainStats(conn, 0, &recs, 0) < 0)
            die("virConnectGetAllDomainStats");
        virDomainStatsRecordListFree(recs);
    }
    return now() - t0;
}

/* the call fails; the caller reads the error (as a binding must) */
static double row_lookupByName_fail(long n)
{
    long long sum = 0;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        virDomainPtr d = virDomainLookupByName(conn, "no-such-domain");
        if (d)
            die("virDomainLookupByName (expected to fail)");
        virErrorPtr e = virGetLastError();
        sum += e ? e->code : 0;
        virResetLastError();
    }
    double t = now() - t0;
    if (sum == 0)
        die("reading the error");
    return t;
}

/* BATCH lookups kept alive, then all released: per object */
static double row_create_destroy(long n)
{
    virDomainPtr objs[BATCH];
    double t0 = now();
    for (long done = 0; done < n; done += BATCH) {
        for (int k = 0; k < BATCH; k++)
            if (!(objs[k] = virDomainLookupByName(conn, DOMNAME)))
                die("virDomainLookupByName");
        for (int k = 0; k < BATCH; k++)
            virDomainFree(objs[k]);
    }
    return now() - t0;
}

static double row_memoryParameters_typed(long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++) {
        virtbindDomainMemoryParams p;
        if (virtbindDomainGetMemoryParameters(dom, &p, 0) < 0)
            die("virtbindDomainGetMemoryParameters");
        virtbindDomainMemoryParamsClear(&p);
    }
    return now() - t0;
}

static double row_schedulerParameters_typed(long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++) {
        virtbindDomainSchedulerParams p;
        if (virtbindDomainGetSchedulerParameters(dom, &p) < 0)
            die("virtbindDomainGetSchedulerParameters");
        virtbindDomainSchedulerParamsClear(&p);
    }
    return now() - t0;
}

static double row_blkioParameters_typed(long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++) {
        virtbindDomainBlkioParams p;
        if (virtbindDomainGetBlkioParameters(dom, &p, 0) < 0)
            die("virtbindDomainGetBlkioParameters");
        virtbindDomainBlkioParamsClear(&p);
    }
    return now() - t0;
}

static double row_getAllDomainStats_typed(long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++) {
        virtbindDomainStatsRecord *recs = NULL;
        int nr = virtbindConnectGetAllDomainStats(conn, 0, &recs, 0);
        if (nr < 0)
            die("virtbindConnectGetAllDomainStats");
        virtbindDomainStatsRecordListFree(recs, nr);
    }
    return now() - t0;
}

static int on_lifecycle(virConnectPtr c, virDomainPtr d, int event, int detail, void *opaque)
{
    (void)c;
    (void)d;
    (void)event;
    (void)detail;
    (void)opaque;
    events_seen++;
    return 0;
}

/* Events: BATCH lifecycle events are queued (suspend/resume, not timed),
 * then the default loop runs until the callback has seen them all (timed). */
static double row_events(long n)
{
    double t = 0;
    for (long done = 0; done < n; done += BATCH) {
        long long want = events_seen + BATCH;
        for (int k = 0; k < BATCH / 2; k++)
            if (virDomainSuspend(dom) < 0 || virDomainResume(dom) < 0)
                die("virDomainSuspend/Resume");
        double t0 = now();
        while (events_seen < want)
            if (virEventRunDefaultImpl() < 0)
                die("virEventRunDefaultImpl");
        t += now() - t0;
    }
    return t;
}

static const struct row {
    const char *name;
    double (*fn)(long n);
} rows[] = {
    { "lookupByName", row_lookupByName },
    { "info", row_info },
    { "XMLDesc", row_XMLDesc },
    { "memoryParameters", row_memoryParameters },
    { "schedulerParameters", row_schedulerParameters },
    { "blkioParameters", row_blkioParameters },
    { "listAllDomains", row_listAllDomains },
    { "getAllDomainStats", row_getAllDomainStats },
    { "lookupByName_fail", row_lookupByName_fail },
    { "create_destroy", row_create_destroy },
    { "events", row_events },
    { "memoryParameters.typed", row_memoryParameters_typed },
    { "schedulerParameters.typed", row_schedulerParameters_typed },
    { "blkioParameters.typed", row_blkioParameters_typed },
    { "getAllDomainStats.typed", row_getAllDomainStats_typed },
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* The connection, the domain and (standalone) the default event loop with a
 * lifecycle callback for the events row.  In a library the binding owns the
 * event loop and the global error handler: errors are silenced on this
 * connection only, and the events row is not available. */
static void setup(int standalone)
{
    if (standalone) {
        virSetErrorFunc(NULL, quiet);
        if (virEventRegisterDefaultImpl() < 0)
            die("virEventRegisterDefaultImpl");
    }
    if (!(conn = virConnectOpen("test:///default")))
        die("virConnectOpen");
    if (!standalone)
        virConnSetErrorFunc(conn, NULL, quiet);
    if (!(dom = virDomainLookupByName(conn, DOMNAME)))
        die("virDomainLookupByName");
    if (standalone &&
        virConnectDomainEventRegisterAny(conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), NULL,
                                         NULL) < 0)
        die("virConnectDomainEventRegisterAny");
}

/* the row named by NAME's first LEN bytes, or NULL */
static const struct row *lookup_row(const char *name, size_t len)
{
    for (size_t i = 0; i < NROWS; i++)
        if (strlen(rows[i].name) == len && strncmp(rows[i].name, name, len) == 0)
            return &rows[i];
    return NULL;
}

#ifdef BENCH_C_LIBRARY
/* built with -fvisibility=hidden: these two are the library's only symbols */
#define BENCH_C_EXPORT __attribute__((visibility("default")))
BENCH_C_EXPORT int bench_c_setup(void);
BENCH_C_EXPORT double bench_c_run(const char *row, long n);

int bench_c_setup(void)
{
    if (!conn)
        setup(0);
    return 0;
}

double bench_c_run(const char *row, long n)
{
    const struct row *r = lookup_row(row, strlen(row));
    if (!conn || !r || strcmp(row, "events") == 0)
        return -1;
    return r->fn(n);
}
#else
static const struct row *find_row(const char *name, size_t len)
{
    const struct row *r = lookup_row(name, len);
    if (!r) {
        fprintf(stderr, "bench_c: unknown row '%.*s'\n", (int)len, name);
        exit(2);
    }
    return r;
}

/* N so that a run takes about target seconds (multiples of BATCH) */
static long calibrate(const struct row *r, double target)
{
    long n = BATCH;
    double t = r->fn(n);
    while (t < 0.02) {
        n *= 2;
        t = r->fn(n);
    }
    long want = (long)((double)n * target / t);
    want = (want + BATCH - 1) / BATCH * BATCH;
    return want < BATCH ? BATCH : want;
}

static long rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, res = 0;
    if (!f || fscanf(f, "%ld %ld", &size, &res) != 2)
        die("reading /proc/self/statm");
    fclose(f);
    return res * sysconf(_SC_PAGESIZE);
}

static long heap_bytes(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (long)(mi.uordblks + mi.hblkhd);
}

/* Growth of the malloc heap (glibc's in-use bytes: exact, unlike RSS) and of
 * RSS over COUNT lookups kept alive. */
static void memory(long count)
{
    virDomainPtr *objs = calloc((size_t)count, sizeof(*objs));
    if (!objs)
        die("calloc");
    long rss0 = rss_bytes(), heap0 = heap_bytes();
    for (long i = 0; i < count; i++)
        if (!(objs[i] = virDomainLookupByName(conn, DOMNAME)))
            die("virDomainLookupByName");
    long heap1 = heap_bytes(), rss1 = rss_bytes();
    printf("{\"heap_bytes_per_object\": %.1f, \"rss_bytes_per_object\": %.1f}\n",
           (double)(heap1 - heap0) / (double)count, (double)(rss1 - rss0) / (double)count);
    for (long i = 0; i < count; i++)
        virDomainFree(objs[i]);
    free(objs);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_c calibrate [ROW...] | run ROW=N... [--runs K] | memory [COUNT]\n");
        return 2;
    }
    setup(1);

    if (strcmp(argv[1], "memory") == 0) {
        memory(argc > 2 ? atol(argv[2]) : 10000);
    } else if (strcmp(argv[1], "calibrate") == 0) {
        printf("{\"n\": {");
        const char *sep = "";
        for (size_t i = 0; i < NROWS; i++) {
            if (argc > 2) {
                int wanted = 0;
                for (int a = 2; a < argc; a++)
                    wanted |= strcmp(argv[a], rows[i].name) == 0;
                if (!wanted)
                    continue;
            }
            printf("%s\"%s\": %ld", sep, rows[i].name, calibrate(&rows[i], 0.05));
            fflush(stdout);
            sep = ", ";
        }
        printf("}}\n");
    } else if (strcmp(argv[1], "run") == 0) {
        int runs = 1;
        for (int a = 2; a < argc; a++)
            if (strcmp(argv[a], "--runs") == 0 && a + 1 < argc)
                runs = atoi(argv[a + 1]);
        printf("{\"us\": {");
        const char *sep = "";
        for (int a = 2; a < argc; a++) {
            if (strcmp(argv[a], "--runs") == 0) {
                a++;
                continue;
            }
            const char *eq = strchr(argv[a], '=');
            if (!eq)
                continue;
            const struct row *r = find_row(argv[a], (size_t)(eq - argv[a]));
            long n = atol(eq + 1);
            long warm = n / 10 < BATCH ? BATCH : n / 10;
            r->fn(warm);
            printf("%s\"%s\": [", sep, r->name);
            for (int k = 0; k < runs; k++)
                printf("%s%.4f", k ? ", " : "", r->fn(n) * 1e6 / (double)n);
            printf("]");
            sep = ", ";
        }
        printf("}}\n");
    } else {
        fprintf(stderr, "bench_c: unknown mode '%s'\n", argv[1]);
        return 2;
    }
    virDomainFree(dom);
    virConnectClose(conn);
    return 0;
}
#endif
