/* demo_typed.c — a small real libvirt program next to virtbind's model:
 * opens libvirt's in-process test driver, looks up a domain, prints its
 * info and memory parameters (virDomainGetMemoryParameters with the usual
 * two-call size probe), and names each returned typed parameter by the
 * libvirt macro whose string is that field name — found in the model that
 * the api-xml library loads from libvirt's API XML.
 *
 * usage: vb-demo-typed [URI [DOMAIN]]   (default test:///default test)
 * Exit: 0 ok, 1 libvirt error, 2 the model could not be loaded. */
#include "vbapi.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *stateName(unsigned char state)
{
    static const char *const names[] = {
        [VIR_DOMAIN_NOSTATE] = "nostate",   [VIR_DOMAIN_RUNNING] = "running",
        [VIR_DOMAIN_BLOCKED] = "blocked",   [VIR_DOMAIN_PAUSED] = "paused",
        [VIR_DOMAIN_SHUTDOWN] = "shutdown", [VIR_DOMAIN_SHUTOFF] = "shutoff",
        [VIR_DOMAIN_CRASHED] = "crashed",   [VIR_DOMAIN_PMSUSPENDED] = "pmsuspended",
    };
    return state < sizeof(names) / sizeof(names[0]) && names[state] ? names[state] : "?";
}

static const char *paramTypeName(int type)
{
    switch (type) {
    case VIR_TYPED_PARAM_INT: return "int";
    case VIR_TYPED_PARAM_UINT: return "uint";
    case VIR_TYPED_PARAM_LLONG: return "llong";
    case VIR_TYPED_PARAM_ULLONG: return "ullong";
    case VIR_TYPED_PARAM_DOUBLE: return "double";
    case VIR_TYPED_PARAM_BOOLEAN: return "boolean";
    case VIR_TYPED_PARAM_STRING: return "string";
    default: return "?";
    }
}

static void printValue(const virTypedParameter *p)
{
    switch (p->type) {
    case VIR_TYPED_PARAM_INT: printf("%d", p->value.i); break;
    case VIR_TYPED_PARAM_UINT: printf("%u", p->value.ui); break;
    case VIR_TYPED_PARAM_LLONG: printf("%lld", p->value.l); break;
    case VIR_TYPED_PARAM_ULLONG:
        if (p->value.ul == VIR_DOMAIN_MEMORY_PARAM_UNLIMITED)
            printf("unlimited");
        else
            printf("%llu", p->value.ul);
        break;
    case VIR_TYPED_PARAM_DOUBLE: printf("%g", p->value.d); break;
    case VIR_TYPED_PARAM_BOOLEAN: printf("%s", p->value.b ? "true" : "false"); break;
    case VIR_TYPED_PARAM_STRING: printf("\"%s\"", p->value.s ? p->value.s : ""); break;
    default: printf("(unknown type %d)", p->type); break;
    }
}

static void printLibvirtError(const char *what)
{
    virErrorPtr e = virGetLastError();
    fprintf(stderr, "vb-demo-typed: %s failed: %s\n", what,
            e && e->message ? e->message : "unknown libvirt error");
}

/* Print the macros of the model whose string is `field`.  Several may share
 * one string ("weight" names VIR_DOMAIN_BLKIO_WEIGHT and others); those
 * starting with `prefix` are listed first. */
static void printMacrosFor(const vbModel *m, const char *field, const char *prefix)
{
    int n = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < m->nmacros; i++) {
            const vbMacro *mc = &m->macros[i];
            if (!mc->string || strcmp(mc->string, field) != 0)
                continue;
            if ((strncmp(mc->name, prefix, strlen(prefix)) == 0) != (pass == 0))
                continue;
            printf("%s%s", n++ ? ", " : "", mc->name);
            if (mc->tp_type != VB_TPT_UNKNOWN)
                printf(" (model type %s)", vbTypedParamTypeName(mc->tp_type));
            printf(" [%s:%d]", vbSourceName(mc->src), mc->line);
        }
    }
    if (!n)
        printf("(no macro in the API XML names \"%s\")", field);
}

static vbModel *loadModel(void)
{
    vbPaths paths = {0};
    char *err = NULL;
    vbModel *m = NULL;
    if (vbPathsDiscover(&paths, &err) == 0 && (m = vbModelLoad(&paths, &err)) &&
        vbModelClassify(m, paths.annotations, &err) < 0) {
        /* The raw model is enough for this demo; classification adds types. */
        fprintf(stderr, "vb-demo-typed: note: classification failed: %s\n", err);
        free(err);
        err = NULL;
    }
    if (!m)
        fprintf(stderr, "vb-demo-typed: cannot load the model: %s\n", err ? err : "?");
    else
        printf("model: %zu functions, %zu macros from %s\n", m->nfunctions, m->nmacros,
               m->paths[VB_SRC_MAIN]);
    free(err);
    vbPathsClear(&paths);
    return m;
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "test:///default";
    const char *name = argc > 2 ? argv[2] : "test";
    int rc = 1;
    virConnectPtr conn = NULL;
    virDomainPtr dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = 0;

    vbModel *m = loadModel();
    if (!m)
        return 2;

    if (!(conn = virConnectOpen(uri))) {
        printLibvirtError("virConnectOpen");
        goto out;
    }
    unsigned long ver = 0;
    if (virGetVersion(&ver, NULL, NULL) < 0)
        ver = 0;
    printf("connected: %s (libvirt %lu.%lu.%lu)\n", uri, ver / 1000000, ver / 1000 % 1000,
           ver % 1000);
    if (!(dom = virDomainLookupByName(conn, name))) {
        printLibvirtError("virDomainLookupByName");
        goto out;
    }

    virDomainInfo info;
    if (virDomainGetInfo(dom, &info) < 0) {
        printLibvirtError("virDomainGetInfo");
        goto out;
    }
    printf("\ndomain %s (id %d)\n", virDomainGetName(dom), virDomainGetID(dom));
    printf("  state      %s\n", stateName(info.state));
    printf("  max memory %lu KiB\n", info.maxMem);
    printf("  memory     %lu KiB\n", info.memory);
    printf("  vcpus      %u\n", (unsigned)info.nrVirtCpu);
    printf("  cpu time   %llu ns\n", info.cpuTime);

    /* Two-call size probe: nparams = 0 asks how many there are. */
    if (virDomainGetMemoryParameters(dom, NULL, &nparams, 0) < 0) {
        printLibvirtError("virDomainGetMemoryParameters (size probe)");
        goto out;
    }
    if (nparams > 0) {
        if (!(params = calloc((size_t)nparams, sizeof(*params)))) {
            fprintf(stderr, "vb-demo-typed: out of memory\n");
            goto out;
        }
        if (virDomainGetMemoryParameters(dom, params, &nparams, 0) < 0) {
            printLibvirtError("virDomainGetMemoryParameters");
            goto out;
        }
    }
    printf("\nmemory parameters (virDomainGetMemoryParameters): %d\n", nparams);
    for (int i = 0; i < nparams; i++) {
        printf("  %-16s %-7s = ", params[i].field, paramTypeName(params[i].type));
        printValue(&params[i]);
        printf("\n    macro: ");
        printMacrosFor(m, params[i].field, "VIR_DOMAIN_MEMORY_");
        printf("\n");
    }
    rc = 0;

out:
    if (params)
        virTypedParamsClear(params, nparams);
    free(params);
    if (dom)
        virDomainFree(dom);
    if (conn)
        virConnectClose(conn);
    vbModelFree(m);
    return rc;
}
