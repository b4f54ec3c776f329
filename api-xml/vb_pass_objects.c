/* vb_pass_objects.c — classification passes for object classes, C types and
 * functions: which opaque structs are object classes, what every C type
 * spelling means, which class owns each function, what kind of function it
 * is (method, constructor, ref, free, parent getter ...) and what its
 * return value means and who owns it. */
#include "vb_internal.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- classes */

void vbClassifyClasses(vbModel *m, vbAnnotations *a)
{
    size_t cap = 0;
    (void)a;
    for (size_t i = 0; i < m->nstructs; i++) {
        const vbStruct *st = &m->structs[i];
        if (!st->opaque)
            continue;
        char *ptr = vbPrintf("%sPtr", st->name);
        int td = vbModelFindTypedef(m, ptr);
        char *want = vbPrintf("%s *", st->name);
        bool is_handle = td >= 0 && vbStrEq(m->typedefs[td].type, want);
        free(want);
        if (!is_handle) {
            vbModelUnclassified(m, st->src, st->line,
                                "opaque struct %s has no '%s' typedef: not a class, not a value type",
                                st->name, ptr);
            free(ptr);
            continue;
        }
        vbClass *c = VB_PUSH(m->classes, m->nclasses, cap);
        c->name = vbStrdup(st->name);
        c->ptr_type = ptr;
        c->src = st->src;
        c->parent = c->ref_fn = c->free_fn = -1;
    }
}

/* ---------------------------------------------------------------- types */

static void vbCheckType(vbModel *m, vbSource src, int line, const char *where, const char *spelling,
                        vbCType *ct)
{
    vbCTypeParse(m, spelling, ct);
    if (ct->kind == VB_T_UNKNOWN)
        vbModelUnclassified(m, src, line, "%s: type '%s' is unknown to the classifier", where,
                            spelling);
}

static void vbTypeCallable(vbModel *m, vbFunction *fn)
{
    char *where = vbPrintf("%s return", fn->name);
    vbCheckType(m, fn->src, fn->line, where, fn->ret.type, &fn->ret.ctype);
    free(where);
    for (size_t i = 0; i < fn->nargs; i++) {
        where = vbPrintf("%s argument '%s'", fn->name, fn->args[i].name);
        vbCheckType(m, fn->src, fn->line, where, fn->args[i].type, &fn->args[i].ctype);
        free(where);
    }
}

void vbClassifyTypes(vbModel *m)
{
    for (size_t i = 0; i < m->nfunctions; i++)
        vbTypeCallable(m, &m->functions[i]);
    for (size_t i = 0; i < m->nfunctypes; i++)
        vbTypeCallable(m, &m->functypes[i]);
    for (size_t i = 0; i < m->nstructs; i++) {
        vbStruct *st = &m->structs[i];
        for (size_t j = 0; j < st->nfields; j++) {
            char *where = vbPrintf("struct %s field '%s'", st->name, st->fields[j].name);
            vbCheckType(m, st->src, st->line, where, st->fields[j].type, &st->fields[j].ctype);
            free(where);
        }
    }
}

/* ------------------------------------------------------------ functions */

static bool vbIsObjectArg(const vbFunction *fn, size_t i)
{
    return i < fn->nargs && fn->args[i].ctype.kind == VB_T_OBJECT && fn->args[i].ctype.depth == 1;
}

/* "virDomainSnapshot" -> "Snapshot": the part after the parent prefix is
 * not needed; parent getters are spotted by name "<Class>Get<Noun>" where
 * the returned class name ends with <Noun>. */
static bool vbIsParentGetter(const vbModel *m, const vbFunction *fn)
{
    if (fn->ret.ctype.kind != VB_T_OBJECT || fn->nargs != 1 || !vbIsObjectArg(fn, 0))
        return false;
    const vbClass *self = &m->classes[fn->args[0].ctype.ref];
    const vbClass *ret = &m->classes[fn->ret.ctype.ref];
    if (self == ret || !vbStartsWith(fn->name, self->name))
        return false;
    const char *rest = fn->name + strlen(self->name);
    if (!vbStartsWith(rest, "Get"))
        return false;
    return vbEndsWith(ret->name, rest + 3);
}

