/* vb_model.c — the model's lifetime, lookups by name, enum-name tables and
 * the list of unclassified items. */
#include "vb_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const vbSourceNames[VB_SRC_COUNT] = { "main", "qemu", "lxc", "admin" };

const char *vbSourceName(vbSource src)
{
    return (unsigned)src < VB_SRC_COUNT ? vbSourceNames[src] : "?";
}

#define VB_NAME_TABLE(fn, type, count, ...)                          \
    const char *fn(type v)                                           \
    {                                                                \
        static const char *const names[] = { __VA_ARGS__ };          \
        _Static_assert(sizeof(names) / sizeof(names[0]) == (count),  \
                       #fn " table size");                           \
        return (unsigned)v < (count) ? names[v] : "?";               \
    }

VB_NAME_TABLE(vbTypeKindName, vbTypeKind, VB_T_COUNT,
              "unknown", "void", "char", "uchar", "int", "uint", "long", "ulong",
              "llong", "ullong", "size", "ssize", "double", "bool", "enum", "object",
              "struct", "typed-param", "functype")
VB_NAME_TABLE(vbDirectionName, vbDirection, 3, "in", "out", "inout")
VB_NAME_TABLE(vbTransferName, vbTransfer, 4, "none", "static", "full", "container")
VB_NAME_TABLE(vbArgRoleName, vbArgRole, VB_ROLE_COUNT,
              "unset", "self", "scalar", "flags", "string", "string-array", "bytes",
              "object", "object-array", "int-array", "length", "out-scalar", "out-string",
              "out-string-buf", "out-bytes-buf", "out-struct", "struct-in", "out-struct-array",
              "out-array", "out-name-array", "out-int-array", "typed-params", "callback",
              "opaque", "free-func", "auth", "error-out", "error-in", "stats-out", "stats-in")
VB_NAME_TABLE(vbReturnKindName, vbReturnKind, VB_RET_COUNT,
              "void", "status", "int", "ulong-zero-error", "ullong", "string", "bytes",
              "object", "error", "typed-param")
VB_NAME_TABLE(vbFuncKindName, vbFuncKind, VB_FN_KIND_COUNT,
              "module", "method", "constructor", "ref", "free", "parent-getter",
              "event-register", "event-deregister", "typed-params-helper")
VB_NAME_TABLE(vbTypedParamUseName, vbTypedParamUse, 7,
              "none", "input", "caller-alloc", "lib-alloc", "stats", "helper", "callback")
VB_NAME_TABLE(vbTypedParamTypeName, vbTypedParamType, 8,
              "unknown", "int", "uint", "llong", "ullong", "double", "boolean", "string")

static void vbModelUnclassifiedV(vbModel *m, const char *path, int line, const char *fmt,
                                 va_list ap)
{
    char *msg = vbVPrintf(fmt, ap);
    vbDiag *d = VB_PUSH(m->unclassified, m->nunclassified, m->cap_unclassified);
    d->path = vbStrdup(path);
    d->message = vbPrintf("%s:%d: %s", path, line, msg);
    free(msg);
}

void vbModelUnclassified(vbModel *m, vbSource src, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vbModelUnclassifiedV(m, m->paths[src] ? m->paths[src] : vbSourceName(src), line, fmt, ap);
    va_end(ap);
}

void vbModelUnclassifiedAt(vbModel *m, const char *path, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vbModelUnclassifiedV(m, path, line, fmt, ap);
    va_end(ap);
}

void vbCTypeClear(vbCType *t)
{
    free(t->base);
    free(t->array);
    t->base = NULL;
    t->array = NULL;
}

static void vbFunctionClear(vbFunction *fn)
{
    free(fn->name);
    free(fn->file);
    free(fn->module);
    free(fn->version);
    free(fn->info);
    free(fn->ret.type);
    free(fn->ret.info);
    vbCTypeClear(&fn->ret.ctype);
    for (size_t i = 0; i < fn->nargs; i++) {
        free(fn->args[i].name);
        free(fn->args[i].type);
        free(fn->args[i].info);
        free(fn->args[i].size);
        vbCTypeClear(&fn->args[i].ctype);
    }
    free(fn->args);
}

static void vbTypedefClear(vbTypedef *td)
{
    free(td->name);
    free(td->file);
    free(td->version);
    free(td->type);
    free(td->info);
}

void vbModelFree(vbModel *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nfunctions; i++)
        vbFunctionClear(&m->functions[i]);
    for (size_t i = 0; i < m->nfunctypes; i++)
        vbFunctionClear(&m->functypes[i]);
    for (size_t i = 0; i < m->nenums; i++) {
        vbEnumConst *e = &m->enums[i];
        free(e->name); free(e->file); free(e->version); free(e->info);
        free(e->raw_value); free(e->type);
    }
    for (size_t i = 0; i < m->nmacros; i++) {
        vbMacro *mc = &m->macros[i];
        free(mc->name); free(mc->file); free(mc->version); free(mc->info);
        free(mc->string); free(mc->raw);
        for (size_t j = 0; j < mc->nparams; j++)
            free(mc->params[j]);
        free(mc->params);
    }
    for (size_t i = 0; i < m->nstructs; i++) {
        vbStruct *st = &m->structs[i];
        free(st->name); free(st->file); free(st->version); free(st->type); free(st->info);
        for (size_t j = 0; j < st->nfields; j++) {
            free(st->fields[j].name);
            free(st->fields[j].type);
            free(st->fields[j].info);
            vbCTypeClear(&st->fields[j].ctype);
        }
        free(st->fields);
    }
    for (size_t i = 0; i < m->ntypedefs; i++)
        vbTypedefClear(&m->typedefs[i]);
    for (size_t i = 0; i < m->nvariables; i++)
        vbTypedefClear(&m->variables[i]);
    for (size_t i = 0; i < m->nclasses; i++) {
        free(m->classes[i].name);
        free(m->classes[i].ptr_type);
    }
    for (size_t i = 0; i < m->ntp_groups; i++) {
        vbTypedParamGroup *g = &m->tp_groups[i];
        free(g->name); free(g->prefix);
        for (size_t j = 0; j < g->napis; j++)
            free(g->apis[j]);
        free(g->apis);
        free(g->fields);
    }
    for (size_t i = 0; i < m->nprose_types; i++) {
        free(m->prose_types[i].fn);
        free(m->prose_types[i].name);
    }
    free(m->prose_types);
    for (size_t i = 0; i < m->nfamilies; i++) {
        free(m->families[i].name);
        free(m->families[i].id_enum_type);
    }
    for (size_t i = 0; i < m->nunclassified; i++) {
        free(m->unclassified[i].path);
        free(m->unclassified[i].message);
    }
    for (int s = 0; s < VB_SRC_COUNT; s++)
        free(m->paths[s]);
    free(m->functions); free(m->functypes); free(m->enums); free(m->macros);
    free(m->structs); free(m->typedefs); free(m->variables); free(m->classes);
    free(m->tp_groups); free(m->families); free(m->events); free(m->unclassified);
    free(m->annotations_path);
    if (m->annotations) {
        vbAnnotationsClear((vbAnnotations *)m->annotations);
        free(m->annotations);
    }
    free(m);
}

