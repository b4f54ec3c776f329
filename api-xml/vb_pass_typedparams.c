/* vb_pass_typedparams.c — the typed-parameter facts: how each function
 * uses virTypedParameter (input, caller-allocated output, library-allocated
 * output, stats records, helpers, callbacks), which field macros form each
 * API's field group, and each field's type, read from the macro's doc text
 * ("as VIR_TYPED_PARAM_ULLONG", "as a ullong", "has type int", ...) or,
 * where the text is silent, from the annotations file. */
#include "vb_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *word;
    vbTypedParamType type;
} vbTypeWords[] = {
    /* longest first: "unsigned long long" must win over "unsigned int" etc. */
    { "unsigned long long", VB_TPT_ULLONG },
    { "unsigned int", VB_TPT_UINT },
    { "long long", VB_TPT_LLONG },
    { "ullong", VB_TPT_ULLONG },
    { "llong", VB_TPT_LLONG },
    { "uint", VB_TPT_UINT },
    { "int", VB_TPT_INT },
    { "string", VB_TPT_STRING },
    { "boolean", VB_TPT_BOOLEAN },
    { "double", VB_TPT_DOUBLE },
};

static vbTypedParamType vbTypeWordAt(const char *p, size_t *len)
{
    for (size_t i = 0; i < sizeof(vbTypeWords) / sizeof(vbTypeWords[0]); i++) {
        size_t n = strlen(vbTypeWords[i].word);
        if (strncasecmp(p, vbTypeWords[i].word, n) == 0 && !isalnum((unsigned char)p[n]) &&
            p[n] != '_') {
            *len = n;
            return vbTypeWords[i].type;
        }
    }
    return VB_TPT_UNKNOWN;
}

/* "VIR_TYPED_PARAM_ULLONG" and the misspelled "VIR_TYPED_PARAMS_STRING". */
static vbTypedParamType vbTypedParamConstAt(const char *p)
{
    static const char *const prefixes[] = { "VIR_TYPED_PARAMS_", "VIR_TYPED_PARAM_" };
    for (size_t k = 0; k < 2; k++) {
        size_t n = strlen(prefixes[k]);
        if (strncmp(p, prefixes[k], n) != 0)
            continue;
        size_t len;
        vbTypedParamType t = vbTypeWordAt(p + n, &len);
        if (t != VB_TPT_UNKNOWN && !isupper((unsigned char)p[n + len]))
            return t;
    }
    return VB_TPT_UNKNOWN;
}

/* The first type statement in the text, scanning left to right. */
static vbTypedParamType vbTypeFromText(const vbModel *m, const char *text, int guard,
                                       const char **rule)
{
    static const char *const leads[] = { "as an ", "as a ", "type of ", "has type ", "type is ", "as " };
    if (!text || guard > 4)
        return VB_TPT_UNKNOWN;
    for (const char *p = text; *p; p++) {
        vbTypedParamType t = vbTypedParamConstAt(p);
        if (t != VB_TPT_UNKNOWN) {
            *rule = "doc text names VIR_TYPED_PARAM_*";
            return t;
        }
        for (size_t k = 0; k < sizeof(leads) / sizeof(leads[0]); k++) {
            size_t n = strlen(leads[k]);
            if (strncasecmp(p, leads[k], n) != 0 || (p > text && isalnum((unsigned char)p[-1])))
                continue;
            size_t len;
            t = vbTypeWordAt(p + n, &len);
            if (t != VB_TPT_UNKNOWN) {
                *rule = "doc text states the type in words";
                return t;
            }
            /* "as VIR_DOMAIN_JOB_DATA_TOTAL but ...": same type as that field */
            const char *ref = p + n;
            if (strncmp(ref, "VIR_", 4) == 0 && strncmp(ref, "VIR_TYPED_PARAM", 15) != 0) {
                size_t rl = 0;
                while (isupper((unsigned char)ref[rl]) || isdigit((unsigned char)ref[rl]) || ref[rl] == '_')
                    rl++;
                char *name = vbStrndup(ref, rl);
                int mi = vbModelFindMacro(m, name);
                free(name);
                if (mi >= 0) {
                    t = vbTypeFromText(m, m->macros[mi].info, guard + 1, rule);
                    if (t != VB_TPT_UNKNOWN) {
                        *rule = "doc text refers to another field's type";
                        return t;
                    }
                }
            }
        }
    }
    return VB_TPT_UNKNOWN;
}

static vbTypedParamType vbTypeByName(const char *s)
{
    size_t len;
    vbTypedParamType t = s ? vbTypeWordAt(s, &len) : VB_TPT_UNKNOWN;
    return t != VB_TPT_UNKNOWN && s[len] == '\0' ? t : VB_TPT_UNKNOWN;
}

/* ------------------------------------------------------------- groups */