static void vbClassifyReturn(vbModel *m, vbFunction *fn, vbAnnotations *a)
{
    vbReturn *r = &fn->ret;
    const vbCType *t = &r->ctype;
    r->transfer = VB_TRANSFER_NONE;
    switch (t->kind) {
    case VB_T_VOID:
        if (t->depth == 0) {
            r->kind = VB_RET_VOID;
            r->why = "void";
            break;
        }
        goto unknown;
    case VB_T_INT:
    case VB_T_LONG:
    case VB_T_LLONG:
    case VB_T_UINT:
        if (t->depth)
            goto unknown;
        r->kind = vbStrCaseStr(r->info, "0 on success") || vbStrCaseStr(r->info, "0 in case of success")
                          ? VB_RET_STATUS : VB_RET_INT;
        r->why = "integer: -1 means failure";
        break;
    case VB_T_ULONG:
        if (t->depth)
            goto unknown;
        r->kind = VB_RET_ULONG_ZERO_ERR;
        r->why = "unsigned long: 0 means failure";
        break;
    case VB_T_ULLONG:
        if (t->depth)
            goto unknown;
        r->kind = VB_RET_ULLONG;
        r->why = "unsigned long long: no error value";
        break;
    case VB_T_CHAR:
        if (t->depth != 1)
            goto unknown;
        r->kind = VB_RET_STRING;
        if (!t->is_const) {
            r->transfer = VB_TRANSFER_FULL;
            r->why = "char *: the caller frees";
        } else if (fn->nargs && fn->args[0].ctype.kind == VB_T_OBJECT) {
            r->transfer = VB_TRANSFER_NONE;
            r->why = "const char * from an object: valid while the object lives";
        } else {
            r->transfer = VB_TRANSFER_STATIC;
            r->why = "const char * with no owning object: static or thread-local";
        }
        break;
    case VB_T_UCHAR:
        if (t->depth != 1 || t->is_const)
            goto unknown;
        r->kind = VB_RET_BYTES;
        r->transfer = VB_TRANSFER_FULL;
        r->why = "unsigned char *: a byte buffer the caller frees; length in a size_t * argument";
        for (size_t i = 0; i < fn->nargs; i++)
            if (fn->args[i].ctype.kind == VB_T_SIZE && fn->args[i].ctype.depth == 1)
                r->length_arg = (int)i;
        if (r->length_arg < 0)
            goto unknown;
        break;
    case VB_T_OBJECT:
        if (t->depth != 1)
            goto unknown;
        r->kind = VB_RET_OBJECT;
        fn->returns_cls = t->ref;
        if (vbIsParentGetter(m, fn)) {
            r->transfer = VB_TRANSFER_NONE;
            r->why = "parent getter: libvirt does not add a reference";
        } else {
            r->transfer = VB_TRANSFER_FULL;
            r->why = "object: a new reference the caller releases with its Free";
        }
        break;
    case VB_T_STRUCT:
        if (t->depth == 1 && vbStrEq(t->base, "virError")) {
            r->kind = VB_RET_ERROR;
            bool owned = vbStrCaseStr(fn->info, "virFreeError") != NULL;
            r->transfer = owned ? VB_TRANSFER_FULL : VB_TRANSFER_NONE;
            r->why = owned ? "virError the caller frees with virFreeError"
                           : "thread-local virError owned by libvirt";
            break;
        }
        goto unknown;
    case VB_T_TYPED_PARAM:
        if (t->depth != 1)
            goto unknown;
        r->kind = VB_RET_TYPED_PARAM;
        r->transfer = VB_TRANSFER_NONE;
        r->why = "points into the caller's typed-parameter array";
        break;
    default:
        goto unknown;
    }

    vbAnnotation *an = vbAnnotationsFind(a, "return", fn->name);
    const char *tr = vbAnnotationGet(an, "transfer");
    if (tr) {
        if (strcmp(tr, "none") == 0) r->transfer = VB_TRANSFER_NONE;
        else if (strcmp(tr, "static") == 0) r->transfer = VB_TRANSFER_STATIC;
        else if (strcmp(tr, "full") == 0) r->transfer = VB_TRANSFER_FULL;
        else vbModelUnclassified(m, fn->src, fn->line, "%s: annotation transfer=%s is not none/static/full",
                                 fn->name, tr);
        r->why = an->reason;
    } else if (an) {
        vbModelUnclassified(m, fn->src, fn->line, "%s: return annotation sets nothing", fn->name);
    }
    return;
unknown:
    vbModelUnclassified(m, fn->src, fn->line, "%s: return type '%s' has no classification rule",
                        fn->name, r->type);
}