/* Linear scans: the model holds ~2,000 names and callers look up a few
 * thousand times per run, well under a millisecond. */
#define VB_FIND(fn, arr, count)                                   \
    int fn(const vbModel *m, const char *name)                    \
    {                                                             \
        if (!name)                                                \
            return -1;                                            \
        for (size_t i = 0; i < m->count; i++)                     \
            if (strcmp(m->arr[i].name, name) == 0)                \
                return (int)i;                                    \
        return -1;                                                \
    }

VB_FIND(vbModelFindFunction, functions, nfunctions)
VB_FIND(vbModelFindFunctype, functypes, nfunctypes)
VB_FIND(vbModelFindEnum, enums, nenums)
VB_FIND(vbModelFindMacro, macros, nmacros)
VB_FIND(vbModelFindStruct, structs, nstructs)
VB_FIND(vbModelFindTypedef, typedefs, ntypedefs)
VB_FIND(vbModelFindClass, classes, nclasses)

vbTypedParamType vbModelProseType(const vbModel *m, const char *fn, const char *name)
{
    for (size_t i = 0; i < m->nprose_types; i++)
        if (strcmp(m->prose_types[i].fn, fn) == 0 && strcmp(m->prose_types[i].name, name) == 0)
            return m->prose_types[i].type;
    return VB_TPT_UNKNOWN;
}

size_t vbModelReportUnclassified(const vbModel *m, FILE *out)
{
    for (size_t i = 0; i < m->nunclassified; i++)
        fprintf(out, "%s\n", m->unclassified[i].message);
    return m->nunclassified;
}
