/* gen_cshim_stats.c — domain stats records for libvirtbind.  The fields of
 * virConnectGetAllDomainStats / virDomainListGetStats records are documented
 * only in the function's doc text:
 *
 *   VIR_DOMAIN_STATS_BLOCK:
 *       ...
 *       "block.<num>.rd.reqs" - number of read requests as unsigned long long.
 *
 * This parser reads that text (classification-independent: it only needs
 * the info string) into a synthetic typed-parameter group "DomainStats":
 *
 *   - a field line is `"NAME" - description`, continued by the following
 *     lines up to a blank line, the next field or the next group header;
 *   - the type is the earliest of "unsigned long long", "unsigned int",
 *     "long long", "as int"/"as an int", "boolean", "string" in the
 *     description; fields whose text names no type are left out (they land
 *     in the struct's extra list at run time);
 *   - one placeholder (<num>, <index>, <id>) makes an indexed field
 *     ("block.%u.rd.reqs" -> member block_rd_reqs[N]); nested placeholders
 *     (cpu.cache.monitor.<num>.bank.<index>.id) and hypervisor-defined names
 *     ($NAME.$TYPE) are left out as well.
 *
 * Each field records its stats group constant (VIR_DOMAIN_STATS_BLOCK) in
 * place of a macro name.  The wrappers return an array of
 * virtbindDomainStatsRecord {dom, stats}. */
#include "gen_cshim.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const statsFns[] = { "virConnectGetAllDomainStats", "virDomainListGetStats" };

/* earliest type phrase in TEXT (whitespace already collapsed) */
static vbTypedParamType typeFromText(const char *text)
{
    static const struct {
        const char *phrase;
        vbTypedParamType type;
        bool word;   /* must not be followed by a letter */
    } phrases[] = {
        { "unsigned long long", VB_TPT_ULLONG, false },
        { "unsigned int", VB_TPT_UINT, true },
        { "long long", VB_TPT_LLONG, false },
        { "as int", VB_TPT_INT, true },
        { "as an int", VB_TPT_INT, true },
        { "boolean", VB_TPT_BOOLEAN, false },
        { "string", VB_TPT_STRING, true },
    };
    const char *best = NULL;
    vbTypedParamType type = VB_TPT_UNKNOWN;
    for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
        size_t len = strlen(phrases[i].phrase);
        for (const char *p = text; (p = vbStrCaseStr(p, phrases[i].phrase)); p++) {
            bool startOk = p == text || !isalpha((unsigned char)p[-1]);
            bool endOk = !phrases[i].word || !isalpha((unsigned char)p[len]);
            if (startOk && endOk) {
                if (!best || p < best) {
                    best = p;
                    type = phrases[i].type;
                }
                break;
            }
        }
    }
    return type;
}

/* "block.<num>.rd.reqs" -> "block.%u.rd.reqs"; NULL when unusable (a
 * hypervisor-defined $NAME, or more placeholders than MAXHOLES) */
static char *patternOf(const char *name, int maxholes, int *holes)
{
    if (strchr(name, '$') || strchr(name, ' ') || strchr(name, '%') || !*name)
        return NULL;
    vbBuf b = {0};
    *holes = 0;
    for (const char *p = name; *p;) {
        if (*p == '<') {
            const char *e = strchr(p, '>');
            if (!e) {
                vbBufClear(&b);
                return NULL;
            }
            vbBufAdd(&b, "%u");
            (*holes)++;
            p = e + 1;
        } else {
            vbBufAddN(&b, p, 1);
            p++;
        }
    }
    if (*holes > maxholes) {
        vbBufClear(&b);
        return NULL;
    }
    return vbBufSteal(&b);
}

/* "block.%u.rd.reqs" -> "block_rd_reqs" */
static char *memberOf(const char *pattern)
{
    vbBuf b = {0};
    for (const char *p = pattern; *p; p++) {
        if (p[0] == '%' && p[1] == 'u') {
            p++;
            if (p[1] == '.')
                p++;   /* drop the separator after the index too */
            continue;
        }
        char ch = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
        if (ch == '_' && b.len && b.s[b.len - 1] == '_')
            continue;
        vbBufAddN(&b, &ch, 1);
    }
    while (b.len && b.s[b.len - 1] == '_')
        b.s[--b.len] = '\0';
    return vbBufSteal(&b);
}

