/* cov_cli.c — owns virtbind-coverage's command line: the usage text, option
 * parsing, and the checks that make a run well-formed (exactly one binding
 * input, interpreter options only with --python-module, one output format). */
#include "cov.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define COV_DEFAULT_PYTHON "/usr/bin/python3"

static void covUsage(FILE *out)
{
    fprintf(out,
            "usage: virtbind-coverage INPUT [options]\n"
            "Reports which items of libvirt's API XMLs a binding provides.\n"
            "\n"
            "INPUT, exactly one of:\n"
            "  --python-module NAME   import NAME (and NAME_qemu, NAME_lxc, NAME_admin) and check\n"
            "                         by introspection; see docs/coverage.md for the rules\n"
            "    --python PATH        interpreter (default " COV_DEFAULT_PYTHON ")\n"
            "    --path DIR           prepend DIR to sys.path (repeatable)\n"
            "  --c-sources DIR        every identifier of the .c .h .go .rs .py .cc .cpp .pyx\n"
            "                         files under DIR counts as bound\n"
            "  --symbols FILE         one bound name per line ('#' comments)\n"
            "  --list-items           print every judged item (source, kind, name) and exit\n"
            "\n"
            "options:\n"
            "  --ignore FILE          'NAME -- reason' entries for deliberately unbound items\n"
            "                         (repeatable; stale entries fail the run)\n"
            "  --sources LIST         judge only these XMLs: main,qemu,lxc,admin (default all)\n"
            "  --kinds LIST           judge only these kinds: functions,enums,macros,fields,events\n"
            "  --json                 stable, sorted JSON report\n"
            "  --markdown             Markdown report for CI summaries\n"
            "  --max-list N           list at most N missing names (table, Markdown; default all)\n"
            "  --api-xml PATH         libvirt-api.xml        (env VIRTBIND_API_XML, else pkg-config)\n"
            "  --qemu-api-xml PATH    libvirt-qemu-api.xml   (env VIRTBIND_QEMU_API_XML)\n"
            "  --lxc-api-xml PATH     libvirt-lxc-api.xml    (env VIRTBIND_LXC_API_XML)\n"
            "  --admin-api-xml PATH   libvirt-admin-api.xml  (env VIRTBIND_ADMIN_API_XML)\n"
            "  --annotations PATH     annotations file       (env VIRTBIND_ANNOTATIONS)\n"
            "  -h, --help\n"
            "\n"
            "exit status: 0 everything judged is bound or ignored; 1 something is missing\n"
            "or an ignore entry is stale; 2 usage or input error.\n");
}

enum {
    OPT_API = 256, OPT_QEMU, OPT_LXC, OPT_ADMIN, OPT_ANN, OPT_PYMOD, OPT_PYTHON, OPT_PATH,
    OPT_CSRC, OPT_SYMBOLS, OPT_LIST, OPT_IGNORE, OPT_SOURCES, OPT_KINDS, OPT_JSON, OPT_MD,
    OPT_MAXLIST,
};

