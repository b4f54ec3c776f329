/* roundtrip.c — table-driven tests of the typed-parameter engine over every
 * generated struct (virtbindTPStructs): fill every field with sample values
 * (scalars, repeatable fields with two values, indexed fields with a hole,
 * extra entries including one whose type differs from its field's), pack,
 * unpack, compare member by member, pack again and compare the arrays.
 * Then the edge cases: wrong types, duplicates, index parsing, errors. */
#include <virtbind/typedparams.h>
#include <virtbind/events.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vbt.h"

static void *at(void *base, size_t off)
{
    return (char *)base + off;
}

static size_t esize(int type)
{
    switch (type) {
    case VIR_TYPED_PARAM_INT: return sizeof(int);
    case VIR_TYPED_PARAM_UINT: return sizeof(unsigned int);
    case VIR_TYPED_PARAM_LLONG: return sizeof(long long);
    case VIR_TYPED_PARAM_ULLONG: return sizeof(unsigned long long);
    case VIR_TYPED_PARAM_DOUBLE: return sizeof(double);
    case VIR_TYPED_PARAM_BOOLEAN: return sizeof(bool);
    default: return sizeof(char *);
    }
}

/* a sample value of TYPE, different for every SEED */
static void sample(int type, unsigned seed, void *slot)
{
    char buf[64];
    switch (type) {
    case VIR_TYPED_PARAM_INT: *(int *)slot = -1000 - (int)seed; break;
    case VIR_TYPED_PARAM_UINT: *(unsigned int *)slot = 4000000000u - seed; break;
    case VIR_TYPED_PARAM_LLONG: *(long long *)slot = -(1LL << 40) - seed; break;
    case VIR_TYPED_PARAM_ULLONG: *(unsigned long long *)slot = (1ULL << 63) + seed; break;
    case VIR_TYPED_PARAM_DOUBLE: *(double *)slot = 0.5 + seed; break;
    case VIR_TYPED_PARAM_BOOLEAN: *(bool *)slot = seed % 2 == 0; break;
    case VIR_TYPED_PARAM_STRING:
        snprintf(buf, sizeof(buf), "value-%u \"quoted\" é", seed);
        *(char **)slot = strdup(buf);
        break;
    }
}

static bool sameValue(int type, const void *a, const void *b)
{
    switch (type) {
    case VIR_TYPED_PARAM_INT: return *(const int *)a == *(const int *)b;
    case VIR_TYPED_PARAM_UINT: return *(const unsigned int *)a == *(const unsigned int *)b;
    case VIR_TYPED_PARAM_LLONG: return *(const long long *)a == *(const long long *)b;
    case VIR_TYPED_PARAM_ULLONG:
        return *(const unsigned long long *)a == *(const unsigned long long *)b;
    case VIR_TYPED_PARAM_DOUBLE: return *(const double *)a == *(const double *)b;
    case VIR_TYPED_PARAM_BOOLEAN: return *(const bool *)a == *(const bool *)b;
    case VIR_TYPED_PARAM_STRING: {
        const char *x = *(const char *const *)a, *y = *(const char *const *)b;
        return (!x && !y) || (x && y && strcmp(x, y) == 0);
    }
    }
    return false;
}

static bool sameParam(const virTypedParameter *a, const virTypedParameter *b)
{
    if (strcmp(a->field, b->field) != 0 || a->type != b->type)
        return false;
    switch (a->type) {
    case VIR_TYPED_PARAM_INT: return a->value.i == b->value.i;
    case VIR_TYPED_PARAM_UINT: return a->value.ui == b->value.ui;
    case VIR_TYPED_PARAM_LLONG: return a->value.l == b->value.l;
    case VIR_TYPED_PARAM_ULLONG: return a->value.ul == b->value.ul;
    case VIR_TYPED_PARAM_DOUBLE: return a->value.d == b->value.d;
    case VIR_TYPED_PARAM_BOOLEAN: return (a->value.b != 0) == (b->value.b != 0);
    case VIR_TYPED_PARAM_STRING: return strcmp(a->value.s, b->value.s) == 0;
    }
    return false;
}

