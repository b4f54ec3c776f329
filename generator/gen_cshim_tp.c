/* gen_cshim_tp.c — typed parameters for libvirtbind: from model->tp_groups,
 * one virtbind<Group>Params struct per group, the virtbindTPStruct table the
 * engine (typedparams/vb_tp_engine.c) interprets, Unpack/Pack/Clear, and a
 * typed wrapper for every API of the group:
 *
 *   input         pack the struct, call, free the packed array
 *   caller-alloc  size probe (NULL/0 first, as libvirt documents), allocate,
 *                 call, unpack
 *   lib-alloc     call, unpack, virTypedParamsFree
 *
 * plus two shapes the generic rules do not cover, recognised by their
 * arguments: virDomainGetCPUStats (nparams*ncpus, emitted as Total and
 * PerCPU) and the struct-array getters virNodeGetCPUStats and
 * virNodeGetMemoryStats ({field, value} records named by the group's macros).
 * Everything else a group lists (callback types, unresolvable names) is
 * skipped and listed in a comment. */
#include "gen_cshim.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* APIs whose size probe is not "call with NULL/0": the doc text says
 * "@nparams cannot be 0" and tells to ask virDomainGetSchedulerType. */
static const struct {
    const char *fn;
    const char *probe;   /* char *probe(self, int *nparams) */
} sizeProbes[] = {
    { "virDomainGetSchedulerParameters", "virDomainGetSchedulerType" },
    { "virDomainGetSchedulerParametersFlags", "virDomainGetSchedulerType" },
};

static const char *const cKeywords[] = {
    "auto", "bool", "break", "case", "char", "const", "continue", "default", "do",
    "double", "else", "enum", "extern", "false", "float", "for", "goto", "if", "inline",
    "int", "long", "register", "restrict", "return", "short", "signed", "sizeof",
    "static", "struct", "switch", "true", "typedef", "union", "unsigned", "void",
    "volatile", "while",
};

static const char *cTypeOf(vbTypedParamType t)
{
    switch (t) {
    case VB_TPT_INT: return "int";
    case VB_TPT_UINT: return "unsigned int";
    case VB_TPT_LLONG: return "long long";
    case VB_TPT_ULLONG: return "unsigned long long";
    case VB_TPT_DOUBLE: return "double";
    case VB_TPT_BOOLEAN: return "bool";
    case VB_TPT_STRING: return "char *";
    default: return NULL;
    }
}

static const char *tpConst(vbTypedParamType t)
{
    switch (t) {
    case VB_TPT_INT: return "VIR_TYPED_PARAM_INT";
    case VB_TPT_UINT: return "VIR_TYPED_PARAM_UINT";
    case VB_TPT_LLONG: return "VIR_TYPED_PARAM_LLONG";
    case VB_TPT_ULLONG: return "VIR_TYPED_PARAM_ULLONG";
    case VB_TPT_DOUBLE: return "VIR_TYPED_PARAM_DOUBLE";
    case VB_TPT_BOOLEAN: return "VIR_TYPED_PARAM_BOOLEAN";
    case VB_TPT_STRING: return "VIR_TYPED_PARAM_STRING";
    default: return NULL;
    }
}

/* virtbind<Group>Params, always: "DomainSaveParams" gives
 * virtbindDomainSaveParamsParams, since virtbindDomainSaveParams is the
 * wrapper of virDomainSaveParams. */
static char *structName(const char *group)
{
    return vbPrintf("virtbind%sParams", group);
}