static void vbClassifyKind(vbModel *m, vbFunction *fn, int fi)
{
    for (size_t c = 0; c < m->nclasses; c++) {
        vbClass *cls = &m->classes[c];
        size_t n = strlen(cls->name);
        if (strncmp(fn->name, cls->name, n) != 0)
            continue;
        if (strcmp(fn->name + n, "Ref") == 0 && vbIsObjectArg(fn, 0)) {
            fn->kind = VB_FN_REF;
            cls->ref_fn = fi;
        } else if (strcmp(fn->name + n, "Free") == 0 && vbIsObjectArg(fn, 0)) {
            fn->kind = VB_FN_FREE;
            cls->free_fn = fi;
        } else {
            continue;
        }
        fn->cls = (int)c;
        fn->self_arg = 0;
        return;
    }
    if (vbStartsWith(fn->name, "virTypedParams")) {
        fn->kind = VB_FN_TYPED_PARAMS_HELPER;
        return;
    }
    if (vbIsObjectArg(fn, 0)) {
        fn->cls = fn->args[0].ctype.ref;
        fn->self_arg = 0;
    }
    /* virEventRegisterImpl registers an event loop, not an event */
    if (vbStartsWith(fn->name, "virConnect") &&
        (strstr(fn->name, "EventRegister") || strstr(fn->name, "EventDeregister"))) {
        fn->kind = strstr(fn->name, "EventRegister") ? VB_FN_EVENT_REGISTER : VB_FN_EVENT_DEREGISTER;
        return;
    }
    if (fn->ret.kind == VB_RET_OBJECT) {
        if (vbIsParentGetter(m, fn)) {
            fn->kind = VB_FN_PARENT_GETTER;
            vbClass *child = &m->classes[fn->cls];
            /* The nearest parent wins: a snapshot keeps its domain alive,
             * which keeps the connection alive. */
            if (child->parent < 0 || vbStrEq(m->classes[child->parent].name, "virConnect"))
                child->parent = fn->returns_cls;
        } else {
            fn->kind = VB_FN_CONSTRUCTOR;
            m->classes[fn->returns_cls].nconstructors++;
        }
        return;
    }
    fn->kind = fn->cls >= 0 ? VB_FN_METHOD : VB_FN_MODULE;
    if (fn->cls >= 0)
        m->classes[fn->cls].nmethods++;
}

/* Classes without a parent getter: the parent is the class whose methods
 * construct them (admin servers come from an admin connection). */
static void vbInferParents(vbModel *m)
{
    for (size_t c = 0; c < m->nclasses; c++) {
        vbClass *cls = &m->classes[c];
        if (cls->parent >= 0)
            continue;
        for (size_t i = 0; i < m->nfunctions; i++) {
            const vbFunction *fn = &m->functions[i];
            if (fn->kind == VB_FN_CONSTRUCTOR && fn->returns_cls == (int)c && fn->cls >= 0 &&
                fn->cls != (int)c) {
                cls->parent = fn->cls;
                break;
            }
        }
    }
}

/* Connections have no <Class>Free: <Class>Close drops the reference. */
static void vbCloseAsFree(vbModel *m)
{
    for (size_t c = 0; c < m->nclasses; c++) {
        vbClass *cls = &m->classes[c];
        if (cls->free_fn >= 0)
            continue;
        char *name = vbPrintf("%sClose", cls->name);
        int f = vbModelFindFunction(m, name);
        free(name);
        if (f < 0 || m->functions[f].nargs != 1 || m->functions[f].cls != (int)c)
            continue;
        cls->free_fn = f;
        m->functions[f].kind = VB_FN_FREE;
        cls->nmethods--;
    }
}

void vbClassifyFunctions(vbModel *m, vbAnnotations *a)
{
    for (size_t i = 0; i < m->nfunctions; i++)
        vbClassifyReturn(m, &m->functions[i], a);
    for (size_t i = 0; i < m->nfunctypes; i++)
        vbClassifyReturn(m, &m->functypes[i], a);
    for (size_t i = 0; i < m->nfunctions; i++)
        vbClassifyKind(m, &m->functions[i], (int)i);
    vbInferParents(m);
    vbCloseAsFree(m);
    for (size_t c = 0; c < m->nclasses; c++) {
        const vbClass *cls = &m->classes[c];
        int s = vbModelFindStruct(m, cls->name);
        if (cls->free_fn < 0)
            vbModelUnclassified(m, cls->src, m->structs[s].line, "class %s has no %sFree", cls->name,
                                cls->name);
        if (cls->parent < 0 && cls->nconstructors == 0)
            vbModelUnclassified(m, cls->src, m->structs[s].line,
                                "class %s has neither a parent nor a constructor", cls->name);
    }
}