/* Fill every field; returns the number of parameters Pack must produce. */
static int fill(const virtbindTPStruct *d, void *obj)
{
    int expect = 0;
    unsigned seed = 1;
    for (size_t i = 0; i < d->nfields; i++) {
        const virtbindTPField *f = &d->fields[i];
        size_t es = esize(f->type);
        switch (f->kind) {
        case VIRTBIND_TP_SCALAR:
            sample(f->type, seed++, at(obj, f->value_offset));
            *(bool *)at(obj, f->set_offset) = true;
            expect++;
            break;
        case VIRTBIND_TP_MULTI: {
            char *arr = calloc(2, es);
            sample(f->type, seed++, arr);
            sample(f->type, seed++, arr + es);
            *(void **)at(obj, f->value_offset) = arr;
            *(size_t *)at(obj, f->count_offset) = 2;
            expect += 2;
            break;
        }
        case VIRTBIND_TP_INDEXED: {
            /* entries 0 and 2 present, 1 absent */
            char *arr = calloc(3, es);
            sample(f->type, seed++, arr);
            sample(f->type, seed++, arr + 2 * es);
            *(void **)at(obj, f->value_offset) = arr;
            *(size_t *)at(obj, f->count_offset) = 3;
            if (f->set_offset != VIRTBIND_TP_NO_OFFSET) {
                bool *set = calloc(3, sizeof(bool));
                set[0] = set[2] = true;
                *(bool **)at(obj, f->set_offset) = set;
            }
            expect += 2;
            break;
        }
        }
    }
    /* extra: an unknown field, and a known field with another type */
    virTypedParameterPtr *extra = at(obj, d->extra_offset);
    int *nextra = at(obj, d->nextra_offset);
    int max = 0;
    virTypedParamsAddULLong(extra, nextra, &max, "virtbind.test.unknown", 42);
    virTypedParamsAddString(extra, nextra, &max, "virtbind.test.unknown.str", "x");
    expect += 2;
    if (d->nfields && d->fields[0].kind == VIRTBIND_TP_SCALAR) {
        if (d->fields[0].type == VIR_TYPED_PARAM_STRING)
            virTypedParamsAddInt(extra, nextra, &max, d->fields[0].name, 7);
        else
            virTypedParamsAddString(extra, nextra, &max, d->fields[0].name, "wrong type");
        expect++;
    }
    return expect;
}

static bool compare(const virtbindTPStruct *d, void *a, void *b, char *why, size_t whylen)
{
    for (size_t i = 0; i < d->nfields; i++) {
        const virtbindTPField *f = &d->fields[i];
        size_t es = esize(f->type);
        if (f->kind == VIRTBIND_TP_SCALAR) {
            if (*(bool *)at(a, f->set_offset) != *(bool *)at(b, f->set_offset) ||
                !sameValue(f->type, at(a, f->value_offset), at(b, f->value_offset))) {
                snprintf(why, whylen, "member %s", f->member);
                return false;
            }
            continue;
        }
        size_t ca = *(size_t *)at(a, f->count_offset), cb = *(size_t *)at(b, f->count_offset);
        char *xa = *(char **)at(a, f->value_offset), *xb = *(char **)at(b, f->value_offset);
        if (ca != cb) {
            snprintf(why, whylen, "member %s: count %zu vs %zu", f->member, ca, cb);
            return false;
        }
        for (size_t j = 0; j < ca; j++) {
            if (f->set_offset != VIRTBIND_TP_NO_OFFSET) {
                bool sa = (*(bool **)at(a, f->set_offset))[j];
                bool sb = (*(bool **)at(b, f->set_offset))[j];
                if (sa != sb || (sa && !sameValue(f->type, xa + j * es, xb + j * es))) {
                    snprintf(why, whylen, "member %s[%zu]", f->member, j);
                    return false;
                }
            } else if (!sameValue(f->type, xa + j * es, xb + j * es)) {
                snprintf(why, whylen, "member %s[%zu]", f->member, j);
                return false;
            }
        }
    }
    virTypedParameterPtr ea = *(virTypedParameterPtr *)at(a, d->extra_offset);
    virTypedParameterPtr eb = *(virTypedParameterPtr *)at(b, d->extra_offset);
    int na = *(int *)at(a, d->nextra_offset), nb = *(int *)at(b, d->nextra_offset);
    if (na != nb) {
        snprintf(why, whylen, "nextra %d vs %d", na, nb);
        return false;
    }
    for (int i = 0; i < na; i++) {
        if (!sameParam(&ea[i], &eb[i])) {
            snprintf(why, whylen, "extra[%d] %s", i, ea[i].field);
            return false;
        }
    }
    return true;
}

