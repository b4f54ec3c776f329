/* vb_ir.c — writes the classified model as JSON for other binding authors.
 * Output is stable: every list is sorted by name, keys come in a fixed
 * order, and nothing depends on addresses or time.  Schema:
 * docs/ir-schema.md (schema_version below). */
#include "vb_internal.h"

#include <stdlib.h>
#include <string.h>

#define VB_IR_SCHEMA_VERSION 1

typedef struct {
    vbBuf b;
    int depth;
    bool first;      /* no comma needed before the next member */
} vbJson;

static void vbJsonString(vbBuf *b, const char *s)
{
    if (!s) {
        vbBufAdd(b, "null");
        return;
    }
    vbBufAdd(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': vbBufAdd(b, "\\\""); break;
        case '\\': vbBufAdd(b, "\\\\"); break;
        case '\n': vbBufAdd(b, "\\n"); break;
        case '\r': vbBufAdd(b, "\\r"); break;
        case '\t': vbBufAdd(b, "\\t"); break;
        default:
            if (*p < 0x20)
                vbBufPrintf(b, "\\u%04x", *p);
            else
                vbBufAddN(b, (const char *)p, 1);
        }
    }
    vbBufAdd(b, "\"");
}

static void vbJsonNewline(vbJson *j)
{
    if (!j->first)
        vbBufAdd(&j->b, ",");
    vbBufAdd(&j->b, "\n");
    for (int i = 0; i < j->depth; i++)
        vbBufAdd(&j->b, "  ");
    j->first = false;
}

static void vbJsonKey(vbJson *j, const char *key)
{
    vbJsonNewline(j);
    if (key) {
        vbJsonString(&j->b, key);
        vbBufAdd(&j->b, ": ");
    }
}

static void vbJsonOpen(vbJson *j, const char *key, const char *bracket)
{
    vbJsonKey(j, key);
    vbBufAdd(&j->b, bracket);
    j->depth++;
    j->first = true;
}

static void vbJsonClose(vbJson *j, const char *bracket)
{
    j->depth--;
    if (!j->first) {
        vbBufAdd(&j->b, "\n");
        for (int i = 0; i < j->depth; i++)
            vbBufAdd(&j->b, "  ");
    }
    vbBufAdd(&j->b, bracket);
    j->first = false;
}

static void vbJsonStr(vbJson *j, const char *key, const char *v)
{
    vbJsonKey(j, key);
    vbJsonString(&j->b, v);
}

static void vbJsonInt(vbJson *j, const char *key, long long v)
{
    vbJsonKey(j, key);
    vbBufPrintf(&j->b, "%lld", v);
}

static void vbJsonBool(vbJson *j, const char *key, bool v)
{
    vbJsonKey(j, key);
    vbBufAdd(&j->b, v ? "true" : "false");
}

static void vbJsonStrList(vbJson *j, const char *key, char *const *list, size_t n)
{
    vbJsonOpen(j, key, "[");
    for (size_t k = 0; k < n; k++)
        vbJsonStr(j, NULL, list[k]);
    vbJsonClose(j, "]");
}

/* Sorting by name through an index keeps the model's own order intact. */
typedef struct {
    const char *name;
    size_t index;
} vbNamed;