typedef struct {
    const vbModel *m;
    const char *fn;
    tpGroup *tg;
    size_t cap;
    int maxholes;
} proseCtx;

/* NAME as documented: its type from the text, else from a `prose FN:NAME`
 * annotation; left out when neither gives one */
static void addField(proseCtx *pc, const char *group, const char *name, const char *desc)
{
    int holes = 0;
    char *pattern = patternOf(name, pc->maxholes, &holes);
    vbTypedParamType type = typeFromText(desc);
    if (type == VB_TPT_UNKNOWN)
        type = vbModelProseType(pc->m, pc->fn, name);
    if (!pattern || type == VB_TPT_UNKNOWN) {
        free(pattern);
        return;
    }
    tpGroup *tg = pc->tg;
    for (size_t i = 0; i < tg->nfields; i++) {
        if (strcmp(tg->fields[i].mc->string, pattern) == 0) {
            free(pattern);
            return;
        }
    }
    vbMacro *mc = vbAlloc(sizeof(*mc));
    mc->name = vbStrdup(group ? group : pc->fn);
    mc->string = pattern;
    mc->tp_type = type;
    mc->tp_format = holes > 0;
    mc->tp_group = -1;
    tpField *f = VB_PUSH(tg->fields, tg->nfields, pc->cap);
    f->mc = mc;
    f->member = memberOf(pattern);
    f->nholes = holes;
}

/* A field line: `"NAME" - text` (also `"NAME - text`, a quote the doc text
 * forgot) or `'NAME': text`.  Sets *name (allocated) and *desc. */
static bool fieldLine(const char *t, char **name, const char **desc)
{
    if (t[0] == '"') {
        const char *q = strchr(t + 1, '"');
        if (q && vbStartsWith(q, "\" - ")) {
            *name = vbStrndup(t + 1, (size_t)(q - t - 1));
            *desc = q + 4;
            return true;
        }
        const char *d = strstr(t + 1, " - ");
        if (!q && d && !memchr(t + 1, ' ', (size_t)(d - t - 1))) {
            *name = vbStrndup(t + 1, (size_t)(d - t - 1));
            *desc = d + 3;
            return true;
        }
    } else if (t[0] == '\'') {
        const char *q = strchr(t + 1, '\'');
        if (q && q[1] == ':' && !memchr(t + 1, ' ', (size_t)(q - t - 1))) {
            *name = vbStrndup(t + 1, (size_t)(q - t - 1));
            *desc = q[2] == ' ' ? q + 3 : q + 2;
            return true;
        }
    }
    return false;
}