static void vbSplitList(const char *list, char ***out, size_t *n)
{
    size_t cap = 0;
    const char *p = list;
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len)
            *VB_PUSH(*out, *n, cap) = vbStrndup(p, len);
        p += len + (end ? 1 : 0);
    }
}

static void vbLoadGroups(vbModel *m, vbAnnotations *a)
{
    size_t cap = 0;
    for (size_t i = 0; i < a->nitems; i++) {
        vbAnnotation *an = &a->items[i];
        if (strcmp(an->kind, "group") != 0)
            continue;
        an->used = true;
        vbTypedParamGroup *g = VB_PUSH(m->tp_groups, m->ntp_groups, cap);
        g->prefix = vbStrdup(an->subject);
        g->name = vbStrdup(vbAnnotationGet(an, "name"));
        g->why = an->reason;
        g->default_type = vbTypeByName(vbAnnotationGet(an, "type"));
        vbSplitList(vbAnnotationGet(an, "apis"), &g->apis, &g->napis);
        if (!g->name)
            vbModelUnclassifiedAt(m, a->path, an->line, "group %s has no name=", an->subject);
        for (size_t k = 0; k < g->napis; k++) {
            if (vbModelFindFunction(m, g->apis[k]) < 0 && vbModelFindFunctype(m, g->apis[k]) < 0)
                vbModelUnclassifiedAt(m, a->path, an->line, "group %s names unknown API %s",
                                      an->subject, g->apis[k]);
        }
    }
}

/* The group whose prefix is the longest match for this macro. */
static int vbGroupForMacro(const vbModel *m, const char *name)
{
    int best = -1;
    size_t best_len = 0;
    for (size_t g = 0; g < m->ntp_groups; g++) {
        size_t n = strlen(m->tp_groups[g].prefix);
        if (n > best_len && strncmp(name, m->tp_groups[g].prefix, n) == 0) {
            best = (int)g;
            best_len = n;
        }
    }
    return best;
}

static void vbClassifyField(vbModel *m, vbAnnotations *a, int mi)
{
    vbMacro *mc = &m->macros[mi];
    int g = vbGroupForMacro(m, mc->name);
    if (g < 0) {
        vbModelUnclassified(m, mc->src, mc->line,
                            "string macro %s ('%s') belongs to no typed-parameter group", mc->name,
                            mc->string);
        return;
    }
    vbTypedParamGroup *grp = &m->tp_groups[g];
    mc->tp_group = g;
    *VB_PUSH(grp->fields, grp->nfields, grp->cap_fields) = mi;
    mc->tp_format = strchr(mc->string, '%') != NULL;
    mc->tp_multi = vbStrCaseStr(mc->info, "multiple field") || vbStrCaseStr(mc->info, "multiple values");

    vbAnnotation *an = vbAnnotationsFind(a, "field", mc->name);
    if (an) {
        mc->tp_type = vbTypeByName(vbAnnotationGet(an, "type"));
        if (vbStrEq(vbAnnotationGet(an, "multiple"), "yes"))
            mc->tp_multi = true;
        mc->tp_type_why = an->reason;
        if (mc->tp_type == VB_TPT_UNKNOWN)
            vbModelUnclassifiedAt(m, a->path, an->line, "field %s: annotation gives no valid type=",
                                  mc->name);
        return;
    }
    const char *rule = NULL;
    mc->tp_type = vbTypeFromText(m, mc->info, 0, &rule);
    mc->tp_type_why = rule;
    if (mc->tp_type == VB_TPT_UNKNOWN && grp->default_type != VB_TPT_UNKNOWN) {
        mc->tp_type = grp->default_type;
        mc->tp_type_why = grp->why;
    }
    if (mc->tp_type == VB_TPT_UNKNOWN)
        vbModelUnclassified(m, mc->src, mc->line,
                            "typed-parameter field %s ('%s'): the doc text states no type; add 'field %s type=...' to the annotations",
                            mc->name, mc->string, mc->name);
}

/* ---------------------------------------------------------- functions */

static void vbClassifyTypedParamUse(vbModel *m, vbFunction *fn)
{
    for (size_t i = 0; i < fn->nargs; i++) {
        const vbArg *arg = &fn->args[i];
        if (arg->role == VB_ROLE_STATS_OUT || arg->role == VB_ROLE_STATS_IN) {
            fn->tp_use = VB_TP_STATS;
            fn->tp_params_arg = (int)i;
            return;
        }
        if (arg->role != VB_ROLE_TYPED_PARAMS)
            continue;
        fn->tp_params_arg = (int)i;
        fn->tp_count_arg = arg->pair;
        if (fn->is_functype)
            fn->tp_use = VB_TP_CALLBACK;
        else if (fn->kind == VB_FN_TYPED_PARAMS_HELPER)
            fn->tp_use = VB_TP_HELPER;
        else if (arg->ctype.depth == 2)
            fn->tp_use = VB_TP_LIB_ALLOC;
        else if (arg->dir == VB_DIR_OUT)
            fn->tp_use = VB_TP_CALLER_ALLOC;
        else
            fn->tp_use = VB_TP_INPUT;
        if (fn->tp_count_arg < 0)
            vbModelUnclassified(m, fn->src, fn->line, "%s: typed parameters without a count argument",
                                fn->name);
        return;
    }
}