static void roundTrip(const virtbindTPStruct *d)
{
    void *a = calloc(1, d->size), *b = calloc(1, d->size);
    char why[200] = "";
    int expect = fill(d, a);
    virTypedParameterPtr p1 = NULL, p2 = NULL;
    int n1 = 0, n2 = 0;

    bool packed = virtbindTPPack(d, a, &p1, &n1) == 0;
    vbtOk(packed && n1 == expect, "%s: pack gives every field (%d of %d)", d->ctype, n1, expect);
    bool unpacked = packed && virtbindTPUnpack(d, p1, n1, b) == 0;
    vbtOk(unpacked && compare(d, a, b, why, sizeof(why)), "%s: unpack(pack(x)) == x %s",
          d->ctype, why);
    bool again = unpacked && virtbindTPPack(d, b, &p2, &n2) == 0 && n2 == n1;
    for (int i = 0; again && i < n1; i++)
        again = sameParam(&p1[i], &p2[i]);
    vbtOk(again, "%s: pack(unpack(p)) == p", d->ctype);

    virTypedParamsFree(p1, n1);
    virTypedParamsFree(p2, n2);
    virtbindTPClear(d, a);
    virtbindTPClear(d, b);
    bool zero = true;
    for (size_t i = 0; i < d->size; i++)
        zero = zero && ((unsigned char *)a)[i] == 0;
    vbtOk(zero, "%s: Clear zeroes the struct", d->ctype);
    free(a);
    free(b);
}