static const struct option covLongOpts[] = {
    { "api-xml", required_argument, NULL, OPT_API },
    { "qemu-api-xml", required_argument, NULL, OPT_QEMU },
    { "lxc-api-xml", required_argument, NULL, OPT_LXC },
    { "admin-api-xml", required_argument, NULL, OPT_ADMIN },
    { "annotations", required_argument, NULL, OPT_ANN },
    { "python-module", required_argument, NULL, OPT_PYMOD },
    { "python", required_argument, NULL, OPT_PYTHON },
    { "path", required_argument, NULL, OPT_PATH },
    { "c-sources", required_argument, NULL, OPT_CSRC },
    { "symbols", required_argument, NULL, OPT_SYMBOLS },
    { "list-items", no_argument, NULL, OPT_LIST },
    { "ignore", required_argument, NULL, OPT_IGNORE },
    { "sources", required_argument, NULL, OPT_SOURCES },
    { "kinds", required_argument, NULL, OPT_KINDS },
    { "json", no_argument, NULL, OPT_JSON },
    { "markdown", no_argument, NULL, OPT_MD },
    { "max-list", required_argument, NULL, OPT_MAXLIST },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* What the parser has seen beyond covOptions itself, for the final checks. */
typedef struct {
    int ninputs;          /* input flags given, --list-items included */
    int nformats;
    const char *python;   /* --python, if given */
} covSeen;

static int covFail(const char *fmt, const char *arg)
{
    fprintf(stderr, "virtbind-coverage: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(run 'virtbind-coverage --help' for usage)\n");
    return -1;
}

static void covSetPath(char **slot, const char *value)
{
    free(*slot);
    *slot = vbStrdup(value);
}

static void covSetInput(covOptions *o, covSeen *seen, covInputMode mode, const char *arg)
{
    o->input.mode = mode;
    o->input.arg = arg;
    seen->ninputs++;
}

static int covParseMaxList(covOptions *o, const char *arg)
{
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    if (errno || end == arg || *end || n < 0)
        return covFail("--max-list wants a number >= 0, got '%s'", arg);
    o->max_list = n;
    return 0;
}

/* One option; 1 for --help, -1 for a usage error. */
static int covTakeOption(covOptions *o, covSeen *seen, int c, const char *arg)
{
    switch (c) {
    case OPT_API: covSetPath(&o->paths.path[VB_SRC_MAIN], arg); break;
    case OPT_QEMU: covSetPath(&o->paths.path[VB_SRC_QEMU], arg); break;
    case OPT_LXC: covSetPath(&o->paths.path[VB_SRC_LXC], arg); break;
    case OPT_ADMIN: covSetPath(&o->paths.path[VB_SRC_ADMIN], arg); break;
    case OPT_ANN: covSetPath(&o->paths.annotations, arg); break;
    case OPT_PYMOD: covSetInput(o, seen, COV_INPUT_PYTHON, arg); break;
    case OPT_CSRC: covSetInput(o, seen, COV_INPUT_SOURCES, arg); break;
    case OPT_SYMBOLS: covSetInput(o, seen, COV_INPUT_SYMBOLS, arg); break;
    case OPT_LIST: o->list_items = true; seen->ninputs++; break;
    case OPT_PYTHON: seen->python = arg; break;
    case OPT_PATH:
        *VB_PUSH(o->input.pypath, o->input.npypath, o->input.cap_pypath) = arg;
        break;
    case OPT_IGNORE: *VB_PUSH(o->ignores, o->nignores, o->cap_ignores) = arg; break;
    case OPT_SOURCES: o->sources = arg; break;
    case OPT_KINDS: o->kinds = arg; break;
    case OPT_JSON: o->format = COV_FORMAT_JSON; seen->nformats++; break;
    case OPT_MD: o->format = COV_FORMAT_MARKDOWN; seen->nformats++; break;
    case OPT_MAXLIST: return covParseMaxList(o, arg);
    case 'h': covUsage(stdout); return 1;
    default: return covFail("%s", "invalid option");
    }
    return 0;
}

static int covCheckOptions(covOptions *o, const covSeen *seen)
{
    if (seen->ninputs == 0)
        return covFail("%s", "no binding input: give one of --python-module NAME, "
                             "--c-sources DIR, --symbols FILE (or --list-items)");
    if (seen->ninputs > 1)
        return covFail("%s", "several binding inputs: give exactly one of --python-module, "
                             "--c-sources, --symbols, --list-items");
    if (o->input.mode != COV_INPUT_PYTHON && (seen->python || o->input.npypath))
        return covFail("%s", "--python and --path only apply to --python-module");
    if (seen->nformats > 1)
        return covFail("%s", "--json and --markdown are mutually exclusive");
    if (o->input.arg && !*o->input.arg)
        return covFail("%s", "the binding input's argument is empty");
    o->input.python = seen->python ? seen->python : COV_DEFAULT_PYTHON;
    return 0;
}

int covParseOptions(covOptions *o, int argc, char **argv)
{
    covSeen seen = {0};
    int c, rc;
    o->max_list = -1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", covLongOpts, NULL)) != -1) {
        if (c == '?')
            return covFail("unknown option '%s'", argv[optind - 1]);
        if (c == ':')
            return covFail("option '%s' needs an argument", argv[optind - 1]);
        if ((rc = covTakeOption(o, &seen, c, optarg)) != 0)
            return rc;
    }
    if (optind < argc)
        return covFail("unexpected argument '%s'", argv[optind]);
    return covCheckOptions(o, &seen);
}

void covOptionsClear(covOptions *o)
{
    vbPathsClear(&o->paths);
    free(o->input.pypath);
    free(o->ignores);
    o->input.pypath = NULL;
    o->ignores = NULL;
    o->input.npypath = o->nignores = 0;
}