/* A C string literal for S. */
static void addCString(vbBuf *b, const char *s)
{
    vbBufAdd(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            vbBufPrintf(b, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            vbBufPrintf(b, "\\%03o", (unsigned char)*s);
        else
            vbBufAddN(b, s, 1);
    }
    vbBufAdd(b, "\"");
}

/* The first sentence of an info text, wrapped as comment lines (" * "
 * continuation), without a final newline. */
static void addSummary(vbBuf *b, const char *info)
{
    size_t col = 0;
    bool space = false;
    for (const char *p = info ? info : ""; *p; p++) {
        if (*p == '.' && (p[1] == ' ' || p[1] == '\n' || p[1] == '\0')) {
            vbBufAdd(b, ".");
            break;
        }
        if ((*p == '*' && p[1] == '/') || (*p == '/' && p[1] == '*'))
            continue;
        if (isspace((unsigned char)*p)) {
            space = true;
            continue;
        }
        if (space && col) {
            if (col > 68) {
                vbBufAdd(b, "\n * ");
                col = 0;
            } else {
                vbBufAdd(b, " ");
                col++;
            }
        }
        space = false;
        vbBufAddN(b, p, 1);
        col++;
    }
}

static int cmpMacroName(const void *a, const void *b)
{
    const tpField *x = a, *y = b;
    int c = strcmp(x->mc->name, y->mc->name);
    return c ? c : strcmp(x->mc->string, y->mc->string);
}

static int cmpStrPtr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmpGroup(const void *a, const void *b)
{
    return strcmp(((const tpGroup *)a)->g->name, ((const tpGroup *)b)->g->name);
}

static bool isKeyword(const char *s)
{
    for (size_t i = 0; i < sizeof(cKeywords) / sizeof(cKeywords[0]); i++) {
        if (strcmp(s, cKeywords[i]) == 0)
            return true;
    }
    return false;
}

/* Build the sorted groups with their member names; -1 on a name clash. */
static int buildGroups(const vbModel *m, tpGroup **out, size_t *nout)
{
    tpGroup *prose = NULL;
    size_t nprose = vbCShimProseOthers(m, 1, &prose);
    tpGroup *gs = vbAlloc((m->ntp_groups + 2 + nprose) * sizeof(*gs));
    size_t ng = m->ntp_groups;
    int rc = 0;
    /* after the model's groups, the prose-documented domain stats records
     * and the other prose groups (guest info, guest vcpus) */
    bool stats = vbCShimStatsGroup(m, 1, &gs[ng]) == 0;
    if (stats)
        ng++;
    memcpy(&gs[ng], prose, nprose * sizeof(*gs));
    ng += nprose;
    free(prose);
    for (size_t i = 0; i < ng; i++) {
        tpGroup *tg = &gs[i];
        if (i < m->ntp_groups) {
            tg->g = &m->tp_groups[i];
            tg->ctype = structName(tg->g->name);
            tg->fields = vbAlloc((tg->g->nfields ? tg->g->nfields : 1) * sizeof(*tg->fields));
            for (size_t k = 0; k < tg->g->nfields; k++) {
                const vbMacro *mc = &m->macros[tg->g->fields[k]];
                if (!cTypeOf(mc->tp_type) || !mc->string)
                    continue;   /* no usable type: such a field ends up in extra */
                tpField *f = &tg->fields[tg->nfields++];
                f->mc = mc;
                f->member = vbStrdup(mc->name + strlen(tg->g->prefix));
            }
        }
        for (size_t k = 0; k < tg->nfields; k++) {
            char *mem = tg->fields[k].member;
            for (char *p = mem; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            if (!*mem || isdigit((unsigned char)mem[0]) || isKeyword(mem)) {
                tg->fields[k].member = vbPrintf("%s_", mem);
                free(mem);
            }
        }
        qsort(tg->fields, tg->nfields, sizeof(*tg->fields), cmpMacroName);
        /* every member, its _set/_count companions and extra/nextra must differ */
        for (size_t a = 0; a < tg->nfields; a++) {
            const char *ma = tg->fields[a].member;
            if (strcmp(ma, "extra") == 0 || strcmp(ma, "nextra") == 0) {
                fprintf(stderr, "virtbind-gen: cshim: %s: member '%s' is reserved\n",
                        tg->g->name, ma);
                rc = -1;
            }
            for (size_t bi = 0; bi < tg->nfields; bi++) {
                const char *mb = tg->fields[bi].member;
                size_t la = strlen(ma);
                if (a != bi && (strcmp(ma, mb) == 0 ||
                                (strncmp(mb, ma, la) == 0 &&
                                 (strcmp(mb + la, "_set") == 0 || strcmp(mb + la, "_count") == 0)))) {
                    fprintf(stderr, "virtbind-gen: cshim: %s: members '%s' and '%s' clash\n",
                            tg->g->name, ma, mb);
                    rc = -1;
                }
            }
        }
    }
    qsort(gs, ng, sizeof(*gs), cmpGroup);
    *out = gs;
    *nout = ng;
    return rc;
}

static void freeGroups(tpGroup *gs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        vbCShimStatsGroupFree(&gs[i]);
        for (size_t k = 0; k < gs[i].nfields; k++)
            free(gs[i].fields[k].member);
        free(gs[i].fields);
        free(gs[i].ctype);
    }
    free(gs);
}

static void emitStruct(vbBuf *h, const tpGroup *tg)
{
    const vbTypedParamGroup *g = tg->g;
    if (*g->prefix)
        vbBufPrintf(h, "/* %s: fields %s*", g->name, g->prefix);
    else
        vbBufPrintf(h, "/* %s: fields documented in the text", g->name);
    if (g->napis) {
        vbBufAdd(h, " of");
        for (size_t i = 0; i < g->napis; i++)
            vbBufPrintf(h, "%s %s", i ? "," : "", g->apis[i]);
    }
    vbBufAdd(h, ". */\n");
    vbBufPrintf(h, "typedef struct %s {\n", tg->ctype);
    for (size_t k = 0; k < tg->nfields; k++) {
        const tpField *f = &tg->fields[k];
        const char *ct = cTypeOf(f->mc->tp_type);
        bool ptr = ct[strlen(ct) - 1] == '*';
        const char *sp = ptr ? "" : " ";
        if (f->mc->tp_format) {
            vbBufPrintf(h, "    %s%s*%s; /* \"%s\" (%s): index = the number */\n", ct, sp,
                        f->member, f->mc->string, f->mc->name);
            if (f->mc->tp_type != VB_TPT_STRING)
                vbBufPrintf(h, "    bool *%s_set;\n", f->member);
            vbBufPrintf(h, "    size_t %s_count;\n", f->member);
        } else if (f->mc->tp_multi) {
            vbBufPrintf(h, "    %s%s*%s; /* \"%s\" (%s), repeatable */\n", ct, sp, f->member,
                        f->mc->string, f->mc->name);
            vbBufPrintf(h, "    size_t %s_count;\n", f->member);
        } else {
            vbBufPrintf(h, "    %s%s%s; /* \"%s\" (%s) */\n", ct, sp, f->member, f->mc->string,
                        f->mc->name);
            vbBufPrintf(h, "    bool %s_set;\n", f->member);
        }
    }
    vbBufAdd(h, "    virTypedParameterPtr extra; /* parameters not described above */\n"
                "    int nextra;\n");
    vbBufPrintf(h, "} %s;\n\n", tg->ctype);
    vbBufPrintf(h, "extern const virtbindTPStruct %sDesc;\n", tg->ctype);
    vbBufPrintf(h, "int %sUnpack(const virTypedParameter *params, int nparams, %s *out);\n",
                tg->ctype, tg->ctype);
    vbBufPrintf(h, "int %sPack(const %s *in, virTypedParameterPtr *params, int *nparams);\n",
                tg->ctype, tg->ctype);
    vbBufPrintf(h, "void %sClear(%s *obj);\n\n", tg->ctype, tg->ctype);
}

static void emitTable(vbBuf *c, const tpGroup *tg)
{
    const char *st = tg->ctype;
    if (tg->nfields) {
        vbBufPrintf(c, "static const virtbindTPField %sFields[] = {\n", st);
        for (size_t k = 0; k < tg->nfields; k++) {
            const tpField *f = &tg->fields[k];
            const char *kind = f->mc->tp_format ? "VIRTBIND_TP_INDEXED"
                               : f->mc->tp_multi ? "VIRTBIND_TP_MULTI" : "VIRTBIND_TP_SCALAR";
            vbBufAdd(c, "    { ");
            addCString(c, f->mc->string);
            vbBufPrintf(c, ", \"%s\", \"%s\", %s, %s,\n      offsetof(%s, %s), ", f->mc->name,
                        f->member, tpConst(f->mc->tp_type), kind, st, f->member);
            if (f->mc->tp_format) {
                if (f->mc->tp_type != VB_TPT_STRING)
                    vbBufPrintf(c, "offsetof(%s, %s_set), ", st, f->member);
                else
                    vbBufAdd(c, "VIRTBIND_TP_NO_OFFSET, ");
                vbBufPrintf(c, "offsetof(%s, %s_count) },\n", st, f->member);
            } else if (f->mc->tp_multi) {
                vbBufPrintf(c, "VIRTBIND_TP_NO_OFFSET, offsetof(%s, %s_count) },\n", st,
                            f->member);
            } else {
                vbBufPrintf(c, "offsetof(%s, %s_set), VIRTBIND_TP_NO_OFFSET },\n", st,
                            f->member);
            }
        }
        vbBufAdd(c, "};\n\n");
    }
    vbBufPrintf(c, "const virtbindTPStruct %sDesc = {\n", st);
    vbBufPrintf(c, "    \"%s\", \"%s\", sizeof(%s),\n", tg->g->name, st, st);
    if (tg->nfields)
        vbBufPrintf(c, "    %sFields, sizeof(%sFields) / sizeof(%sFields[0]),\n", st, st, st);
    else
        vbBufAdd(c, "    NULL, 0,\n");
    vbBufPrintf(c, "    offsetof(%s, extra), offsetof(%s, nextra),\n};\n\n", st, st);
    vbBufPrintf(c,
                "int %sUnpack(const virTypedParameter *params, int nparams, %s *out)\n{\n"
                "    return virtbindTPUnpack(&%sDesc, params, nparams, out);\n}\n\n", st, st, st);
    vbBufPrintf(c,
                "int %sPack(const %s *in, virTypedParameterPtr *params, int *nparams)\n{\n"
                "    return virtbindTPPack(&%sDesc, in, params, nparams);\n}\n\n", st, st, st);
    vbBufPrintf(c, "void %sClear(%s *obj)\n{\n    virtbindTPClear(&%sDesc, obj);\n}\n\n", st, st,
                st);
}

/* ----------------------------------------------------------- wrappers */

typedef struct {
    const vbFunction *fn;
    const tpGroup *tg;
} wrapper;

static int cmpWrapper(const void *a, const void *b)
{
    return strcmp(((const wrapper *)a)->fn->name, ((const wrapper *)b)->fn->name);
}

static const char *errorValue(const vbFunction *fn)
{
    return fn->ret.kind == VB_RET_OBJECT ? "NULL" : "-1";
}

/* "virtbind" + name without "vir" */
static char *wrapperName(const vbFunction *fn, const char *suffix)
{
    const char *base = vbStartsWith(fn->name, "vir") ? fn->name + 3 : fn->name;
    return vbPrintf("virtbind%s%s", base, suffix ? suffix : "");
}

/* The wrapper's parameter list: the function's arguments, the typed
 * parameter pair replaced by a struct pointer; SKIP (or -1) also omitted. */
static void emitParams(vbBuf *b, const vbFunction *fn, const tpGroup *tg, bool in, int skip)
{
    bool first = true;
    for (size_t i = 0; i < fn->nargs; i++) {
        const vbArg *a = &fn->args[i];
        if ((int)i == fn->tp_count_arg || (int)i == skip)
            continue;
        if (!first)
            vbBufAdd(b, ", ");
        first = false;
        if ((int)i == fn->tp_params_arg)
            vbBufPrintf(b, "%s%s *%s", in ? "const " : "", tg->ctype, a->name);
        else
            vbCShimArgDecl(b, a->type, a->name);
    }
    if (first)
        vbBufAdd(b, "void");
}

/* The call's argument list with the typed parameter pair given as P and N. */
static void emitCall(vbBuf *b, const vbFunction *fn, const char *p, const char *n)
{
    vbBufPrintf(b, "%s(", fn->name);
    for (size_t i = 0; i < fn->nargs; i++) {
        if (i)
            vbBufAdd(b, ", ");
        if ((int)i == fn->tp_params_arg)
            vbBufAdd(b, p);
        else if ((int)i == fn->tp_count_arg)
            vbBufAdd(b, n);
        else
            vbBufAdd(b, fn->args[i].name);
    }
    vbBufAdd(b, ")");
}

static void emitProto(vbBuf *h, vbBuf *c, const vbFunction *fn, const tpGroup *tg, bool in,
                      const char *doc)
{
    char *name = wrapperName(fn, NULL);
    vbBuf sig = {0};
    vbBufPrintf(&sig, "%s %s(", fn->ret.type, name);
    emitParams(&sig, fn, tg, in, -1);
    vbBufAdd(&sig, ")");
    vbBufAdd(h, "/* ");
    if (fn->info && *fn->info) {
        addSummary(h, fn->info);
        vbBufAdd(h, "\n * ");
    }
    vbBufPrintf(h, "%s */\n%s;\n\n", doc, sig.s);
    vbBufPrintf(c, "%s\n{\n", sig.s);
    vbBufClear(&sig);
    free(name);
}

static const char *countType(const vbFunction *fn)
{
    const vbArg *a = &fn->args[fn->tp_count_arg];
    return a->ctype.kind == VB_T_UINT ? "unsigned int" : "int";
}

static void emitInput(vbBuf *h, vbBuf *c, const vbFunction *fn, const tpGroup *tg)
{
    char *doc = vbPrintf("%s with the parameters packed from *%s (NULL: none).", fn->name,
                         fn->args[fn->tp_params_arg].name);
    emitProto(h, c, fn, tg, true, doc);
    free(doc);
    const char *pname = fn->args[fn->tp_params_arg].name;
    bool uns = strcmp(countType(fn), "int") != 0;
    vbBufPrintf(c, "    virTypedParameterPtr vb_tp = NULL;\n    int vb_n = 0;\n    %s vb_ret;\n\n",
                fn->ret.type);
    vbBufPrintf(c, "    if (%s && %sPack(%s, &vb_tp, &vb_n) < 0)\n        return %s;\n", pname,
                tg->ctype, pname, errorValue(fn));
    vbBufAdd(c, "    vb_ret = ");
    emitCall(c, fn, "vb_tp", uns ? "(unsigned int)vb_n" : "vb_n");
    vbBufAdd(c, ";\n    virTypedParamsFree(vb_tp, vb_n);\n    return vb_ret;\n}\n\n");
}

static void emitCallerAlloc(vbBuf *h, vbBuf *c, const vbFunction *fn, const tpGroup *tg,
                            const char *probe)
{
    const char *pname = fn->args[fn->tp_params_arg].name;
    char *doc = vbPrintf("%s: size probe (%s), fetch, unpack into *%s\n"
                         " * (overwritten; %sClear it when done).  0 or -1.",
                         fn->name, probe ? probe : "NULL/0 first", pname, tg->ctype);
    emitProto(h, c, fn, tg, false, doc);
    free(doc);
    vbBufAdd(c, "    virTypedParameterPtr vb_tp = NULL;\n    int vb_n = 0;\n    int vb_ret;\n\n");
    vbBufPrintf(c, "    if (!%s) {\n        errno = EINVAL;\n        return -1;\n    }\n", pname);
    vbBufPrintf(c, "    memset(%s, 0, sizeof(*%s));\n", pname, pname);
    if (probe) {
        const char *self = fn->self_arg >= 0 ? fn->args[fn->self_arg].name : fn->args[0].name;
        vbBufPrintf(c, "    char *vb_probe = %s(%s, &vb_n);\n", probe, self);
        vbBufAdd(c, "    if (!vb_probe)\n        return -1;\n    free(vb_probe);\n");
    } else {
        vbBufAdd(c, "    if (");
        emitCall(c, fn, "NULL", "&vb_n");
        vbBufAdd(c, " < 0)\n        return -1;\n");
    }
    vbBufAdd(c, "    if (vb_n > 0) {\n"
                "        if (!(vb_tp = calloc((size_t)vb_n, sizeof(*vb_tp))))\n"
                "            return -1;\n"
                "        if (");
    emitCall(c, fn, "vb_tp", "&vb_n");
    vbBufAdd(c, " < 0) {\n            free(vb_tp);\n            return -1;\n        }\n    }\n");
    vbBufPrintf(c, "    vb_ret = %sUnpack(vb_tp, vb_n, %s);\n", tg->ctype, pname);
    vbBufAdd(c, "    if (vb_tp)\n        virTypedParamsClear(vb_tp, vb_n);\n"
                "    free(vb_tp);\n    return vb_ret;\n}\n\n");
}

static void emitLibAlloc(vbBuf *h, vbBuf *c, const vbFunction *fn, const tpGroup *tg)
{
    const char *pname = fn->args[fn->tp_params_arg].name;
    char *doc = vbPrintf("%s, unpacked into *%s (overwritten;\n"
                         " * %sClear it when done).  Returns what %s returns, or -1.",
                         fn->name, pname, tg->ctype, fn->name);
    emitProto(h, c, fn, tg, false, doc);
    free(doc);
    vbBufPrintf(c, "    virTypedParameterPtr vb_tp = NULL;\n    %s vb_n = 0;\n    %s vb_ret;\n\n",
                countType(fn), fn->ret.type);
    vbBufPrintf(c, "    if (!%s) {\n        errno = EINVAL;\n        return %s;\n    }\n", pname,
                errorValue(fn));
    vbBufPrintf(c, "    memset(%s, 0, sizeof(*%s));\n", pname, pname);
    vbBufAdd(c, "    vb_ret = ");
    emitCall(c, fn, "&vb_tp", "&vb_n");
    vbBufPrintf(c, ";\n    if (vb_ret < 0)\n        return vb_ret;\n"
                   "    if (%sUnpack(vb_tp, (int)vb_n, %s) < 0)\n        vb_ret = -1;\n"
                   "    virTypedParamsFree(vb_tp, (int)vb_n);\n    return vb_ret;\n}\n\n",
                tg->ctype, pname);
}

/* virDomainGetCPUStats(dom, params, nparams, start_cpu, ncpus, flags):
 * nparams slots per CPU.  Emitted as ...Total (start_cpu -1, ncpus 1) and
 * ...PerCPU (an array of ncpus structs). */
static bool isCPUStatsShape(const vbFunction *fn)
{
    return fn->tp_use == VB_TP_CALLER_ALLOC && fn->tp_count_arg >= 0 &&
           fn->args[fn->tp_count_arg].ctype.depth == 0 && fn->nargs == 6 &&
           strcmp(fn->args[3].name, "start_cpu") == 0 && strcmp(fn->args[4].name, "ncpus") == 0;
}

static void emitCPUStats(vbBuf *h, vbBuf *c, const vbFunction *fn, const tpGroup *tg)
{
    const char *self = fn->args[0].name, *flags = fn->args[5].name;
    char *total = wrapperName(fn, "Total"), *per = wrapperName(fn, "PerCPU");
    const char *st = tg->ctype;

    vbBufPrintf(h, "/* %s for the whole domain (start_cpu -1, ncpus 1), unpacked into\n"
                   " * *params (overwritten; Clear it when done).  0 or -1. */\n"
                   "int %s(virDomainPtr %s, %s *params, unsigned int %s);\n\n",
                fn->name, total, self, st, flags);
    vbBufPrintf(c, "int %s(virDomainPtr %s, %s *params, unsigned int %s)\n{\n", total, self, st,
                flags);
    vbBufPrintf(c,
                "    virTypedParameterPtr vb_tp = NULL;\n    int vb_n, vb_got = 0, vb_ret;\n\n"
                "    if (!params) {\n        errno = EINVAL;\n        return -1;\n    }\n"
                "    memset(params, 0, sizeof(*params));\n"
                "    if ((vb_n = %s(%s, NULL, 0, -1, 1, %s)) < 0)\n        return -1;\n"
                "    if (vb_n > 0) {\n"
                "        if (!(vb_tp = calloc((size_t)vb_n, sizeof(*vb_tp))))\n"
                "            return -1;\n"
                "        if ((vb_got = %s(%s, vb_tp, (unsigned int)vb_n, -1, 1, %s)) < 0) {\n"
                "            free(vb_tp);\n            return -1;\n        }\n    }\n"
                "    vb_ret = %sUnpack(vb_tp, vb_got, params);\n"
                "    if (vb_tp)\n        virTypedParamsClear(vb_tp, vb_n);\n"
                "    free(vb_tp);\n    return vb_ret;\n}\n\n",
                fn->name, self, flags, fn->name, self, flags, st);

    vbBufPrintf(h, "/* %s per CPU: params[0..ncpus) receive the statistics of host CPUs\n"
                   " * start_cpu .. start_cpu+ncpus-1 (Clear each when done).  Returns the\n"
                   " * number of CPUs filled (ncpus, or fewer when the host has fewer), or -1. */\n"
                   "int %s(virDomainPtr %s, %s *params, int start_cpu, unsigned int ncpus,\n"
                   "        unsigned int %s);\n\n",
                fn->name, per, self, st, flags);
    vbBufPrintf(c, "int %s(virDomainPtr %s, %s *params, int start_cpu, unsigned int ncpus,\n"
                   "        unsigned int %s)\n{\n", per, self, st, flags);
    vbBufPrintf(c,
                "    virTypedParameterPtr vb_tp = NULL;\n    int vb_n, vb_got, vb_host;\n"
                "    unsigned int vb_i, vb_fill;\n\n"
                "    if (!params && ncpus) {\n        errno = EINVAL;\n        return -1;\n    }\n"
                "    if (ncpus)\n        memset(params, 0, sizeof(*params) * ncpus);\n"
                "    if (start_cpu < 0) {\n        errno = EINVAL;\n        return -1;\n    }\n"
                "    if ((vb_host = %s(%s, NULL, 0, 0, 0, %s)) < 0)\n        return -1;\n"
                "    if (start_cpu >= vb_host || ncpus == 0)\n        return 0;\n"
                "    vb_fill = (unsigned int)(vb_host - start_cpu) < ncpus\n"
                "                  ? (unsigned int)(vb_host - start_cpu) : ncpus;\n"
                "    if ((vb_n = %s(%s, NULL, 0, 0, 1, %s)) < 0)\n        return -1;\n"
                "    if (vb_n == 0)\n        return (int)vb_fill;\n"
                "    if (!(vb_tp = calloc((size_t)vb_n * vb_fill, sizeof(*vb_tp))))\n"
                "        return -1;\n"
                "    if ((vb_got = %s(%s, vb_tp, (unsigned int)vb_n, start_cpu, vb_fill, %s)) < 0) {\n"
                "        free(vb_tp);\n        return -1;\n    }\n"
                "    for (vb_i = 0; vb_i < vb_fill; vb_i++) {\n"
                "        if (%sUnpack(vb_tp + (size_t)vb_i * (size_t)vb_n, vb_got, &params[vb_i]) < 0) {\n"
                "            while (vb_i > 0)\n                %sClear(&params[--vb_i]);\n"
                "            virTypedParamsClear(vb_tp, vb_n * (int)vb_fill);\n"
                "            free(vb_tp);\n            return -1;\n        }\n    }\n"
                "    virTypedParamsClear(vb_tp, vb_n * (int)vb_fill);\n"
                "    free(vb_tp);\n    return (int)vb_fill;\n}\n\n",
                fn->name, self, flags, fn->name, self, flags, fn->name, self, flags, st, st);
    free(total);
    free(per);
}

/* virNodeGetCPUStats / virNodeGetMemoryStats: a caller-allocated array of
 * {char field[80]; unsigned long long value;} structs, probed with NULL/0. */
static int structArrayArg(const vbModel *m, const vbFunction *fn)
{
    for (size_t i = 0; i < fn->nargs; i++) {
        const vbArg *a = &fn->args[i];
        if (a->role != VB_ROLE_OUT_STRUCT_ARRAY || a->pair < 0 || a->ctype.ref < 0)
            continue;
        const vbStruct *s = &m->structs[a->ctype.ref];
        if (s->nfields == 2 && strcmp(s->fields[0].name, "field") == 0 &&
            strcmp(s->fields[1].name, "value") == 0 &&
            s->fields[1].ctype.kind == VB_T_ULLONG &&
            fn->args[a->pair].ctype.depth == 1)
            return (int)i;
    }
    return -1;
}

static void emitStructArray(vbBuf *h, vbBuf *c, const vbModel *m, const vbFunction *fn,
                            const tpGroup *tg, int pa)
{
    const vbArg *parr = &fn->args[pa];
    int ca = parr->pair;
    const vbStruct *s = &m->structs[parr->ctype.ref];
    vbFunction shape = *fn;   /* reuse the generic list writers */
    shape.tp_params_arg = pa;
    shape.tp_count_arg = ca;
    char *doc = vbPrintf("%s: size probe (NULL/0), fetch, and the %s records\n"
                         " * unpacked into *%s by field name (Clear it when done).  0 or -1.",
                         fn->name, s->name, parr->name);
    emitProto(h, c, &shape, tg, false, doc);
    free(doc);
    vbBufPrintf(c,
                "    %s *vb_rec = NULL;\n    virTypedParameterPtr vb_tp = NULL;\n"
                "    int vb_n = 0, vb_i, vb_ret;\n\n"
                "    if (!%s) {\n        errno = EINVAL;\n        return -1;\n    }\n"
                "    memset(%s, 0, sizeof(*%s));\n    if (",
                s->name, parr->name, parr->name, parr->name);
    emitCall(c, &shape, "NULL", "&vb_n");
    vbBufAdd(c, " < 0)\n        return -1;\n    if (vb_n > 0) {\n"
                "        if (!(vb_rec = calloc((size_t)vb_n, sizeof(*vb_rec))))\n"
                "            return -1;\n        if (");
    emitCall(c, &shape, "vb_rec", "&vb_n");
    vbBufAdd(c, " < 0) {\n            free(vb_rec);\n            return -1;\n        }\n"
                "        if (!(vb_tp = calloc((size_t)vb_n, sizeof(*vb_tp)))) {\n"
                "            free(vb_rec);\n            return -1;\n        }\n    }\n"
                "    for (vb_i = 0; vb_i < vb_n; vb_i++) {\n"
                "        memcpy(vb_tp[vb_i].field, vb_rec[vb_i].field, sizeof(vb_tp[vb_i].field));\n"
                "        vb_tp[vb_i].field[sizeof(vb_tp[vb_i].field) - 1] = '\\0';\n"
                "        vb_tp[vb_i].type = VIR_TYPED_PARAM_ULLONG;\n"
                "        vb_tp[vb_i].value.ul = vb_rec[vb_i].value;\n    }\n");
    vbBufPrintf(c, "    vb_ret = %sUnpack(vb_tp, vb_n, %s);\n"
                   "    free(vb_tp);\n    free(vb_rec);\n    return vb_ret;\n}\n\n",
                tg->ctype, parr->name);
}

static const char *probeFor(const vbFunction *fn)
{
    for (size_t i = 0; i < sizeof(sizeProbes) / sizeof(sizeProbes[0]); i++) {
        if (strcmp(sizeProbes[i].fn, fn->name) == 0)
            return sizeProbes[i].probe;
    }
    return NULL;
}

int vbCShimTypedParams(const vbModel *m, vbBuf *h, vbBuf *c)
{
    tpGroup *gs = NULL;
    size_t ng = 0;
    if (buildGroups(m, &gs, &ng) < 0) {
        freeGroups(gs, ng);
        return -1;
    }

    vbCShimHeaderComment(h, m, "virtbind/typedparams.h",
                         "typed structs for libvirt's typed parameters,\n"
                         " * with pack/unpack/clear and typed wrappers of the APIs using them.");
    vbBufAdd(h, "#ifndef VIRTBIND_TYPEDPARAMS_H\n#define VIRTBIND_TYPEDPARAMS_H\n\n"
                "#include <libvirt/libvirt.h>\n#include <libvirt/libvirt-admin.h>\n"
                "#include <stdbool.h>\n#include <stddef.h>\n\n"
                "#include <virtbind/tpengine.h>\n\n"
                "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
    vbBufPrintf(h, "/* structs generated: the model's typed-parameter groups, plus\n"
                   " * DomainStats (domain stats records, fields parsed from the doc text) */\n"
                   "#define VIRTBIND_TP_NGROUPS %zu\n#define VIRTBIND_TP_NSTRUCTS %zu\n\n",
                m->ntp_groups, ng);
    vbBufAdd(h, "/* ------------------------------------------------------------ structs */\n\n");

    vbCShimHeaderComment(c, m, "typedparams.c",
                         "tables, pack/unpack/clear and typed wrappers of libvirtbind.");
    vbBufAdd(c, "#include \"virtbind/typedparams.h\"\n\n#include <errno.h>\n#include <stddef.h>\n"
                "#include <stdlib.h>\n#include <string.h>\n\n");

    for (size_t i = 0; i < ng; i++) {
        emitStruct(h, &gs[i]);
        emitTable(c, &gs[i]);
        if (gs[i].owned && strcmp(gs[i].g->name, "DomainStats") == 0)
            vbCShimStatsRecordType(&gs[i], h, c);
    }
    vbBufAdd(c, "const virtbindTPStruct *const virtbindTPStructs[] = {\n");
    for (size_t i = 0; i < ng; i++)
        vbBufPrintf(c, "    &%sDesc,\n", gs[i].ctype);
    vbBufAdd(c, "    NULL,\n};\n\n");
    vbBufPrintf(c, "const size_t virtbindTPNStructs = %zu;\n\n", ng);
    vbBufAdd(c, "const virtbindTPStruct *virtbindTPStructFind(const char *group)\n{\n"
                "    for (size_t i = 0; group && i < virtbindTPNStructs; i++) {\n"
                "        if (strcmp(virtbindTPStructs[i]->group, group) == 0)\n"
                "            return virtbindTPStructs[i];\n    }\n    return NULL;\n}\n\n");

    /* one struct type name per API: virtbind<API without "vir">Params, a
     * typedef of its group's struct (the same name when they coincide:
     * virDomainSaveParams -> virtbindDomainSaveParamsParams) */
    char **apis = NULL;
    size_t napis = 0, capapis = 0;
    for (size_t i = 0; i < ng; i++) {
        const vbTypedParamGroup *g = gs[i].g;
        for (size_t k = 0; k < g->napis; k++) {
            bool seen = false;
            for (size_t j = 0; j < napis && !seen; j++)
                seen = strncmp(apis[j], g->apis[k], strlen(g->apis[k])) == 0 &&
                       apis[j][strlen(g->apis[k])] == '\t';
            if (!seen)
                *VB_PUSH(apis, napis, capapis) = vbPrintf("%s\t%s", g->apis[k], gs[i].ctype);
        }
    }
    if (napis)
        qsort(apis, napis, sizeof(char *), cmpStrPtr);
    vbBufAdd(h, "/* ------------------------------------------------ struct type per API */\n\n"
                "/* Every typed-parameter API (function or callback type) has its own struct\n"
                " * type name, virtbind<API without \"vir\">Params: its group's struct. */\n");
    vbBufAdd(c, "const virtbindTPApi virtbindTPApis[] = {\n");
    for (size_t i = 0; i < napis; i++) {
        char *tab = strchr(apis[i], '\t');
        *tab = '\0';
        const char *api = apis[i], *ctype = tab + 1;
        char *name = vbPrintf("virtbind%sParams", vbStartsWith(api, "vir") ? api + 3 : api);
        if (strcmp(name, ctype) != 0)
            vbBufPrintf(h, "typedef %s %s;\n", ctype, name);
        else
            vbBufPrintf(h, "/* %s: %s itself */\n", api, name);
        vbBufPrintf(c, "    { \"%s\", \"%s\", &%sDesc },\n", api, name, ctype);
        free(name);
        free(apis[i]);
    }
    free(apis);
    vbBufPrintf(h, "\n#define VIRTBIND_TP_NAPIS %zu\n\n", napis);
    vbBufAdd(c, "};\n\n");
    vbBufPrintf(c, "const size_t virtbindTPNApis = %zu;\n\n", napis);
    vbBufAdd(c, "const virtbindTPApi *virtbindTPApiFind(const char *api)\n{\n"
                "    for (size_t i = 0; api && i < virtbindTPNApis; i++) {\n"
                "        if (strcmp(virtbindTPApis[i].api, api) == 0)\n"
                "            return &virtbindTPApis[i];\n    }\n    return NULL;\n}\n\n");

    /* wrappers, sorted by the wrapped function's name */
    wrapper *ws = NULL;
    size_t nw = 0, capw = 0;
    vbBuf skipped = {0};
    for (size_t i = 0; i < ng; i++) {
        const vbTypedParamGroup *g = gs[i].g;
        for (size_t k = 0; k < g->napis; k++) {
            int fi = vbModelFindFunction(m, g->apis[k]);
            if (fi < 0) {
                vbBufPrintf(&skipped, " *   %s: %s\n", g->apis[k],
                            vbModelFindFunctype(m, g->apis[k]) >= 0
                                ? "a callback type (events.h; use the Unpack function)"
                                : "not a function of the model");
                continue;
            }
            wrapper *w = VB_PUSH(ws, nw, capw);
            w->fn = &m->functions[fi];
            w->tg = &gs[i];
        }
    }
    if (nw)
        qsort(ws, nw, sizeof(*ws), cmpWrapper);
    vbBufAdd(h, "/* ----------------------------------------------------------- wrappers */\n\n");
    size_t nwritten = 0;
    for (size_t i = 0; i < nw; i++) {
        const vbFunction *fn = ws[i].fn;
        const tpGroup *tg = ws[i].tg;
        int sa;
        if (fn->tp_group >= 0 && &m->tp_groups[fn->tp_group] != tg->g) {
            vbBufPrintf(&skipped, " *   %s: its typed parameters belong to another group\n",
                        fn->name);
            continue;
        }
        if (fn->tp_use == VB_TP_INPUT) {
            emitInput(h, c, fn, tg);
        } else if (fn->tp_use == VB_TP_LIB_ALLOC) {
            emitLibAlloc(h, c, fn, tg);
        } else if (fn->tp_use == VB_TP_CALLER_ALLOC && isCPUStatsShape(fn)) {
            emitCPUStats(h, c, fn, tg);
        } else if (fn->tp_use == VB_TP_CALLER_ALLOC &&
                   fn->args[fn->tp_count_arg].ctype.depth == 1) {
            emitCallerAlloc(h, c, fn, tg, probeFor(fn));
        } else if (fn->tp_use == VB_TP_NONE && (sa = structArrayArg(m, fn)) >= 0) {
            emitStructArray(h, c, m, fn, tg, sa);
        } else if (fn->tp_use == VB_TP_STATS && tg->owned &&
                   vbCShimStatsWrapper(fn, tg, h, c) == 0) {
            /* written */
        } else {
            vbBufPrintf(&skipped, " *   %s: no wrapper for its shape (%s)\n", fn->name,
                        vbTypedParamUseName(fn->tp_use));
            continue;
        }
        nwritten++;
    }
    if (skipped.len) {
        vbBufAdd(h, "/* APIs named by the groups that have no wrapper here:\n");
        vbBufAdd(h, skipped.s);
        vbBufAdd(h, " */\n\n");
    }
    vbBufPrintf(h, "#define VIRTBIND_TP_NWRAPPED %zu\n\n", nwritten);
    vbBufAdd(h, "#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
    vbBufClear(&skipped);
    free(ws);
    freeGroups(gs, ng);
    return 0;
}