static void edgeCases(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    /* wrong type: kept in extra, the member untouched */
    virTypedParamsAddString(&p, &n, &max, "hard_limit", "not a number");
    virTypedParamsAddULLong(&p, &n, &max, "soft_limit", 1024);
    virTypedParamsAddULLong(&p, &n, &max, "soft_limit", 2048);      /* duplicate */
    virTypedParamsAddInt(&p, &n, &max, "future_knob", 3);           /* unknown */
    virtbindDomainMemoryParams mem;
    int rc = virtbindDomainMemoryParamsUnpack(p, n, &mem);
    vbtOk(rc == 0, "unpack with odd entries succeeds");
    vbtOk(!mem.hard_limit_set && mem.hard_limit == 0, "wrong-typed hard_limit not stored");
    vbtOk(mem.soft_limit_set && mem.soft_limit == 1024, "first soft_limit stored");
    vbtOk(mem.nextra == 3 && strcmp(mem.extra[0].field, "hard_limit") == 0 &&
              mem.extra[0].type == VIR_TYPED_PARAM_STRING &&
              strcmp(mem.extra[0].value.s, "not a number") == 0 &&
              strcmp(mem.extra[1].field, "soft_limit") == 0 && mem.extra[1].value.ul == 2048 &&
              strcmp(mem.extra[2].field, "future_knob") == 0 && mem.extra[2].value.i == 3,
          "wrong type, duplicate and unknown entries kept in extra, in order");
    virTypedParameterPtr q = NULL;
    int nq = 0;
    rc = virtbindDomainMemoryParamsPack(&mem, &q, &nq);
    vbtOk(rc == 0 && nq == 4, "repack gives back all 4 entries");
    virTypedParamsFree(q, nq);
    virtbindDomainMemoryParamsClear(&mem);
    virTypedParamsFree(p, n);

    /* indexed and repeatable fields */
    p = NULL;
    n = max = 0;
    virTypedParamsAddString(&p, &n, &max, "cputune.vcpupin3", "0-1");
    virTypedParamsAddString(&p, &n, &max, "cputune.vcpupin0", "2");
    virTypedParamsAddString(&p, &n, &max, "cputune.vcpupin03", "leading zero");
    virTypedParamsAddString(&p, &n, &max, "cputune.vcpupinX", "not a number");
    virTypedParamsAddString(&p, &n, &max, "cputune.vcpupin99999999999", "too large");
    virTypedParamsAddString(&p, &n, &max, "cputune.vcpupin0", "again");
    virtbindDomainTunableParams tun;
    rc = virtbindDomainTunableParamsUnpack(p, n, &tun);
    vbtOk(rc == 0 && tun.cpu_vcpupin_count == 4 && strcmp(tun.cpu_vcpupin[3], "0-1") == 0 &&
              strcmp(tun.cpu_vcpupin[0], "2") == 0 && !tun.cpu_vcpupin[1] && !tun.cpu_vcpupin[2],
          "cputune.vcpupin<N> lands at index N, holes are NULL");
    vbtOk(tun.nextra == 4, "non-canonical, non-numeric, huge and repeated indexes kept in extra (%d)",
          tun.nextra);
    q = NULL;
    nq = 0;
    rc = virtbindDomainTunableParamsPack(&tun, &q, &nq);
    vbtOk(rc == 0 && nq == 6 && strcmp(q[0].field, "cputune.vcpupin0") == 0 &&
              strcmp(q[1].field, "cputune.vcpupin3") == 0,
          "indexed entries pack back to their names");
    virTypedParamsFree(q, nq);
    virtbindDomainTunableParamsClear(&tun);
    virTypedParamsFree(p, n);

    p = NULL;
    n = max = 0;
    const char *disks[] = { "vda", "vdb", "vdc", NULL };
    virTypedParamsAddStringList(&p, &n, &max, "migrate_disks", disks);
    virTypedParamsAddInt(&p, &n, &max, "parallel.connections", 4);
    virtbindMigrateParams mig;
    rc = virtbindMigrateParamsUnpack(p, n, &mig);
    vbtOk(rc == 0 && mig.migrate_disks_count == 3 && strcmp(mig.migrate_disks[2], "vdc") == 0 &&
              mig.parallel_connections_set && mig.parallel_connections == 4 && mig.nextra == 0,
          "repeatable migrate_disks collected in order");
    virtbindMigrateParamsClear(&mig);
    virTypedParamsFree(p, n);

    /* errors */
    virtbindDomainNumaParams numa = {0};
    numa.nodeset_set = true;   /* but NULL */
    q = (virTypedParameterPtr)&numa;
    nq = 5;
    rc = virtbindDomainNumaParamsPack(&numa, &q, &nq);
    vbtOk(rc == -1 && errno == EINVAL && !q && nq == 0, "pack of a set NULL string fails with EINVAL");
    vbtOk(virtbindDomainNumaParamsUnpack(NULL, -1, &numa) == -1 && errno == EINVAL,
          "unpack of a negative count fails");
    vbtOk(virtbindDomainNumaParamsUnpack(NULL, 0, &numa) == 0 && !numa.nodeset_set,
          "unpack of nothing gives an empty struct");
    rc = virtbindDomainNumaParamsPack(&numa, &q, &nq);
    vbtOk(rc == 0 && !q && nq == 0, "pack of an empty struct gives NULL/0");

    /* an unpopulated slot (empty name) of a caller-allocated array is skipped */
    virTypedParameter slots[2];
    memset(slots, 0, sizeof(slots));
    strcpy(slots[0].field, "numa_mode");
    slots[0].type = VIR_TYPED_PARAM_INT;
    slots[0].value.i = 2;
    rc = virtbindDomainNumaParamsUnpack(slots, 2, &numa);
    vbtOk(rc == 0 && numa.mode_set && numa.mode == 2 && numa.nextra == 0,
          "empty slots are skipped");
    virtbindDomainNumaParamsClear(&numa);

    /* domain stats records: indexed numeric fields use a parallel _set array */
    p = NULL;
    n = max = 0;
    virTypedParamsAddULLong(&p, &n, &max, "block.1.rd.reqs", 77);
    virTypedParamsAddString(&p, &n, &max, "block.1.name", "vdb");
    virTypedParamsAddUInt(&p, &n, &max, "block.count", 2);
    virTypedParamsAddULLong(&p, &n, &max, "vcpu.0.wait", 5);   /* typed by a `prose` annotation */
    virTypedParamsAddUInt(&p, &n, &max, "cpu.cache.monitor.0.bank.0.id", 1); /* two indexes */
    virtbindDomainStatsParams st;
    rc = virtbindDomainStatsParamsUnpack(p, n, &st);
    vbtOk(rc == 0 && st.block_rd_reqs_count == 2 && !st.block_rd_reqs_set[0] &&
              st.block_rd_reqs_set[1] && st.block_rd_reqs[1] == 77 && st.block_name_count == 2 &&
              !st.block_name[0] && strcmp(st.block_name[1], "vdb") == 0 && st.block_count == 2 &&
              st.vcpu_wait_count == 1 && st.vcpu_wait_set[0] && st.vcpu_wait[0] == 5 &&
              st.nextra == 1 && strcmp(st.extra[0].field, "cpu.cache.monitor.0.bank.0.id") == 0,
          "stats: block.<num>.* indexed with holes, annotated prose types, two-index fields in extra");
    virtbindDomainStatsParamsClear(&st);
    virTypedParamsFree(p, n);

    /* Pack only reads the struct: caller-owned arrays stay the caller's */
    virtbindDomainTunableParams t2 = {0};
    char *big[1];
    t2.cpu_vcpupin = big;
    big[0] = (char *)"x";
    t2.cpu_vcpupin_count = 1;
    q = NULL;
    rc = virtbindDomainTunableParamsPack(&t2, &q, &nq);
    vbtOk(rc == 0 && nq == 1, "pack borrows caller arrays without taking them");
    virTypedParamsFree(q, nq);
}