int vbCShimProseGroup(const vbModel *m, const char *fn, const char *name,
                      const char *const *apis, size_t napis, int maxholes, tpGroup *tg)
{
    int fi = vbModelFindFunction(m, fn);
    if (fi < 0 || !m->functions[fi].info)
        return -1;
    memset(tg, 0, sizeof(*tg));
    vbTypedParamGroup *g = vbAlloc(sizeof(*g));
    g->name = vbStrdup(name);
    g->prefix = vbStrdup("");
    g->apis = vbAlloc((napis + 1) * sizeof(char *));
    for (size_t i = 0; i < napis; i++) {
        if (vbModelFindFunction(m, apis[i]) >= 0)
            g->apis[g->napis++] = vbStrdup(apis[i]);
    }
    tg->g = g;
    tg->owned = true;
    tg->ctype = vbPrintf("virtbind%sParams", name);

    proseCtx pc = { .m = m, .fn = fn, .tg = tg, .maxholes = maxholes };
    char *group = NULL, *fname = NULL;
    vbBuf desc = {0};
    const char *text = m->functions[fi].info;
    while (*text) {
        const char *eol = strchr(text, '\n');
        size_t len = eol ? (size_t)(eol - text) : strlen(text);
        char *line = vbStrndup(text, len);
        text += len + (eol ? 1 : 0);
        char *t = line;
        while (isspace((unsigned char)*t))
            t++;
        size_t tl = strlen(t);
        while (tl && isspace((unsigned char)t[tl - 1]))
            t[--tl] = '\0';

        bool header = vbStartsWith(t, "VIR_") && tl && t[tl - 1] == ':' && !strchr(t, ' ');
        char *nname = NULL;
        const char *ndesc = NULL;
        bool field = fieldLine(t, &nname, &ndesc);
        if (fname && (tl == 0 || header || field)) {
            addField(&pc, group, fname, desc.s ? desc.s : "");
            free(fname);
            fname = NULL;
            vbBufClear(&desc);
        }
        if (header) {
            free(group);
            group = vbStrndup(t, tl - 1);
        } else if (field) {
            fname = nname;
            nname = NULL;
            vbBufAdd(&desc, ndesc);
        } else if (fname && tl) {
            vbBufAdd(&desc, " ");
            vbBufAdd(&desc, t);
        }
        free(nname);
        free(line);
    }
    if (fname)
        addField(&pc, group, fname, desc.s ? desc.s : "");
    free(fname);
    free(group);
    vbBufClear(&desc);
    if (!tg->fields)
        tg->fields = vbAlloc(sizeof(*tg->fields));
    return 0;
}

int vbCShimStatsGroup(const vbModel *m, int maxholes, tpGroup *tg)
{
    return vbCShimProseGroup(m, statsFns[0], "DomainStats", statsFns,
                             sizeof(statsFns) / sizeof(statsFns[0]), maxholes, tg);
}

/* The other fields=prose functions: a function with typed parameters, no
 * field group and a doc text (virDomainGetGuestInfo, virDomainGetGuestVcpus);
 * group name: the function's name without "vir" and its first "Get". */
size_t vbCShimProseOthers(const vbModel *m, int maxholes, tpGroup **out)
{
    tpGroup *gs = vbAlloc((m->nfunctions + 1) * sizeof(*gs));
    size_t n = 0;
    for (size_t i = 0; i < m->nfunctions; i++) {
        const vbFunction *fn = &m->functions[i];
        if (fn->tp_group >= 0 || !fn->info || fn->src == VB_SRC_ADMIN ||
            (fn->tp_use != VB_TP_INPUT && fn->tp_use != VB_TP_CALLER_ALLOC &&
             fn->tp_use != VB_TP_LIB_ALLOC))
            continue;
        const char *base = vbStartsWith(fn->name, "vir") ? fn->name + 3 : fn->name;
        const char *get = strstr(base, "Get");
        char *name = get ? vbPrintf("%.*s%s", (int)(get - base), base, get + 3) : vbStrdup(base);
        const char *api = fn->name;
        if (vbCShimProseGroup(m, fn->name, name, &api, 1, maxholes, &gs[n]) == 0)
            n++;
        free(name);
    }
    *out = gs;
    return n;
}

void vbCShimStatsGroupFree(tpGroup *tg)
{
    if (!tg->owned)
        return;
    for (size_t i = 0; i < tg->nfields; i++) {
        vbMacro *mc = (vbMacro *)tg->fields[i].mc;
        free(mc->name);
        free(mc->string);
        free(mc);
    }
    vbTypedParamGroup *g = (vbTypedParamGroup *)tg->g;
    for (size_t i = 0; i < g->napis; i++)
        free(g->apis[i]);
    free(g->apis);
    free(g->name);
    free(g->prefix);
    free(g);
    tg->g = NULL;
    tg->owned = false;
}