static int vbNamedCmp(const void *a, const void *b)
{
    const vbNamed *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static vbNamed *vbSortByName(const void *arr, size_t n, size_t elem, size_t name_offset)
{
    vbNamed *v = vbAlloc((n ? n : 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        const char *item = (const char *)arr + i * elem;
        v[i].name = *(const char *const *)(item + name_offset);
        v[i].index = i;
    }
    qsort(v, n, sizeof(*v), vbNamedCmp);
    return v;
}

#define VB_SORTED(arr, n) vbSortByName((arr), (n), sizeof(*(arr)), 0)

static const char *vbClassName(const vbModel *m, int c)
{
    return c >= 0 ? m->classes[c].name : NULL;
}

static const char *vbFunctionName(const vbModel *m, int f)
{
    return f >= 0 ? m->functions[f].name : NULL;
}

static const char *vbGroupName(const vbModel *m, int g)
{
    return g >= 0 ? m->tp_groups[g].name : NULL;
}

static void vbWriteCType(vbJson *j, const vbCType *t)
{
    vbJsonOpen(j, "ctype", "{");
    vbJsonStr(j, "kind", vbTypeKindName(t->kind));
    vbJsonStr(j, "base", t->base);
    vbJsonInt(j, "depth", t->depth);
    vbJsonBool(j, "const", t->is_const);
    if (t->array)
        vbJsonStr(j, "array", t->array);
    vbJsonClose(j, "}");
}

static void vbWriteArg(vbJson *j, const vbFunction *fn, const vbArg *a)
{
    vbJsonOpen(j, NULL, "{");
    vbJsonStr(j, "name", a->name);
    vbJsonStr(j, "type", a->type);
    vbWriteCType(j, &a->ctype);
    vbJsonStr(j, "role", vbArgRoleName(a->role));
    vbJsonStr(j, "direction", vbDirectionName(a->dir));
    vbJsonBool(j, "nullable", a->nullable);
    vbJsonBool(j, "optional", a->optional);
    vbJsonStr(j, "pair", a->pair >= 0 ? fn->args[a->pair].name : NULL);
    vbJsonStr(j, "size", a->size);
    vbJsonStr(j, "transfer", vbTransferName(a->transfer));
    vbJsonBool(j, "annotated", a->annotated);
    vbJsonStr(j, "why", a->why);
    vbJsonStr(j, "info", a->info);
    vbJsonClose(j, "}");
}

static void vbWriteCallable(vbJson *j, const vbModel *m, const vbFunction *fn)
{
    vbJsonOpen(j, NULL, "{");
    vbJsonStr(j, "name", fn->name);
    vbJsonStr(j, "source", vbSourceName(fn->src));
    vbJsonStr(j, "file", fn->file);
    vbJsonStr(j, "version", fn->version);
    if (!fn->is_functype) {
        vbJsonStr(j, "kind", vbFuncKindName(fn->kind));
        vbJsonStr(j, "class", vbClassName(m, fn->cls));
        vbJsonStr(j, "self", fn->self_arg >= 0 ? fn->args[fn->self_arg].name : NULL);
        vbJsonStr(j, "returns_class", vbClassName(m, fn->returns_cls));
    }
    if (fn->tp_use != VB_TP_NONE || fn->tp_group >= 0) {
            vbJsonOpen(j, "typed_params", "{");
            vbJsonStr(j, "use", vbTypedParamUseName(fn->tp_use));
            vbJsonStr(j, "params", fn->tp_params_arg >= 0 ? fn->args[fn->tp_params_arg].name : NULL);
            vbJsonStr(j, "count", fn->tp_count_arg >= 0 ? fn->args[fn->tp_count_arg].name : NULL);
            vbJsonStr(j, "group", vbGroupName(m, fn->tp_group));
            vbJsonClose(j, "}");
    }
    if (fn->event_family >= 0)
        vbJsonStr(j, "event_family", m->families[fn->event_family].name);
    vbJsonOpen(j, "return", "{");
    vbJsonStr(j, "type", fn->ret.type);
    vbWriteCType(j, &fn->ret.ctype);
    vbJsonStr(j, "kind", vbReturnKindName(fn->ret.kind));
    vbJsonStr(j, "transfer", vbTransferName(fn->ret.transfer));
    if (fn->ret.length_arg >= 0)
        vbJsonStr(j, "length", fn->args[fn->ret.length_arg].name);
    vbJsonStr(j, "why", fn->ret.why);
    vbJsonStr(j, "info", fn->ret.info);
    vbJsonClose(j, "}");
    vbJsonOpen(j, "args", "[");
    for (size_t i = 0; i < fn->nargs; i++)
        vbWriteArg(j, fn, &fn->args[i]);
    vbJsonClose(j, "]");
    vbJsonStr(j, "info", fn->info);
    vbJsonClose(j, "}");
}

static void vbWriteCallables(vbJson *j, const vbModel *m, const char *key, const vbFunction *arr,
                             size_t n)
{
    vbNamed *order = VB_SORTED(arr, n);
    vbJsonOpen(j, key, "[");
    for (size_t i = 0; i < n; i++)
        vbWriteCallable(j, m, &arr[order[i].index]);
    vbJsonClose(j, "]");
    free(order);
}

static void vbWriteClasses(vbJson *j, const vbModel *m)
{
    vbNamed *order = VB_SORTED(m->classes, m->nclasses);
    vbJsonOpen(j, "classes", "[");
    for (size_t i = 0; i < m->nclasses; i++) {
        const vbClass *c = &m->classes[order[i].index];
        int ci = (int)order[i].index;
        vbJsonOpen(j, NULL, "{");
        vbJsonStr(j, "name", c->name);
        vbJsonStr(j, "ptr_type", c->ptr_type);
        vbJsonStr(j, "source", vbSourceName(c->src));
        vbJsonStr(j, "parent", vbClassName(m, c->parent));
        vbJsonStr(j, "ref", vbFunctionName(m, c->ref_fn));
        vbJsonStr(j, "free", vbFunctionName(m, c->free_fn));
        vbJsonOpen(j, "methods", "[");
        vbNamed *fo = VB_SORTED(m->functions, m->nfunctions);
        for (size_t k = 0; k < m->nfunctions; k++) {
            const vbFunction *fn = &m->functions[fo[k].index];
            if (fn->cls == ci && fn->kind != VB_FN_REF && fn->kind != VB_FN_FREE)
                vbJsonStr(j, NULL, fn->name);
        }
        vbJsonClose(j, "]");
        vbJsonOpen(j, "constructors", "[");
        for (size_t k = 0; k < m->nfunctions; k++) {
            const vbFunction *fn = &m->functions[fo[k].index];
            if (fn->kind == VB_FN_CONSTRUCTOR && fn->returns_cls == ci)
                vbJsonStr(j, NULL, fn->name);
        }
        vbJsonClose(j, "]");
        free(fo);
        vbJsonClose(j, "}");
    }
    vbJsonClose(j, "]");
    free(order);
}

static void vbWriteEnums(vbJson *j, const vbModel *m)
{
    vbNamed *order = VB_SORTED(m->enums, m->nenums);
    vbJsonOpen(j, "enums", "[");
    for (size_t i = 0; i < m->nenums; i++) {
        const vbEnumConst *e = &m->enums[order[i].index];
        vbJsonOpen(j, NULL, "{");
        vbJsonStr(j, "name", e->name);
        vbJsonInt(j, "value", e->value);
        vbJsonStr(j, "raw", e->raw_value);
        vbJsonBool(j, "symbolic", e->symbolic);
        vbJsonBool(j, "last", e->is_last);
        vbJsonStr(j, "type", e->type);
        vbJsonStr(j, "source", vbSourceName(e->src));
        vbJsonStr(j, "file", e->file);
        vbJsonStr(j, "version", e->version);
        vbJsonStr(j, "info", e->info);
        vbJsonClose(j, "}");
    }
    vbJsonClose(j, "]");
    free(order);
}

static void vbWriteMacros(vbJson *j, const vbModel *m)
{
    vbNamed *order = VB_SORTED(m->macros, m->nmacros);
    vbJsonOpen(j, "macros", "[");
    for (size_t i = 0; i < m->nmacros; i++) {
        const vbMacro *mc = &m->macros[order[i].index];
        vbJsonOpen(j, NULL, "{");
        vbJsonStr(j, "name", mc->name);
        vbJsonStr(j, "string", mc->string);
        vbJsonStr(j, "raw", mc->raw);
        vbJsonStrList(j, "params", mc->params, mc->nparams);
        vbJsonStr(j, "source", vbSourceName(mc->src));
        vbJsonStr(j, "file", mc->file);
        vbJsonStr(j, "version", mc->version);
        if (mc->tp_group >= 0) {
            vbJsonOpen(j, "typed_param", "{");
            vbJsonStr(j, "group", vbGroupName(m, mc->tp_group));
            vbJsonStr(j, "type", vbTypedParamTypeName(mc->tp_type));
            vbJsonBool(j, "multiple", mc->tp_multi);
            vbJsonBool(j, "format", mc->tp_format);
            vbJsonStr(j, "why", mc->tp_type_why);
            vbJsonClose(j, "}");
        }
        vbJsonStr(j, "info", mc->info);
        vbJsonClose(j, "}");
    }
    vbJsonClose(j, "]");
    free(order);
}

static void vbWriteStructs(vbJson *j, const vbModel *m)
{
    vbNamed *order = VB_SORTED(m->structs, m->nstructs);
    vbJsonOpen(j, "structs", "[");
    for (size_t i = 0; i < m->nstructs; i++) {
        const vbStruct *st = &m->structs[order[i].index];
        vbJsonOpen(j, NULL, "{");
        vbJsonStr(j, "name", st->name);
        vbJsonStr(j, "tag", st->type);
        vbJsonStr(j, "source", vbSourceName(st->src));
        vbJsonStr(j, "version", st->version);
        vbJsonBool(j, "opaque", st->opaque);
        vbJsonStr(j, "free", vbFunctionName(m, st->free_fn));
        vbJsonOpen(j, "fields", "[");
        for (size_t k = 0; k < st->nfields; k++) {
            vbJsonOpen(j, NULL, "{");
            vbJsonStr(j, "name", st->fields[k].name);
            vbJsonStr(j, "type", st->fields[k].type);
            vbWriteCType(j, &st->fields[k].ctype);
            vbJsonStr(j, "info", st->fields[k].info);
            vbJsonClose(j, "}");
        }
        vbJsonClose(j, "]");
        vbJsonClose(j, "}");
    }
    vbJsonClose(j, "]");
    free(order);
}

static void vbWriteTypedefs(vbJson *j, const char *key, const vbTypedef *arr, size_t n)
{
    vbNamed *order = VB_SORTED(arr, n);
    vbJsonOpen(j, key, "[");
    for (size_t i = 0; i < n; i++) {
        const vbTypedef *td = &arr[order[i].index];
        vbJsonOpen(j, NULL, "{");
        vbJsonStr(j, "name", td->name);
        vbJsonStr(j, "type", td->type);
        vbJsonStr(j, "source", vbSourceName(td->src));
        vbJsonStr(j, "version", td->version);
        vbJsonClose(j, "}");
    }
    vbJsonClose(j, "]");
    free(order);
}

static void vbWriteGroups(vbJson *j, const vbModel *m)
{
    vbNamed *order = VB_SORTED(m->tp_groups, m->ntp_groups);
    vbJsonOpen(j, "typed_param_groups", "[");
    for (size_t i = 0; i < m->ntp_groups; i++) {
        const vbTypedParamGroup *g = &m->tp_groups[order[i].index];
        vbJsonOpen(j, NULL, "{");
        vbJsonStr(j, "name", g->name);
        vbJsonStr(j, "prefix", g->prefix);
        vbJsonStrList(j, "apis", g->apis, g->napis);
        vbJsonOpen(j, "fields", "[");
        for (size_t k = 0; k < g->nfields; k++)
            vbJsonStr(j, NULL, m->macros[g->fields[k]].name);
        vbJsonClose(j, "]");
        vbJsonStr(j, "why", g->why);
        vbJsonClose(j, "}");
    }
    vbJsonClose(j, "]");
    free(order);
}

/* prose_types: already sorted by function, then name */
static void vbWriteProseTypes(vbJson *j, const vbModel *m)
{
    vbJsonOpen(j, "prose_types", "[");
    for (size_t i = 0; i < m->nprose_types; i++) {
        const vbProseType *p = &m->prose_types[i];
        vbJsonOpen(j, NULL, "{");
        vbJsonStr(j, "function", p->fn);
        vbJsonStr(j, "name", p->name);
        vbJsonStr(j, "type", vbTypedParamTypeName(p->type));
        vbJsonStr(j, "why", p->why);
        vbJsonClose(j, "}");
    }
    vbJsonClose(j, "]");
}

static int vbEventCmp(const void *a, const void *b, void *m)
{
    const vbModel *model = m;
    const vbEventId *x = a, *y = b;
    return strcmp(model->enums[x->enum_const].name, model->enums[y->enum_const].name);
}

static void vbWriteEvents(vbJson *j, const vbModel *m)
{
    vbNamed *order = VB_SORTED(m->families, m->nfamilies);
    vbJsonOpen(j, "event_families", "[");
    for (size_t i = 0; i < m->nfamilies; i++) {
        const vbEventFamily *f = &m->families[order[i].index];
        vbJsonOpen(j, NULL, "{");
        vbJsonStr(j, "name", f->name);
        vbJsonStr(j, "register", vbFunctionName(m, f->register_fn));
        vbJsonStr(j, "deregister", vbFunctionName(m, f->deregister_fn));
        vbJsonStr(j, "object_class", vbClassName(m, f->object_class));
        vbJsonStr(j, "id_enum_type", f->id_enum_type);
        vbJsonClose(j, "}");
    }
    vbJsonClose(j, "]");
    free(order);

    vbEventId *ev = vbAlloc((m->nevents ? m->nevents : 1) * sizeof(*ev));
    memcpy(ev, m->events, m->nevents * sizeof(*ev));
    qsort_r(ev, m->nevents, sizeof(*ev), vbEventCmp, (void *)m);
    vbJsonOpen(j, "events", "[");
    for (size_t i = 0; i < m->nevents; i++) {
        const vbEnumConst *e = &m->enums[ev[i].enum_const];
        vbJsonOpen(j, NULL, "{");
        vbJsonStr(j, "id", e->name);
        vbJsonInt(j, "value", e->value);
        vbJsonStr(j, "family", m->families[ev[i].family].name);
        vbJsonStr(j, "callback", ev[i].functype >= 0 ? m->functypes[ev[i].functype].name : NULL);
        vbJsonStr(j, "typed_param_group", vbGroupName(m, ev[i].tp_group));
        vbJsonClose(j, "}");
    }
    vbJsonClose(j, "]");
    free(ev);
}

int vbModelWriteIR(const vbModel *m, FILE *out)
{
    vbJson j = { .first = true };
    vbBufAdd(&j.b, "{");
    j.depth = 1;
    vbJsonStr(&j, "generator", "virtbind-gen");
    vbJsonInt(&j, "schema_version", VB_IR_SCHEMA_VERSION);
    vbJsonOpen(&j, "sources", "{");
    for (int s = 0; s < VB_SRC_COUNT; s++)
        vbJsonStr(&j, vbSourceName((vbSource)s), m->paths[s]);
    vbJsonClose(&j, "}");
    vbJsonStr(&j, "annotations", m->annotations_path);
    vbJsonInt(&j, "unclassified", (long long)m->nunclassified);
    vbWriteClasses(&j, m);
    vbWriteCallables(&j, m, "functions", m->functions, m->nfunctions);
    vbWriteCallables(&j, m, "functypes", m->functypes, m->nfunctypes);
    vbWriteEnums(&j, m);
    vbWriteMacros(&j, m);
    vbWriteStructs(&j, m);
    vbWriteTypedefs(&j, "typedefs", m->typedefs, m->ntypedefs);
    vbWriteTypedefs(&j, "variables", m->variables, m->nvariables);
    vbWriteGroups(&j, m);
    vbWriteProseTypes(&j, m);
    vbWriteEvents(&j, m);
    vbBufAdd(&j.b, "\n}\n");
    size_t n = fwrite(j.b.s, 1, j.b.len, out);
    int rc = n == j.b.len ? 0 : -1;
    vbBufClear(&j.b);
    return rc;
}