/* virtbind<API>Params: one struct type name per typed-parameter API */
static void perApiTypes(void)
{
    vbtOk(virtbindTPNApis == VIRTBIND_TP_NAPIS && VIRTBIND_TP_NAPIS >= VIRTBIND_TP_NSTRUCTS,
          "%zu typed-parameter APIs, each with its struct type name (%zu structs)",
          virtbindTPNApis, virtbindTPNStructs);
    size_t bad = 0;
    for (size_t i = 0; i < virtbindTPNApis; i++) {
        const virtbindTPApi *a = &virtbindTPApis[i];
        bool listed = false;
        for (size_t k = 0; k < virtbindTPNStructs; k++)
            listed = listed || virtbindTPStructs[k] == a->desc;
        char want[200];
        snprintf(want, sizeof(want), "virtbind%sParams", a->api + 3);
        if (!listed || strcmp(a->ctype, want) != 0 || virtbindTPApiFind(a->api) != a ||
            (i + 1 < virtbindTPNApis && strcmp(a->api, virtbindTPApis[i + 1].api) >= 0)) {
            vbtOk(false, "per-API entry %s", a->api);
            bad++;
        }
    }
    vbtOk(bad == 0 && !virtbindTPApiFind("virNoSuchApi") &&
              virtbindTPApiFind("virDomainGetBlockIoTune")->desc == &virtbindDomainBlockIoTuneParamsDesc &&
              virtbindTPApiFind("virDomainGetGuestInfo")->desc == &virtbindDomainGuestInfoParamsDesc &&
              virtbindTPApiFind("virConnectDomainEventTunableCallback")->desc ==
                  &virtbindDomainTunableParamsDesc,
          "per-API table sorted, names virtbind<API>Params, tables shared with the group");
    /* the typedefs are the group's type: these assignments compile under -Werror */
    virtbindDomainGetBlockIoTuneParams get = {0};
    virtbindDomainBlockIoTuneParams *grp = &get;
    virtbindDomainSetBlockIoTuneParams *set = grp;
    virtbindConnectGetAllDomainStatsParams *st = (virtbindDomainStatsParams *)NULL;
    vbtOk(set == &get && !st, "virtbindDomainGetBlockIoTuneParams is virtbindDomainBlockIoTuneParams");
}