void vbCShimStatsRecordType(const tpGroup *tg, vbBuf *h, vbBuf *c)
{
    vbBufPrintf(h, "/* One record of virConnectGetAllDomainStats / virDomainListGetStats. */\n"
                   "typedef struct virtbindDomainStatsRecord {\n"
                   "    virDomainPtr dom;   /* a reference of its own, released by ListFree */\n"
                   "    %s stats;\n"
                   "} virtbindDomainStatsRecord;\n\n"
                   "/* Free an array returned by the stats wrappers (NULL is fine). */\n"
                   "void virtbindDomainStatsRecordListFree(virtbindDomainStatsRecord *records, int nrecords);\n\n",
                tg->ctype);
    vbBufPrintf(c, "void virtbindDomainStatsRecordListFree(virtbindDomainStatsRecord *records, int nrecords)\n"
                   "{\n"
                   "    if (!records)\n        return;\n"
                   "    for (int i = 0; i < nrecords; i++) {\n"
                   "        if (records[i].dom)\n            virDomainFree(records[i].dom);\n"
                   "        %sClear(&records[i].stats);\n"
                   "    }\n    free(records);\n}\n\n",
                tg->ctype);
}

int vbCShimStatsWrapper(const vbFunction *fn, const tpGroup *tg, vbBuf *h, vbBuf *c)
{
    int out = -1;
    for (size_t i = 0; i < fn->nargs; i++) {
        if (fn->args[i].role == VB_ROLE_STATS_OUT)
            out = (int)i;
    }
    if (out < 0 || strcmp(fn->ret.type, "int") != 0)
        return -1;
    const char *oname = fn->args[out].name;
    const char *base = vbStartsWith(fn->name, "vir") ? fn->name + 3 : fn->name;
    vbBuf sig = {0};
    vbBufPrintf(&sig, "int virtbind%s(", base);
    for (size_t i = 0; i < fn->nargs; i++) {
        if (i)
            vbBufAdd(&sig, ", ");
        if ((int)i == out)
            vbBufPrintf(&sig, "virtbindDomainStatsRecord **%s", oname);
        else
            vbCShimArgDecl(&sig, fn->args[i].type, fn->args[i].name);
    }
    vbBufAdd(&sig, ")");
    vbBufPrintf(h, "/* %s with every record unpacked into a %s; *%s is an array of\n"
                   " * the returned count (free it with virtbindDomainStatsRecordListFree).\n"
                   " * Returns the number of records, or -1. */\n%s;\n\n",
                fn->name, tg->ctype, oname, sig.s);
    vbBufPrintf(c, "%s\n{\n", sig.s);
    vbBufPrintf(c,
                "    virDomainStatsRecordPtr *vb_raw = NULL;\n"
                "    virtbindDomainStatsRecord *vb_out;\n"
                "    int vb_n, vb_i;\n\n"
                "    if (!%s) {\n        errno = EINVAL;\n        return -1;\n    }\n"
                "    *%s = NULL;\n"
                "    if ((vb_n = %s(", oname, oname, fn->name);
    for (size_t i = 0; i < fn->nargs; i++)
        vbBufPrintf(c, "%s%s%s", i ? ", " : "", (int)i == out ? "&vb_raw" : "",
                    (int)i == out ? "" : fn->args[i].name);
    vbBufPrintf(c, ")) < 0)\n        return -1;\n"
                   "    if (!(vb_out = calloc(vb_n > 0 ? (size_t)vb_n : 1, sizeof(*vb_out)))) {\n"
                   "        virDomainStatsRecordListFree(vb_raw);\n        return -1;\n    }\n"
                   "    for (vb_i = 0; vb_i < vb_n; vb_i++) {\n"
                   "        if (vb_raw[vb_i]->dom && virDomainRef(vb_raw[vb_i]->dom) == 0)\n"
                   "            vb_out[vb_i].dom = vb_raw[vb_i]->dom;\n"
                   "        if (%sUnpack(vb_raw[vb_i]->params, vb_raw[vb_i]->nparams,\n"
                   "                &vb_out[vb_i].stats) < 0) {\n"
                   "            virtbindDomainStatsRecordListFree(vb_out, vb_i + 1);\n"
                   "            virDomainStatsRecordListFree(vb_raw);\n"
                   "            return -1;\n        }\n    }\n"
                   "    virDomainStatsRecordListFree(vb_raw);\n"
                   "    *%s = vb_out;\n    return vb_n;\n}\n\n",
                tg->ctype, oname);
    vbBufClear(&sig);
    return 0;
}