/* Every API a group names gets the group, typed-parameter arrays or not
 * (virNodeGetCPUStats fills virNodeCPUStats entries named by macros). */
static void vbAssignGroups(vbModel *m)
{
    for (size_t g = 0; g < m->ntp_groups; g++) {
        for (size_t k = 0; k < m->tp_groups[g].napis; k++) {
            const char *api = m->tp_groups[g].apis[k];
            int f = vbModelFindFunction(m, api);
            if (f >= 0)
                m->functions[f].tp_group = (int)g;
            f = vbModelFindFunctype(m, api);
            if (f >= 0)
                m->functypes[f].tp_group = (int)g;
        }
    }
}

static void vbLinkGroup(vbModel *m, vbAnnotations *a, vbFunction *fn)
{
    if (fn->tp_use == VB_TP_NONE || fn->tp_use == VB_TP_HELPER)
        return;
    if (fn->tp_use == VB_TP_STATS && fn->args[fn->tp_params_arg].role == VB_ROLE_STATS_IN)
        return;   /* virDomainStatsRecordListFree only releases records */
    if (fn->tp_group >= 0)
        return;
    /* Some APIs document their fields only in prose (guest info, domain
     * stats): the annotations file says so explicitly. */
    vbAnnotation *an = vbAnnotationsFind(a, "function", fn->name);
    if (an && vbStrEq(vbAnnotationGet(an, "fields"), "prose"))
        return;
    vbModelUnclassified(m, fn->src, fn->line,
                        "%s takes typed parameters but no field group lists it", fn->name);
}

static int vbCmpProse(const void *x, const void *y)
{
    const vbProseType *p = x, *q = y;
    int c = strcmp(p->fn, q->fn);
    return c ? c : strcmp(p->name, q->name);
}

/* `prose FUNC:NAME type=T`: the type of a field a fields=prose function
 * documents without one (the backends parse the prose; see
 * generator/gen_cshim_stats.c). */
static void vbLoadProseTypes(vbModel *m, vbAnnotations *a)
{
    size_t cap = 0;
    for (size_t i = 0; i < a->nitems; i++) {
        vbAnnotation *an = &a->items[i];
        if (strcmp(an->kind, "prose") != 0)
            continue;
        an->used = true;
        const char *colon = strchr(an->subject, ':');
        char *fn = colon ? vbStrndup(an->subject, (size_t)(colon - an->subject)) : NULL;
        vbAnnotation *fa = fn ? vbAnnotationsFind(a, "function", fn) : NULL;
        vbTypedParamType t = vbTypeByName(vbAnnotationGet(an, "type"));
        if (!fa || !vbStrEq(vbAnnotationGet(fa, "fields"), "prose") || !colon[1] ||
            t == VB_TPT_UNKNOWN) {
            vbModelUnclassifiedAt(m, a->path, an->line,
                                  "prose %s: needs FUNC:NAME of a fields=prose function and a valid type=",
                                  an->subject);
            free(fn);
            continue;
        }
        vbProseType *p = VB_PUSH(m->prose_types, m->nprose_types, cap);
        p->fn = fn;
        p->name = vbStrdup(colon + 1);
        p->type = t;
        p->why = an->reason;
    }
    if (m->nprose_types)
        qsort(m->prose_types, m->nprose_types, sizeof(*m->prose_types), vbCmpProse);
}

void vbClassifyTypedParams(vbModel *m, vbAnnotations *a)
{
    vbLoadProseTypes(m, a);
    vbLoadGroups(m, a);
    for (size_t i = 0; i < m->nmacros; i++)
        if (m->macros[i].string)
            vbClassifyField(m, a, (int)i);
    for (size_t g = 0; g < m->ntp_groups; g++) {
        if (m->tp_groups[g].nfields == 0)
            vbModelUnclassifiedAt(m, a->path, 0, "group %s matches no field macro",
                                  m->tp_groups[g].prefix);
    }
    vbAssignGroups(m);
    for (size_t i = 0; i < m->nfunctions; i++) {
        vbClassifyTypedParamUse(m, &m->functions[i]);
        vbLinkGroup(m, a, &m->functions[i]);
    }
    for (size_t i = 0; i < m->nfunctypes; i++) {
        vbClassifyTypedParamUse(m, &m->functypes[i]);
        vbLinkGroup(m, a, &m->functypes[i]);
    }
}