/* guest info: documented only in prose, with indexes and nested indexes */
static void guestInfo(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;
    virTypedParamsAddUInt(&p, &n, &max, "user.count", 1);
    virTypedParamsAddString(&p, &n, &max, "user.0.name", "root");
    virTypedParamsAddULLong(&p, &n, &max, "user.0.login-time", 1234);
    virTypedParamsAddString(&p, &n, &max, "os.id", "debian");
    virTypedParamsAddInt(&p, &n, &max, "timezone.offset", -3600);
    virTypedParamsAddString(&p, &n, &max, "hostname", "guest");
    virTypedParamsAddULLong(&p, &n, &max, "fs.1.total-bytes", 1ULL << 40);
    virTypedParamsAddBoolean(&p, &n, &max, "disk.0.partition", 1);
    virTypedParamsAddString(&p, &n, &max, "fs.1.disk.0.alias", "sda");   /* two indexes */
    virtbindDomainGetGuestInfoParams gi;
    int rc = virtbindDomainGuestInfoParamsUnpack(p, n, &gi);
    vbtOk(rc == 0 && gi.user_count_set && gi.user_count == 1 && gi.user_name_count == 1 &&
              strcmp(gi.user_name[0], "root") == 0 && gi.user_login_time[0] == 1234 &&
              strcmp(gi.os_id, "debian") == 0 && gi.timezone_offset == -3600 &&
              strcmp(gi.hostname, "guest") == 0 && gi.fs_total_bytes_count == 2 &&
              !gi.fs_total_bytes_set[0] && gi.fs_total_bytes[1] == 1ULL << 40 &&
              gi.disk_partition[0] && gi.nextra == 1 &&
              strcmp(gi.extra[0].field, "fs.1.disk.0.alias") == 0,
          "guest info: prose fields typed (text or annotation), indexed, two-index fields in extra");
    virTypedParameterPtr q = NULL;
    int nq = 0;
    rc = virtbindDomainGuestInfoParamsPack(&gi, &q, &nq);
    vbtOk(rc == 0 && nq == n, "guest info: pack gives every field back (%d of %d)", nq, n);
    virTypedParamsFree(q, nq);
    virtbindDomainGuestInfoParamsClear(&gi);
    virTypedParamsFree(p, n);
}

int main(void)
{
    /* the test itself calls virTypedParamsAdd* before anything else */
    if (virInitialize() < 0)
        return 2;
    vbtOk(virtbindTPNStructs == VIRTBIND_TP_NSTRUCTS && VIRTBIND_TP_NSTRUCTS >= VIRTBIND_TP_NGROUPS &&
              virtbindTPNStructs > 0,
          "%zu generated structs (%d model groups)", virtbindTPNStructs, VIRTBIND_TP_NGROUPS);
    for (size_t i = 0; i + 1 < virtbindTPNStructs; i++) {
        if (strcmp(virtbindTPStructs[i]->group, virtbindTPStructs[i + 1]->group) >= 0)
            vbtOk(false, "tables sorted at %s", virtbindTPStructs[i]->group);
    }
    vbtOk(virtbindTPStructFind("DomainMemory") == &virtbindDomainMemoryParamsDesc &&
              !virtbindTPStructFind("NoSuchGroup"),
          "virtbindTPStructFind");
    for (size_t i = 0; i < virtbindTPNStructs; i++)
        roundTrip(virtbindTPStructs[i]);
    edgeCases();
    perApiTypes();
    guestInfo();
    return vbtDone();
}
