/* gen_main.c — the virtbind-gen command line: finds and loads the four API
 * XMLs, classifies them, and runs the requested outputs (--check-model,
 * --ir, --python-out).  Exit codes: 0 ok, 1 the model has unclassified items,
 * 2 usage or input errors. */
#include "vbapi.h"
#include "gen_cshim.h"
#include "gen_python.h"
#include "gen_python_stubs.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: virtbind-gen [options]\n"
            "  --api-xml PATH         libvirt-api.xml        (env VIRTBIND_API_XML, else pkg-config)\n"
            "  --qemu-api-xml PATH    libvirt-qemu-api.xml   (env VIRTBIND_QEMU_API_XML)\n"
            "  --lxc-api-xml PATH     libvirt-lxc-api.xml    (env VIRTBIND_LXC_API_XML)\n"
            "  --admin-api-xml PATH   libvirt-admin-api.xml  (env VIRTBIND_ADMIN_API_XML)\n"
            "  --annotations PATH     annotations file       (env VIRTBIND_ANNOTATIONS)\n"
            "  --check-model          list unclassified items; exit 1 if there are any\n"
            "  --ir FILE              write the classified model as JSON ('-' for stdout)\n"
            "  --stats                print item counts per source file\n"
            "  --python-out DIR       write the CPython extension's generated C into DIR\n"
            "  --python-stubs-out DIR  write the Python package's .pyi stubs and virtbind/typed.py into DIR\n"
            "  --cshim-out DIR        write libvirtbind's generated C (typed params, events) into DIR\n"
            "  -h, --help\n");
}

static void printStats(const vbModel *m)
{
    size_t fn[VB_SRC_COUNT] = {0}, ft[VB_SRC_COUNT] = {0}, en[VB_SRC_COUNT] = {0};
    size_t mc[VB_SRC_COUNT] = {0}, st[VB_SRC_COUNT] = {0}, td[VB_SRC_COUNT] = {0};
    for (size_t i = 0; i < m->nfunctions; i++) fn[m->functions[i].src]++;
    for (size_t i = 0; i < m->nfunctypes; i++) ft[m->functypes[i].src]++;
    for (size_t i = 0; i < m->nenums; i++) en[m->enums[i].src]++;
    for (size_t i = 0; i < m->nmacros; i++) mc[m->macros[i].src]++;
    for (size_t i = 0; i < m->nstructs; i++) st[m->structs[i].src]++;
    for (size_t i = 0; i < m->ntypedefs; i++) td[m->typedefs[i].src]++;
    printf("%-6s %9s %9s %6s %7s %8s %9s\n", "source", "functions", "functypes", "enums",
           "macros", "structs", "typedefs");
    for (int s = 0; s < VB_SRC_COUNT; s++)
        printf("%-6s %9zu %9zu %6zu %7zu %8zu %9zu\n", vbSourceName((vbSource)s), fn[s], ft[s],
               en[s], mc[s], st[s], td[s]);
    printf("classes %zu, typed-param groups %zu, event families %zu, event ids %zu\n",
           m->nclasses, m->ntp_groups, m->nfamilies, m->nevents);
}

static int writeIR(const vbModel *m, const char *path)
{
    FILE *out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!out) {
        perror(path);
        return -1;
    }
    int rc = vbModelWriteIR(m, out);
    if (out != stdout && fclose(out) != 0)
        rc = -1;
    if (rc < 0)
        fprintf(stderr, "virtbind-gen: writing %s failed\n", path);
    return rc;
}

int main(int argc, char **argv)
{
    enum { OPT_API = 256, OPT_QEMU, OPT_LXC, OPT_ADMIN, OPT_ANN, OPT_CHECK, OPT_IR, OPT_STATS,
           OPT_PYTHON, OPT_CSHIM, OPT_PYSTUBS };
    static const struct option opts[] = {
        { "api-xml", required_argument, NULL, OPT_API },
        { "qemu-api-xml", required_argument, NULL, OPT_QEMU },
        { "lxc-api-xml", required_argument, NULL, OPT_LXC },
        { "admin-api-xml", required_argument, NULL, OPT_ADMIN },
        { "annotations", required_argument, NULL, OPT_ANN },
        { "check-model", no_argument, NULL, OPT_CHECK },
        { "ir", required_argument, NULL, OPT_IR },
        { "stats", no_argument, NULL, OPT_STATS },
        { "python-out", required_argument, NULL, OPT_PYTHON },
        { "cshim-out", required_argument, NULL, OPT_CSHIM },
        { "python-stubs-out", required_argument, NULL, OPT_PYSTUBS },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    vbPaths paths = {0};
    const char *ir = NULL, *python_out = NULL;
    const char *cshim_out = NULL, *pystubs_out = NULL;
    bool check = false, stats = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_API: free(paths.path[VB_SRC_MAIN]); paths.path[VB_SRC_MAIN] = strdup(optarg); break;
        case OPT_QEMU: free(paths.path[VB_SRC_QEMU]); paths.path[VB_SRC_QEMU] = strdup(optarg); break;
        case OPT_LXC: free(paths.path[VB_SRC_LXC]); paths.path[VB_SRC_LXC] = strdup(optarg); break;
        case OPT_ADMIN: free(paths.path[VB_SRC_ADMIN]); paths.path[VB_SRC_ADMIN] = strdup(optarg); break;
        case OPT_ANN: free(paths.annotations); paths.annotations = strdup(optarg); break;
        case OPT_CHECK: check = true; break;
        case OPT_IR: ir = optarg; break;
        case OPT_STATS: stats = true; break;
        case OPT_PYTHON: python_out = optarg; break;
        case OPT_CSHIM: cshim_out = optarg; break;
        case OPT_PYSTUBS: pystubs_out = optarg; break;
        case 'h': usage(stdout); vbPathsClear(&paths); return 0;
        default: usage(stderr); vbPathsClear(&paths); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "virtbind-gen: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        vbPathsClear(&paths);
        return 2;
    }
    if (!check && !ir && !stats && !python_out && !cshim_out && !pystubs_out) {
        usage(stderr);
        vbPathsClear(&paths);
        return 2;
    }

    char *err = NULL;
    int rc = 2;
    vbModel *m = NULL;
    if (vbPathsDiscover(&paths, &err) < 0)
        goto done;
    if (!(m = vbModelLoad(&paths, &err)))
        goto done;
    if (vbModelClassify(m, paths.annotations, &err) < 0)
        goto done;

    rc = 0;
    if (stats)
        printStats(m);
    if (ir && writeIR(m, ir) < 0)
        rc = 2;
    if (python_out && rc == 0 && vbGenPython(m, python_out, &err) < 0)
        rc = 2;
    if (cshim_out && rc == 0 && vbGenCShim(m, cshim_out) < 0)
        rc = 2;
    if (pystubs_out && rc == 0 && vbGenPythonStubs(m, pystubs_out, &err) < 0)
        rc = 2;
    if (check && rc == 0) {
        size_t n = vbModelReportUnclassified(m, stdout);
        fflush(stdout);
        if (n) {
            fprintf(stderr, "virtbind-gen: %zu item(s) unclassified\n", n);
            rc = 1;
        } else {
            printf("model complete: %zu functions, %zu enum constants, %zu macros classified\n",
                   m->nfunctions, m->nenums, m->nmacros);
        }
    }
done:
    if (err) {
        fprintf(stderr, "virtbind-gen: %s\n", err);
        free(err);
    }
    vbModelFree(m);
    vbPathsClear(&paths);
    return rc;
}
