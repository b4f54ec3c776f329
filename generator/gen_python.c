/* gen_python.c — the CPython backend: writes virtbind_gen.c, the generated
 * half of the extension virtbind._virtbind, and virtbind_admin_gen.c, the
 * generated half of the separate admin module virtbind_admin.
 *
 * For each libvirt function the model's argument roles decide whether this
 * backend can bind it and how: one direct-call stub per function (FASTCALL +
 * keywords) that converts the Python arguments, resolves the C symbol lazily,
 * calls libvirt with the GIL released, copies the thread's last error on
 * failure and converts the results.  Functions outside what the backend
 * supports are listed with a reason in __virtbind_skipped__ and
 * __virtbind_skip_reasons__.  Output is sorted by C name, so it is
 * deterministic for a given model. */
#include "gen_python.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* How one C argument is handled. */
typedef enum {
    PA_SELF,        /* the wrapper the method is called on */
    PA_PARAM,       /* a Python parameter */
    PA_OUT,         /* an output that becomes (part of) the result */
    PA_LEN,         /* a length the stub supplies: of a bytes/list/CPU map parameter,
                     * of a struct (sizeof), of typed parameters, or the capacity
                     * of a growing list buffer */
    PA_RETLEN,      /* an out length of the returned buffer (virSecretGetValue) */
} vbPyArgUse;

typedef enum {
    PO_SCALAR,      /* T local; &local */
    PO_STRING,      /* char *local (caller frees); &local */
    PO_STRING_BUF,  /* char local[size]; local */
    PO_BYTES_BUF,   /* unsigned char local[size]; local */
    PO_STRUCT,      /* struct local; &local -> list (or tuple) of its fields */
    PO_OBJ_ARRAY,   /* T *local allocated by libvirt, count returned -> list of wrappers */
    PO_STR_ARRAY,   /* char **local allocated by libvirt, count returned -> list of str */
    PO_INT_ARRAY,   /* int *local allocated by libvirt, count returned -> list of int */
    PO_NAME_LIST,   /* caller char *buf[cap], count returned; cap grows until it fits */
    PO_INT_LIST,    /* caller int buf[cap], count returned; cap grows until it fits */
    PO_SIZED_BYTES, /* caller buffer of a size the caller passes -> bytes (blockPeek) */
    PO_SIZED_ULLS,  /* caller unsigned long long array of a size the caller passes,
                     * count returned -> list (getCellsFreeMemory) */
    PO_TP_CALLER,   /* typed parameters: size probe, caller array -> dict */
    PO_TP_LIB,      /* typed parameters allocated by libvirt -> dict */
} vbPyOutKind;

typedef struct {
    vbPyArgUse use;
    vbPyOutKind out;
    bool has_default;
    bool bytes;      /* a bytes parameter */
    bool tp;         /* a dict of typed parameters (input) */
    bool strs;       /* a list of str (input), with its count */
    bool cpumap;     /* a CPU map given as a tuple of booleans, with its length */
    bool ints;       /* a list of int (input), with its count */
    bool check_len;  /* a visible count that must equal its list's length */
    char *pyname;    /* parameter name ("from" -> "frm") */
} vbPyArg;

typedef enum {
    PF_STUB,        /* generated stub */
    PF_CLOSE,       /* <Class>Close exposed as close() */
    PF_GETTER,      /* parent getter: walks the wrapper's parents */
    PF_HANDWRITTEN, /* a runtime function (vbpy_hw_<C name>) */
    PF_EVENT_REGISTER, /* <family>EventRegisterAny: a trampoline per event ID */
} vbPyFnKind;

typedef struct {
    int fn;
    vbPyFnKind kind;
    int host;            /* class index, -1 for module level */
    char *pyname;
    vbPyArg *args;
    size_t nparams;      /* Python parameters */
    size_t nrequired;
    const char *skip;    /* reason when not bound */
    char *skip_buf;
    bool internal;       /* used by the runtime only (free functions ...) */
    const char *internal_why;
    bool absent;         /* belongs to the other module (main / admin) */
} vbPyFn;

typedef struct {
    const vbModel *m;
    bool admin;          /* writing virtbind_admin (libvirt-admin) instead of virtbind */
    const char *modname; /* "virtbind._virtbind" / "virtbind_admin" */
    vbPyFn *fns;         /* one per model function, same order */
    int *order;          /* function indexes sorted by C name */
    FILE *out;
} vbPyGen;

/* ---------------------------------------------------------------- helpers */

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz);
    if (!p)
        abort();
    return p;
}

static char *xstrdup(const char *s)
{
    char *r = strdup(s);
    if (!r)
        abort();
    return r;
}

static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *r = NULL;
    if (vasprintf(&r, fmt, ap) < 0)
        abort();
    va_end(ap);
    return r;
}

static void setErr(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && vasprintf(err, fmt, ap) < 0)
        *err = NULL;
    va_end(ap);
}

static bool isScalarKind(vbTypeKind k)
{
    switch (k) {
    case VB_T_INT: case VB_T_UINT: case VB_T_LONG: case VB_T_ULONG: case VB_T_LLONG:
    case VB_T_ULLONG: case VB_T_SIZE: case VB_T_SSIZE: case VB_T_DOUBLE: case VB_T_BOOL:
    case VB_T_ENUM:
        return true;
    default:
        return false;
    }
}

/* C type of a local holding a value of this kind. */
static const char *scalarCType(vbTypeKind k)
{
    switch (k) {
    case VB_T_INT: case VB_T_ENUM: return "int";
    case VB_T_UINT: return "unsigned int";
    case VB_T_LONG: return "long";
    case VB_T_ULONG: return "unsigned long";
    case VB_T_LLONG: return "long long";
    case VB_T_ULLONG: return "unsigned long long";
    case VB_T_SIZE: return "size_t";
    case VB_T_SSIZE: return "ssize_t";
    case VB_T_DOUBLE: return "double";
    case VB_T_BOOL: return "bool";
    default: return NULL;
    }
}

/* The runtime converter from Python for a parameter of this kind. */
static const char *scalarFromPy(vbTypeKind k)
{
    switch (k) {
    case VB_T_INT: case VB_T_ENUM: return "vbpyToInt";
    case VB_T_UINT: return "vbpyToUInt";
    case VB_T_LONG: return "vbpyToLong";
    case VB_T_ULONG: return "vbpyToULong";
    case VB_T_LLONG: return "vbpyToLLong";
    case VB_T_ULLONG: return "vbpyToULLong";
    case VB_T_SIZE: return "vbpyToSize";
    case VB_T_DOUBLE: return "vbpyToDouble";
    case VB_T_BOOL: return "vbpyToBool";
    default: return NULL;
    }
}

/* A C expression turning `expr` (of kind k) into a new Python reference. */
static char *scalarToPy(vbTypeKind k, const char *expr)
{
    switch (k) {
    case VB_T_INT: case VB_T_ENUM: return xasprintf("PyLong_FromLong(%s)", expr);
    case VB_T_UCHAR: case VB_T_UINT: case VB_T_ULONG:
        return xasprintf("PyLong_FromUnsignedLong(%s)", expr);
    case VB_T_LONG: return xasprintf("PyLong_FromLong(%s)", expr);
    case VB_T_LLONG: return xasprintf("PyLong_FromLongLong(%s)", expr);
    case VB_T_ULLONG: return xasprintf("PyLong_FromUnsignedLongLong(%s)", expr);
    case VB_T_SIZE: return xasprintf("PyLong_FromSize_t(%s)", expr);
    case VB_T_SSIZE: return xasprintf("PyLong_FromSsize_t(%s)", expr);
    case VB_T_DOUBLE: return xasprintf("PyFloat_FromDouble(%s)", expr);
    case VB_T_BOOL: return xasprintf("PyBool_FromLong(%s)", expr);
    default: return NULL;
    }
}

/* A fixed buffer size the generated C can use as an array length. */
static bool simpleSize(const char *size)
{
    if (!size || !*size)
        return false;
    for (const char *p = size; *p; p++)
        if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

static bool isClassAncestor(const vbModel *m, int anc, int cls)
{
    for (int c = cls; c >= 0; c = m->classes[c].parent)
        if (c == anc)
            return true;
    return false;
}

/* Struct outputs libvirt-python returns as a sequence of the fields in
 * declaration order: a list, or a tuple for the statistics structs (those
 * are passed with their size, `sizeof`).  0: not shaped, 1: list, 2: tuple. */
static int structShape(const vbModel *m, const vbFunction *f, const vbArg *a)
{
    static const struct {
        const char *fn;
        int shape;
    } shaped[] = {
        { "virDomainBlockStats", 2 },
        { "virDomainGetBlockInfo", 1 },
        { "virDomainGetControlInfo", 1 },
        { "virDomainGetInfo", 1 },
        { "virDomainGetJobInfo", 1 },
        { "virDomainInterfaceStats", 2 },
        { "virStoragePoolGetInfo", 1 },
        { "virStorageVolGetInfo", 1 },
        { "virStorageVolGetInfoFlags", 1 },
    };
    int shape = 0;
    for (size_t i = 0; i < sizeof(shaped) / sizeof(shaped[0]); i++)
        if (strcmp(shaped[i].fn, f->name) == 0)
            shape = shaped[i].shape;
    if (!shape || a->ctype.kind != VB_T_STRUCT || a->ctype.ref < 0)
        return 0;
    const vbStruct *s = &m->structs[a->ctype.ref];
    if (s->opaque || !s->nfields)
        return 0;
    for (size_t i = 0; i < s->nfields; i++) {
        const vbCType *t = &s->fields[i].ctype;
        /* unsigned char fields are small numbers (virDomainInfo.state) */
        if (!(isScalarKind(t->kind) || t->kind == VB_T_UCHAR) || t->depth || t->array)
            return 0;
    }
    return shape;
}

/* libvirt-admin.so.0 (which links libvirt.so.0) and libvirt.so.0 each
 * register GObject types named virAdmConnect, virAdmServer, virAdmClient
 * when they create their first object: whichever comes second fails the
 * registration and crashes (SIGSEGV, verified in C against a real libvirtd,
 * in both orders).  So the admin API is its own module, virtbind_admin
 * (generated beside this one from the admin XML), for processes that do not
 * use the main API; the main module lists the admin functions with this
 * reason. */
static const char *const vbPyAdminReason =
    "bound in the module virtbind_admin, for admin-only processes: libvirt-admin.so.0 and "
    "libvirt.so.0 both register the virAdm* GObject types and crash when both create "
    "objects in one process";

static bool classEmittedIn(const vbModel *m, size_t c, bool admin)
{
    return (m->classes[c].src == VB_SRC_ADMIN) == admin;
}
#define classEmitted(m, c) classEmittedIn((m), (c), g->admin)

/* ---------------------------------------------------------- classification */

static void skipf(vbPyFn *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(p->skip_buf);
    if (vasprintf(&p->skip_buf, fmt, ap) < 0)
        abort();
    va_end(ap);
    p->skip = p->skip_buf;
}

/* The Python expression for C argument i: self or argv[<parameter index>]. */
static char *argExpr(const vbFunction *f, const vbPyFn *p, size_t i)
{
    if (p->args[i].use == PA_SELF)
        return xstrdup("self");
    size_t n = 0;
    for (size_t k = 0; k < i && k < f->nargs; k++)
        if (p->args[k].use == PA_PARAM)
            n++;
    return xasprintf("argv[%zu]", n);
}

/* Which wrapper is the parent of a returned object of class rcls: a C
 * expression, or NULL when no argument leads to it.  An argument of exactly
 * the parent class wins; else the parent is found up a descendant's chain
 * (virStoragePoolLookupByVolume: the volume's connection). */
static char *parentExpr(const vbModel *m, const vbFunction *f, const vbPyFn *p, int rcls)
{
    int pcls = m->classes[rcls].parent;
    if (pcls < 0)
        return xstrdup("NULL");
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < f->nargs; i++) {
            const vbArg *a = &f->args[i];
            if (a->ctype.kind != VB_T_OBJECT || a->ctype.depth != 1 || a->ctype.ref < 0 ||
                p->args[i].use == PA_OUT || a->nullable)
                continue;
            if (pass == 0 && a->ctype.ref == pcls)
                return argExpr(f, p, i);
            if (pass == 1 && isClassAncestor(m, pcls, a->ctype.ref)) {
                char *e = argExpr(f, p, i);
                char *r = xasprintf("vbpyAncestor(%s, &vbpy_class_%s)", e, m->classes[pcls].name);
                free(e);
                return r;
            }
        }
    }
    return NULL;
}

static void classify(vbPyGen *g, int fi)
{
    const vbModel *m = g->m;
    const vbFunction *f = &m->functions[fi];
    vbPyFn *p = &g->fns[fi];
    p->fn = fi;
    p->host = -1;
    p->args = xcalloc(f->nargs, sizeof(vbPyArg));

    static const char *const runtime_only[] = { "virCopyLastError", "virResetError",
                                                "virTypedParamsClear", "virTypedParamsFree" };
    for (size_t i = 0; i < sizeof(runtime_only) / sizeof(runtime_only[0]); i++) {
        if (strcmp(f->name, runtime_only[i]) == 0) {
            p->internal = true;
            p->internal_why = "used by the runtime (errors, typed parameters)";
            return;
        }
    }
    if (f->src == VB_SRC_ADMIN && !g->admin) {
        skipf(p, "%s", vbPyAdminReason);
        return;
    }
    if (f->src != VB_SRC_ADMIN && g->admin && !vbPyAdminAlsoBinds(f->name)) {
        p->absent = true;   /* the main module's */
        return;
    }
    if (strcmp(f->name, "virAdmInitialize") == 0) {
        p->internal = true;
        p->internal_why = "called at import";
        return;
    }
    /* struct free functions the hand-written stubs call on libvirt's results */
    static const char *const hw_only[] = { "virDomainFSInfoFree", "virDomainIOThreadInfoFree",
                                           "virDomainInterfaceFree",
                                           "virDomainStatsRecordListFree",
                                           "virNetworkDHCPLeaseFree" };
    for (size_t i = 0; i < sizeof(hw_only) / sizeof(hw_only[0]); i++) {
        if (strcmp(f->name, hw_only[i]) == 0) {
            p->internal = true;
            p->internal_why = "frees results in bindings/python/vbpy_overrides.c";
            return;
        }
    }
    const char *deferred = vbPyDeferredReason(f->name);
    if (deferred) {
        skipf(p, "%s", deferred);
        return;
    }
    if (vbPyHandwritten(f->name)) {
        /* libvirt-python's shape is not derivable from the roles: a runtime
         * function (bindings/python/vbpy_overrides.c) does the call */
        p->kind = PF_HANDWRITTEN;
        if (f->cls >= 0 && f->self_arg >= 0 && f->src != VB_SRC_QEMU && f->src != VB_SRC_LXC)
            p->host = f->cls;
        if (vbPyHandwrittenHost(f->name))
            p->host = vbModelFindClass(m, vbPyHandwrittenHost(f->name));
        p->pyname = vbPyMethodName(m, fi, p->host);
        return;
    }
    switch (f->kind) {
    case VB_FN_REF:
        if (f->cls >= 0 && m->classes[f->cls].ref_fn == fi) {
            /* event callbacks lend their objects: the wrapper takes a reference */
            p->internal = true;
            p->internal_why = "references objects lent to event callbacks";
            return;
        }
        skipf(p, "reference counting is done by the wrappers");
        return;
    case VB_FN_FREE:
        if (f->cls >= 0 && m->classes[f->cls].free_fn == fi && strstr(f->name, "Close")) {
            p->kind = PF_CLOSE;
            p->host = f->cls;
            p->pyname = xstrdup("close");
            return;
        }
        if (f->cls >= 0 && m->classes[f->cls].free_fn == fi) {
            p->internal = true;
            p->internal_why = "released when the wrapper is deallocated";
            return;
        }
        skipf(p, "frees a struct or list this backend does not return yet");
        return;
    case VB_FN_PARENT_GETTER:
        if (f->cls >= 0 && f->returns_cls >= 0 &&
            isClassAncestor(m, f->returns_cls, m->classes[f->cls].parent)) {
            p->kind = PF_GETTER;
            p->host = f->cls;
            p->pyname = vbPyGetterName(m, fi);
            return;
        }
        skipf(p, "parent getter without a matching wrapper parent");
        return;
    case VB_FN_EVENT_REGISTER:
    case VB_FN_EVENT_DEREGISTER: {
        int fam = f->event_family;
        const vbEventFamily *ef = fam >= 0 ? &m->families[fam] : NULL;
        if (f->kind == VB_FN_EVENT_DEREGISTER && ef && f->src == VB_SRC_QEMU)
            break;   /* qemuMonitorEventDeregister(conn, callbackID): a stub */
        if (!ef || !ef->id_enum_type || ef->object_class < 0 || f->src != VB_SRC_MAIN) {
            /* the legacy domainEventRegister (no IDs) and the qemu monitor
             * events have their own shapes */
            skipf(p, "event family %s: not in this slice", ef ? ef->name : "?");
            return;
        }
        if (f->kind == VB_FN_EVENT_REGISTER) {
            p->kind = PF_EVENT_REGISTER;
            p->host = f->cls;
            p->pyname = vbPyMethodName(m, fi, p->host);
            return;
        }
        break;   /* deregister: an ordinary stub (returns None) */
    }
    case VB_FN_TYPED_PARAMS_HELPER:
        skipf(p, "typed-parameter helper: typed parameters become dicts");
        return;
    default:
        break;
    }

    /* qemu/lxc functions are module functions taking the object first, as
     * libvirt_qemu/libvirt_lxc do; everything else follows the model. */
    bool addon = f->src == VB_SRC_QEMU || f->src == VB_SRC_LXC;
    if (!addon && f->cls >= 0 && f->self_arg >= 0)
        p->host = f->cls;

    for (size_t i = 0; i < f->nargs; i++) {
        const vbArg *a = &f->args[i];
        vbPyArg *pa = &p->args[i];
        pa->use = PA_PARAM;
        switch (a->role) {
        case VB_ROLE_SELF:
            if (p->host >= 0 && (int)i == f->self_arg) {
                pa->use = PA_SELF;
                break;
            }
            /* not the method receiver: an object parameter */
            __attribute__((fallthrough));
        case VB_ROLE_OBJECT:
            if (a->ctype.kind != VB_T_OBJECT || a->ctype.depth != 1 || a->ctype.ref < 0 ||
                a->dir != VB_DIR_IN)
                goto unsupported;
            break;
        case VB_ROLE_SCALAR:
        case VB_ROLE_FLAGS:
            if (!isScalarKind(a->ctype.kind) || a->ctype.depth != 0 || a->dir != VB_DIR_IN)
                goto unsupported;
            break;
        case VB_ROLE_STRING:
            if (a->ctype.kind != VB_T_CHAR || a->ctype.depth != 1 || a->dir != VB_DIR_IN)
                goto unsupported;
            break;
        case VB_ROLE_OUT_SCALAR:
            if (!isScalarKind(a->ctype.kind) || a->ctype.kind == VB_T_ENUM ||
                a->ctype.depth != 1 || a->dir != VB_DIR_OUT)
                goto unsupported;
            pa->use = PA_OUT;
            pa->out = PO_SCALAR;
            break;
        case VB_ROLE_OUT_STRING:
            if (a->ctype.kind != VB_T_CHAR || a->ctype.depth != 2 || a->dir != VB_DIR_OUT)
                goto unsupported;
            pa->use = PA_OUT;
            pa->out = PO_STRING;
            break;
        case VB_ROLE_OUT_STRING_BUF:
            if (!simpleSize(a->size))
                goto unsupported;
            pa->use = PA_OUT;
            pa->out = PO_STRING_BUF;
            break;
        case VB_ROLE_OUT_BYTES_BUF:
            if (a->pair >= 0 && f->ret.kind == VB_RET_STATUS && a->ctype.depth == 1 &&
                f->args[a->pair].role == VB_ROLE_LENGTH && f->args[a->pair].dir == VB_DIR_IN &&
                f->args[a->pair].ctype.kind == VB_T_SIZE) {
                pa->use = PA_OUT;   /* its size stays a parameter, as in libvirt-python */
                pa->out = PO_SIZED_BYTES;
                break;
            }
            if (!simpleSize(a->size) || a->ctype.kind != VB_T_UCHAR)
                goto unsupported;
            pa->use = PA_OUT;
            pa->out = PO_BYTES_BUF;
            break;
        case VB_ROLE_OUT_STRUCT:
            if (!structShape(m, f, a))
                goto unsupported;
            pa->use = PA_OUT;
            pa->out = PO_STRUCT;
            break;
        case VB_ROLE_BYTES:
            /* libvirt-python takes CPU maps as tuples of booleans */
            if (strcmp(a->name, "cpumap") == 0 && a->pair >= 0 && a->ctype.kind == VB_T_UCHAR &&
                a->ctype.depth == 1 && p->host >= 0) {
                pa->cpumap = true;
                break;
            }
            if (a->ctype.depth != 1 || a->dir != VB_DIR_IN ||
                (a->ctype.kind != VB_T_UCHAR && a->ctype.kind != VB_T_CHAR) ||
                (a->pair < 0 && !simpleSize(a->size)))
                goto unsupported;
            pa->bytes = true;
            break;
        case VB_ROLE_INT_ARRAY:
            if ((a->ctype.kind != VB_T_INT && a->ctype.kind != VB_T_UINT) || a->ctype.depth != 1 ||
                a->pair < 0 || f->args[a->pair].role != VB_ROLE_LENGTH)
                goto unsupported;
            pa->ints = true;
            break;
        case VB_ROLE_STRING_ARRAY:
            if (a->ctype.kind != VB_T_CHAR || a->ctype.depth != 2 || a->dir != VB_DIR_IN ||
                a->pair < 0)
                goto unsupported;
            pa->strs = true;
            break;
        case VB_ROLE_TYPED_PARAMS:
            if ((int)i != f->tp_params_arg || f->tp_count_arg < 0)
                goto unsupported;
            if (f->tp_use == VB_TP_INPUT && a->dir == VB_DIR_IN && a->ctype.depth == 1) {
                pa->tp = true;
            } else if (f->tp_use == VB_TP_CALLER_ALLOC && a->ctype.depth == 1 &&
                       f->args[f->tp_count_arg].dir == VB_DIR_INOUT) {
                pa->use = PA_OUT;
                pa->out = PO_TP_CALLER;
            } else if (f->tp_use == VB_TP_LIB_ALLOC && a->ctype.depth == 2 &&
                       f->args[f->tp_count_arg].dir == VB_DIR_OUT) {
                pa->use = PA_OUT;
                pa->out = PO_TP_LIB;
            } else {
                goto unsupported;
            }
            break;
        case VB_ROLE_LENGTH:
            if ((int)i == f->tp_count_arg &&
                (a->ctype.kind == VB_T_INT || a->ctype.kind == VB_T_UINT)) {
                pa->use = PA_LEN;   /* the typed parameters' count */
                break;
            }
            if (a->pair < 0 || a->dir != VB_DIR_IN || a->ctype.depth != 0 ||
                !isScalarKind(a->ctype.kind))
                goto unsupported;
            pa->use = PA_LEN;   /* checked against its partner below */
            break;
        case VB_ROLE_OUT_ARRAY:
            /* T **list / char **list / int *list allocated by libvirt, the count returned */
            if (a->pair < 0 && f->ret.kind == VB_RET_INT && a->ctype.kind == VB_T_INT &&
                a->ctype.depth == 2) {
                pa->use = PA_OUT;
                pa->out = PO_INT_ARRAY;
                break;
            }
            if (a->ctype.depth != 3 || a->pair >= 0 || f->ret.kind != VB_RET_INT)
                goto unsupported;
            if (a->ctype.kind == VB_T_OBJECT && a->ctype.ref >= 0)
                pa->out = PO_OBJ_ARRAY;
            else if (a->ctype.kind == VB_T_CHAR)
                pa->out = PO_STR_ARRAY;
            else
                goto unsupported;
            pa->use = PA_OUT;
            break;
        case VB_ROLE_OUT_NAME_ARRAY:
        case VB_ROLE_OUT_INT_ARRAY:
            if (a->role == VB_ROLE_OUT_INT_ARRAY && !strstr(f->name, "List") && a->pair >= 0 &&
                f->ret.kind == VB_RET_INT && a->ctype.kind == VB_T_ULLONG && a->ctype.depth == 1 &&
                !a->size && f->args[a->pair].role == VB_ROLE_LENGTH &&
                f->args[a->pair].dir == VB_DIR_IN && f->args[a->pair].ctype.kind == VB_T_INT) {
                pa->use = PA_OUT;   /* the caller says how many: a parameter */
                pa->out = PO_SIZED_ULLS;
                break;
            }
            /* listing functions: libvirt-python hides the capacity argument */
            if (!strstr(f->name, "List") || a->pair < 0 || f->ret.kind != VB_RET_INT ||
                f->args[a->pair].role != VB_ROLE_LENGTH)
                goto unsupported;
            if (a->role == VB_ROLE_OUT_NAME_ARRAY && a->ctype.kind == VB_T_CHAR &&
                a->ctype.depth == 2)
                pa->out = PO_NAME_LIST;
            else if (a->role == VB_ROLE_OUT_INT_ARRAY && a->ctype.kind == VB_T_INT &&
                     a->ctype.depth == 1)
                pa->out = PO_INT_LIST;
            else
                goto unsupported;
            pa->use = PA_OUT;
            break;
        default:
        unsupported:
            skipf(p, "argument %s: %s %s not in this slice", a->name, vbDirectionName(a->dir),
                  vbArgRoleName(a->role));
            return;
        }
        if (pa->use == PA_PARAM) {
            const char *pyname = strcmp(a->name, "from") == 0 ? "frm" : a->name;
            pa->has_default = !addon && (a->optional || strcmp(a->name, "flags") == 0);
            vbPyArgOverride(f->name, a->name, &pyname, &pa->has_default);
            pa->pyname = xstrdup(pyname);
            p->nparams++;
        }
    }
    /* lengths are supplied by the stub only for a bytes parameter or a list */
    size_t nlists = 0, nouts = 0;
    for (size_t i = 0; i < f->nargs; i++) {
        vbPyArg *pa = &p->args[i];
        if (pa->use == PA_OUT) {
            nouts++;
            if (pa->out >= PO_OBJ_ARRAY)
                nlists++;
        }
        if (pa->use != PA_LEN || (int)i == f->tp_count_arg)
            continue;
        const vbPyArg *partner = &p->args[f->args[i].pair];
        if (partner->use == PA_OUT &&
            (partner->out == PO_SIZED_BYTES || partner->out == PO_SIZED_ULLS)) {
            /* the caller chooses the size: an ordinary parameter */
            pa->use = PA_PARAM;
            pa->pyname = xstrdup(f->args[i].name);
            p->nparams++;
            continue;
        }
        if (partner->use == PA_PARAM && partner->ints &&
            vbPyVisibleCount(f->name, f->args[i].name)) {
            /* libvirt-python keeps this count (sendKey's nkeycodes) */
            pa->use = PA_PARAM;
            pa->check_len = true;
            pa->pyname = xstrdup(f->args[i].name);
            p->nparams++;
            continue;
        }
        bool ok = (partner->use == PA_PARAM && (partner->bytes || partner->strs ||
                                                partner->cpumap || partner->ints)) ||
                  (partner->use == PA_OUT && partner->out == PO_STRUCT &&
                   f->args[f->args[i].pair].size &&
                   strcmp(f->args[f->args[i].pair].size, "sizeof") == 0) ||
                  (partner->use == PA_OUT &&
                   (partner->out == PO_NAME_LIST || partner->out == PO_INT_LIST));
        if (!ok) {
            skipf(p, "argument %s: length of %s, which is not in this slice", f->args[i].name,
                  f->args[f->args[i].pair].name);
            return;
        }
    }
    if (nlists && nouts > 1) {
        skipf(p, "a list output together with other outputs");
        return;
    }

    switch (f->ret.kind) {
    case VB_RET_VOID:
    case VB_RET_STATUS:
    case VB_RET_INT:
    case VB_RET_ULONG_ZERO_ERR:
    case VB_RET_ULLONG:
        if (f->ret.ctype.depth != 0 || !isScalarKind(f->ret.ctype.kind)) {
            if (f->ret.kind != VB_RET_VOID) {
                skipf(p, "return %s of C type %s", vbReturnKindName(f->ret.kind), f->ret.type);
                return;
            }
        }
        break;
    case VB_RET_STRING:
        if (f->ret.transfer != VB_TRANSFER_FULL && f->ret.transfer != VB_TRANSFER_NONE &&
            f->ret.transfer != VB_TRANSFER_STATIC) {
            skipf(p, "string return with transfer %s", vbTransferName(f->ret.transfer));
            return;
        }
        break;
    case VB_RET_OBJECT: {
        if (f->ret.transfer != VB_TRANSFER_FULL || f->returns_cls < 0) {
            skipf(p, "object return with transfer %s", vbTransferName(f->ret.transfer));
            return;
        }
        char *pe = parentExpr(m, f, p, f->returns_cls);
        if (!pe) {
            skipf(p, "no argument leads to the parent of the returned %s",
                  m->classes[f->returns_cls].name);
            return;
        }
        free(pe);
        break;
    }
    case VB_RET_BYTES: {
        int la = f->ret.length_arg;
        if (f->ret.transfer != VB_TRANSFER_FULL || la < 0 || p->args[la].use != PA_OUT ||
            p->args[la].out != PO_SCALAR) {
            skipf(p, "bytes return without an out length");
            return;
        }
        p->args[la].use = PA_RETLEN;
        break;
    }
    case VB_RET_ERROR:
        /* the thread's last error, borrowed: a 9-tuple or None, never raises */
        if (f->ret.transfer != VB_TRANSFER_NONE) {
            skipf(p, "returns a copy of an error: virGetLastError gives the same tuple");
            return;
        }
        break;
    default:
        skipf(p, "return kind %s not in this slice", vbReturnKindName(f->ret.kind));
        return;
    }

    for (size_t i = 0; i < f->nargs; i++) {
        if (p->args[i].use != PA_OUT || p->args[i].out != PO_OBJ_ARRAY)
            continue;
        char *pe = parentExpr(m, f, p, f->args[i].ctype.ref);
        if (!pe) {
            skipf(p, "no argument leads to the parent of the listed %s",
                  m->classes[f->args[i].ctype.ref].name);
            return;
        }
        free(pe);
    }

    /* required parameters: up to the last one without a default */
    for (size_t i = 0, n = 0; i < f->nargs; i++) {
        if (p->args[i].use != PA_PARAM)
            continue;
        n++;
        if (!p->args[i].has_default)
            p->nrequired = n;
    }
    p->kind = PF_STUB;
    p->pyname = vbPyMethodName(m, fi, p->host);
}

/* -------------------------------------------------------------- emitting */

#define OUT(...) fprintf(g->out, __VA_ARGS__)

static void emitCString(vbPyGen *g, const char *s)
{
    fputc('"', g->out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(g->out, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            fprintf(g->out, "\\%03o", *p);
        else
            fputc(*p, g->out);
    }
    fputc('"', g->out);
}

static const char *libName(vbSource src)
{
    switch (src) {
    case VB_SRC_QEMU: return "VBPY_LIB_QEMU";
    case VB_SRC_LXC: return "VBPY_LIB_LXC";
    case VB_SRC_ADMIN: return "VBPY_LIB_ADMIN";
    default: return "VBPY_LIB_MAIN";
    }
}

/* Functions whose symbol the module needs. */
static bool needsSym(const vbPyGen *g, int fi)
{
    const vbPyFn *p = &g->fns[fi];
    const char *n = g->m->functions[fi].name;
    if (!p->absent && (p->internal || p->kind == PF_CLOSE || (!p->skip && p->kind != PF_GETTER)))
        return true;   /* includes PF_HANDWRITTEN: found with vbpyFindSym */
    return strcmp(n, "virCopyLastError") == 0 || strcmp(n, "virResetError") == 0 ||
           strcmp(n, "virSetErrorFunc") == 0 || strcmp(n, "virInitialize") == 0 ||
           strcmp(n, "virTypedParamsClear") == 0 || strcmp(n, "virTypedParamsFree") == 0;
}

static bool isBound(const vbPyFn *p)
{
    return !p->skip && !p->internal && !p->absent;
}

static void emitHeader(vbPyGen *g)
{
    const vbModel *m = g->m;
    OUT("/* %s — GENERATED by virtbind-gen --python-out (generator/gen_python.c,\n",
        g->admin ? "virtbind_admin_gen.c" : "virtbind_gen.c");
    OUT(
        " * generator/gen_python_names.c).  Do not edit: change the generator or the\n"
        " * annotations and regenerate.\n"
        " *\n"
        " * Inputs:\n");
    for (int s = 0; s < VB_SRC_COUNT; s++)
        OUT(" *   %-6s %s\n", vbSourceName((vbSource)s), m->paths[s] ? m->paths[s] : "(none)");
    OUT(" *   annotations %s\n", m->annotations_path ? m->annotations_path : "(none)");
    OUT(" *\n"
        " * The other half of the module is bindings/python/vbpy_runtime.c. */\n"
        "#include \"vbpy_runtime.h\"\n\n");
}

static void emitSymbols(vbPyGen *g)
{
    const vbModel *m = g->m;
    OUT("/* ------------------------------------------------------------ symbols */\n\n");
    OUT("enum {\n");
    for (size_t k = 0; k < m->nfunctions; k++) {
        int fi = g->order[k];
        if (needsSym(g, fi))
            OUT("    VBPY_SYM_%s,\n", m->functions[fi].name);
    }
    OUT("    VBPY_NSYMS\n};\n\n");
    OUT("static vbpySym vbpy_syms[VBPY_NSYMS] = {\n");
    for (size_t k = 0; k < m->nfunctions; k++) {
        int fi = g->order[k];
        if (!needsSym(g, fi))
            continue;
        const vbFunction *f = &m->functions[fi];
        OUT("    [VBPY_SYM_%s] = { \"%s\", \"%s\", %s, false, NULL },\n", f->name, f->name,
            f->version ? f->version : "?", libName(f->src));
    }
    OUT("};\n\n");
}

static void emitClassDecls(vbPyGen *g)
{
    const vbModel *m = g->m;
    OUT("/* ------------------------------------------------------------ classes */\n\n");
    for (size_t c = 0; c < m->nclasses; c++) {
        if (!classEmitted(m, c))
            continue;
        OUT("static PyTypeObject vbpy_type_%s;\n", m->classes[c].name);
        OUT("static const vbpyClass vbpy_class_%s;\n", m->classes[c].name);
    }
    OUT("\n");
    for (size_t c = 0; c < m->nclasses; c++) {
        const vbClass *cl = &m->classes[c];
        if (cl->free_fn < 0 || !classEmitted(m, c))
            continue;
        const char *fn = m->functions[cl->free_fn].name;
        OUT("/* Runs without the GIL: the symbol was resolved at import. */\n"
            "static void vbpy_release_%s(void *ptr)\n{\n"
            "    __typeof__(%s) *fn = vbpy_syms[VBPY_SYM_%s].addr;\n"
            "    if (fn)\n        fn(ptr);\n}\n\n",
            cl->name, fn, fn);
    }
    for (size_t c = 0; c < m->nclasses; c++) {
        const vbClass *cl = &m->classes[c];
        if (cl->ref_fn < 0 || !classEmitted(m, c))
            continue;
        const char *fn = m->functions[cl->ref_fn].name;
        OUT("static void vbpy_ref_%s(void *ptr)\n{\n"
            "    __typeof__(%s) *fn = vbpy_syms[VBPY_SYM_%s].addr;\n"
            "    if (fn)\n        fn(ptr);\n}\n\n",
            cl->name, fn, fn);
    }
}

/* The field table a typed-parameter input is checked against, or NULL. */
static const char *tpGroupRef(const vbModel *m, const vbFunction *f)
{
    static char buf[160];
    if (f->tp_group < 0)
        return "NULL";
    snprintf(buf, sizeof(buf), "&vbpy_tp_%s", m->tp_groups[f->tp_group].name);
    return buf;
}

static int cmpMacroField(const void *a, const void *b, void *ctx)
{
    const vbModel *m = ctx;
    return strcmp(m->macros[*(const int *)a].string, m->macros[*(const int *)b].string);
}

/* Field tables of the typed-parameter groups bound setters use: name, type
 * (0 when the model has none: the value's Python type decides), repeatable,
 * printf-format name. */
static void emitTPGroups(vbPyGen *g)
{
    const vbModel *m = g->m;
    OUT("/* --------------------------------------------- typed-parameter fields */\n\n");
    for (size_t gi = 0; gi < m->ntp_groups; gi++) {
        const vbTypedParamGroup *tg = &m->tp_groups[gi];
        bool used = false;
        for (size_t k = 0; k < m->nfunctions && !used; k++) {
            const vbFunction *f = &m->functions[k];
            used = f->tp_group == (int)gi && isBound(&g->fns[k]) && f->tp_params_arg >= 0 &&
                   g->fns[k].args[f->tp_params_arg].tp;
        }
        if (!used)
            continue;
        int *idx = xcalloc(tg->nfields, sizeof(int));
        size_t n = 0;
        for (size_t i = 0; i < tg->nfields; i++)
            if (m->macros[tg->fields[i]].string)
                idx[n++] = tg->fields[i];
        qsort_r(idx, n, sizeof(int), cmpMacroField, (void *)m);
        OUT("static const vbpyTPField vbpy_tpf_%s[] = {\n", tg->name);
        for (size_t i = 0; i < n; i++) {
            const vbMacro *mc = &m->macros[idx[i]];
            OUT("    { \"%s\", %d, %s, %s },   /* %s */\n", mc->string, (int)mc->tp_type,
                mc->tp_multi ? "true" : "false", mc->tp_format ? "true" : "false", mc->name);
        }
        if (!n)
            OUT("    { NULL, 0, false, false },\n");
        OUT("};\nstatic const vbpyTPGroup vbpy_tp_%s = { \"%s\", vbpy_tpf_%s, %zu };\n\n",
            tg->name, tg->name, tg->name, n);
        free(idx);
    }
}

/* Declare, convert and pass every argument, call, check, convert results. */
/* The argument list of a generated stub's libvirt call. */
static void emitCallArgs(vbPyGen *g, const vbFunction *f, const vbPyFn *p)
{
    for (size_t i = 0; i < f->nargs; i++) {
        OUT("%s", i ? ", " : "");
        const vbPyArg *pa = &p->args[i];
        if (pa->use == PA_OUT && (pa->out == PO_STRING_BUF || pa->out == PO_BYTES_BUF ||
                                  pa->out == PO_NAME_LIST || pa->out == PO_INT_LIST ||
                                  pa->out == PO_TP_CALLER || pa->out == PO_SIZED_BYTES ||
                                  pa->out == PO_SIZED_ULLS))
            OUT("c_%s", f->args[i].name);
        else if (pa->use == PA_OUT || pa->use == PA_RETLEN ||
                 ((int)i == f->tp_count_arg && f->args[i].ctype.depth == 1))
            OUT("&c_%s", f->args[i].name);
        else if (pa->strs)
            OUT("(const char **)c_%s", f->args[i].name);
        else
            OUT("c_%s", f->args[i].name);
    }
}

/* Methods without parameters are METH_NOARGS: CPython's call needs no
 * argument vector and rejects arguments itself ("takes no arguments").
 * Parent getters (dom.connect()) never take any. */
static bool vbPyNoArgs(const vbPyFn *p)
{
    return p->kind == PF_GETTER || (p->kind == PF_STUB && p->nparams == 0);
}

static void emitStub(vbPyGen *g, int fi)
{
    const vbModel *m = g->m;
    const vbFunction *f = &m->functions[fi];
    const vbPyFn *p = &g->fns[fi];
    const char *where = p->host >= 0 ? m->classes[p->host].name : NULL;
    bool noexcept = vbPyNoExcept(f->name);

    OUT("/* %s (%s, libvirt %s) -> %s%s%s */\n", f->name, f->file ? f->file : "?",
        f->version ? f->version : "?", where ? where : "", where ? "." : "", p->pyname);
    if (vbPyNoArgs(p))
        OUT("static PyObject *\nvbpy_%s(PyObject *self, PyObject *Py_UNUSED(noargs))\n{\n",
            f->name);
    else
        OUT("static PyObject *\nvbpy_%s(PyObject *self, PyObject *const *args, Py_ssize_t nargs, "
            "PyObject *kwnames)\n{\n",
            f->name);
    if (!where)
        OUT("    (void)self;\n");
    /* without parameters the method is METH_NOARGS: nothing to parse */
    if (p->nparams) {
        OUT("    static const char *const kwlist[] = {");
        for (size_t i = 0; i < f->nargs; i++)
            if (p->args[i].use == PA_PARAM)
                OUT(" \"%s\",", p->args[i].pyname);
        OUT(" NULL };\n");
        OUT("    PyObject *argv[%zu];\n", p->nparams);
        OUT("    if (vbpyParseArgs(\"%s\", args, nargs, kwnames, kwlist, %zu, %zu, argv) < 0)\n"
            "        return NULL;\n",
            p->pyname, p->nparams, p->nrequired);
    }
    /* inputs */
    for (size_t i = 0, n = 0; i < f->nargs; i++) {
        const vbArg *a = &f->args[i];
        const vbPyArg *pa = &p->args[i];
        if (pa->use == PA_SELF) {
            OUT("    %s c_%s = vbpySelf(self);\n    if (!c_%s)\n        return NULL;\n",
                m->classes[p->host].ptr_type, a->name, a->name);
        } else if (pa->use == PA_PARAM) {
            if (a->ctype.kind == VB_T_OBJECT) {
                OUT("    void *c_%s;\n"
                    "    if (vbpyToObject(argv[%zu], \"%s\", &vbpy_class_%s, %s, &c_%s) < 0)\n"
                    "        return NULL;\n",
                    a->name, n, pa->pyname, m->classes[a->ctype.ref].name,
                    a->nullable ? "true" : "false", a->name);
            } else if (pa->tp) {
                OUT("    PyObject *py_%s = argv[%zu];   /* converted last: it allocates */\n"
                    "    virTypedParameterPtr c_%s = NULL;\n",
                    a->name, n, a->name);
            } else if (pa->strs) {
                OUT("    PyObject *py_%s = argv[%zu];   /* converted last: it allocates */\n"
                    "    char **c_%s = NULL;\n    Py_ssize_t c_%s_len = 0;\n",
                    a->name, n, a->name, a->name);
            } else if (pa->ints) {
                OUT("    PyObject *py_%s = argv[%zu];   /* converted last: it allocates */\n"
                    "    %s *c_%s = NULL;\n    Py_ssize_t c_%s_len = 0;\n",
                    a->name, n, scalarCType(a->ctype.kind), a->name, a->name);
            } else if (pa->cpumap) {
                OUT("    PyObject *py_%s = argv[%zu];   /* converted last: it allocates */\n"
                    "    unsigned char *c_%s = NULL;\n    Py_ssize_t c_%s_len = 0;\n",
                    a->name, n, a->name, a->name);
            } else if (pa->bytes) {
                OUT("    const void *c_%s;\n    Py_ssize_t c_%s_len;\n"
                    "    if (vbpyToBytes(argv[%zu], \"%s\", %s, &c_%s, &c_%s_len) < 0)\n"
                    "        return NULL;\n",
                    a->name, a->name, n, pa->pyname, a->pair < 0 ? a->size : "-1", a->name,
                    a->name);
            } else if (a->pair >= 0 && p->args[a->pair].use == PA_OUT &&
                       (p->args[a->pair].out == PO_SIZED_BYTES ||
                        p->args[a->pair].out == PO_SIZED_ULLS)) {
                /* the caller chooses a buffer size (blockPeek, memoryPeek,
                 * getCellsFreeMemory): negative -> ValueError, more than
                 * VBPY_BUFFER_MAX bytes -> OverflowError, before allocating */
                OUT("    %s c_%s;\n"
                    "    {\n        size_t c_%s_n;\n"
                    "        if (vbpyToBufLen(argv[%zu], \"%s\", %s, &c_%s_n) < 0)\n"
                    "            return NULL;\n        c_%s = (%s)c_%s_n;\n    }\n",
                    scalarCType(a->ctype.kind), a->name, a->name, n, pa->pyname,
                    p->args[a->pair].out == PO_SIZED_ULLS ? "sizeof(unsigned long long)" : "1",
                    a->name, a->name, scalarCType(a->ctype.kind), a->name);
            } else if (a->ctype.kind == VB_T_CHAR) {
                OUT("    const char *c_%s;\n"
                    "    if (vbpyToString(argv[%zu], \"%s\", %s, &c_%s) < 0)\n"
                    "        return NULL;\n",
                    a->name, n, pa->pyname,
                    (a->nullable || a->optional || pa->has_default) ? "true" : "false", a->name);
            } else {
                OUT("    %s c_%s;\n"
                    "    if (%s(argv[%zu], \"%s\", &c_%s) < 0)\n"
                    "        return NULL;\n",
                    scalarCType(a->ctype.kind), a->name, scalarFromPy(a->ctype.kind), n,
                    pa->pyname, a->name);
            }
            n++;
        } else if (pa->use == PA_RETLEN) {
            OUT("    %s c_%s = 0;\n", scalarCType(a->ctype.kind), a->name);
        } else if (pa->use == PA_OUT) {
            switch (pa->out) {
            case PO_SCALAR:
                OUT("    %s c_%s = 0;\n", scalarCType(a->ctype.kind), a->name);
                break;
            case PO_STRING:
                OUT("    char *c_%s = NULL;\n", a->name);
                break;
            case PO_STRING_BUF:
                OUT("    char c_%s[%s] = \"\";\n", a->name, a->size);
                break;
            case PO_BYTES_BUF:
                OUT("    unsigned char c_%s[%s] = { 0 };\n", a->name, a->size);
                break;
            case PO_STRUCT:
                OUT("    %s c_%s;\n    memset(&c_%s, 0, sizeof(c_%s));\n", a->ctype.base, a->name,
                    a->name, a->name);
                break;
            case PO_OBJ_ARRAY:
                OUT("    %s *c_%s = NULL;\n", m->classes[a->ctype.ref].ptr_type, a->name);
                break;
            case PO_STR_ARRAY:
                OUT("    char **c_%s = NULL;\n", a->name);
                break;
            case PO_INT_ARRAY:
                OUT("    int *c_%s = NULL;\n", a->name);
                break;
            case PO_NAME_LIST:
                OUT("    char **c_%s = NULL;\n", a->name);
                break;
            case PO_INT_LIST:
                OUT("    int *c_%s = NULL;\n", a->name);
                break;
            case PO_TP_CALLER:
            case PO_TP_LIB:
                OUT("    virTypedParameterPtr c_%s = NULL;\n", a->name);
                break;
            case PO_SIZED_BYTES:
                OUT("    unsigned char *c_%s = NULL;   /* allocated last */\n", a->name);
                break;
            case PO_SIZED_ULLS:
                OUT("    unsigned long long *c_%s = NULL;   /* allocated last */\n", a->name);
                break;
            }
        }
    }
    /* lengths the stub supplies */
    const vbArg *grow = NULL, *grow_len = NULL;
    for (size_t i = 0; i < f->nargs; i++) {
        const vbArg *a = &f->args[i];
        if (p->args[i].use != PA_LEN)
            continue;
        if ((int)i == f->tp_count_arg) {
            /* vbpyTPFromDict fills an int; outputs use libvirt's own type */
            OUT("    %s c_%s = 0;\n", a->ctype.depth ? scalarCType(a->ctype.kind) : "int",
                a->name);
            continue;
        }
        const vbPyArg *partner = &p->args[a->pair];
        if (partner->use == PA_OUT && partner->out == PO_STRUCT) {
            OUT("    %s c_%s = sizeof(c_%s);\n", scalarCType(a->ctype.kind), a->name,
                f->args[a->pair].name);
        } else if (partner->use == PA_PARAM && (partner->strs || partner->cpumap || partner->ints)) {
            OUT("    %s c_%s = 0;\n", scalarCType(a->ctype.kind), a->name);
        } else if (partner->use == PA_PARAM) {
            OUT("    %s c_%s = (%s)c_%s_len;\n", scalarCType(a->ctype.kind), a->name,
                scalarCType(a->ctype.kind), f->args[a->pair].name);
        } else {
            OUT("    %s c_%s = 64;\n", scalarCType(a->ctype.kind), a->name);
            grow = &f->args[a->pair];
            grow_len = a;
        }
    }
    OUT("    __typeof__(%s) *fn = vbpyResolve(&vbpy_syms[VBPY_SYM_%s]);\n"
        "    if (!fn)\n        return NULL;\n",
        f->name, f->name);
    const vbArg *strs_in = NULL;
    for (size_t i = 0; i < f->nargs; i++) {
        const vbArg *a = &f->args[i];
        if (p->args[i].use != PA_PARAM || !p->args[i].strs)
            continue;
        strs_in = a;
        OUT("    if (vbpyToStringArray(py_%s, \"%s\", %s, &c_%s, &c_%s_len) < 0)\n"
            "        return NULL;\n    c_%s = (%s)c_%s_len;\n",
            a->name, p->args[i].pyname,
            (a->nullable || a->optional || p->args[i].has_default) ? "true" : "false", a->name,
            a->name, f->args[a->pair].name, scalarCType(f->args[a->pair].ctype.kind), a->name);
    }
    const vbArg *ints_in = NULL;
    for (size_t i = 0; i < f->nargs; i++) {
        const vbArg *a = &f->args[i];
        if (p->args[i].use != PA_PARAM || !p->args[i].ints)
            continue;
        ints_in = a;
        const vbArg *len = &f->args[a->pair];
        OUT("    if (vbpyToIntArray(py_%s, \"%s\", %s, (void **)&c_%s, &c_%s_len) < 0)\n"
            "        return NULL;\n",
            a->name, p->args[i].pyname, a->ctype.kind == VB_T_UINT ? "true" : "false", a->name,
            a->name);
        if (p->args[a->pair].check_len)
            OUT("    if ((Py_ssize_t)c_%s != c_%s_len) {\n        free(c_%s);\n"
                "        PyErr_SetString(PyExc_ValueError, \"%s must be len(%s)\");\n"
                "        return NULL;\n    }\n",
                len->name, a->name, a->name, p->args[a->pair].pyname, p->args[i].pyname);
        else
            OUT("    c_%s = (%s)c_%s_len;\n", len->name, scalarCType(len->ctype.kind), a->name);
    }
    const vbArg *cpumap_in = NULL;
    for (size_t i = 0; i < f->nargs; i++) {
        const vbArg *a = &f->args[i];
        if (p->args[i].use != PA_PARAM || !p->args[i].cpumap)
            continue;
        cpumap_in = a;
        /* one bit per host CPU: the map's size comes from the connection */
        OUT("    if (vbpyToCpumap(py_%s, \"%s\", self, &c_%s, &c_%s_len) < 0)\n"
            "        return NULL;\n    c_%s = (%s)c_%s_len;\n",
            a->name, p->args[i].pyname, a->name, a->name, f->args[a->pair].name,
            scalarCType(f->args[a->pair].ctype.kind), a->name);
    }
    const vbArg *sized = NULL;
    for (size_t i = 0; i < f->nargs; i++) {
        const vbPyArg *pa = &p->args[i];
        if (pa->use != PA_OUT || (pa->out != PO_SIZED_BYTES && pa->out != PO_SIZED_ULLS))
            continue;
        sized = &f->args[i];
        const char *len = f->args[sized->pair].name;
        OUT("    c_%s = calloc(c_%s > 0 ? (size_t)c_%s : 1, sizeof(*c_%s));\n"
            "    if (!c_%s)\n        return PyErr_NoMemory();\n",
            sized->name, len, len, sized->name, sized->name);
    }
    const vbArg *tp_in = NULL, *tp_caller = NULL;
    if (f->tp_params_arg >= 0 && p->args[f->tp_params_arg].tp) {
        tp_in = &f->args[f->tp_params_arg];
        OUT("    if (vbpyTPFromDict(py_%s, \"%s\", %s, &c_%s, &c_%s) < 0)\n"
            "        return NULL;\n",
            tp_in->name, p->args[f->tp_params_arg].pyname, tpGroupRef(m, f), tp_in->name,
            f->args[f->tp_count_arg].name);
    }
    if (f->tp_params_arg >= 0 && p->args[f->tp_params_arg].use == PA_OUT &&
        p->args[f->tp_params_arg].out == PO_TP_CALLER)
        tp_caller = &f->args[f->tp_params_arg];

    /* the call */
    bool has_ret = f->ret.kind != VB_RET_VOID;
    const char *rtype = f->ret.type;
    const char *sep = rtype[strlen(rtype) - 1] == '*' ? "" : " ";
    char *fail = NULL;
    switch (f->ret.kind) {
    case VB_RET_STATUS:
    case VB_RET_INT:
        if (f->ret.ctype.kind == VB_T_INT || f->ret.ctype.kind == VB_T_LONG ||
            f->ret.ctype.kind == VB_T_LLONG)
            fail = xstrdup("c_ret == -1");
        else
            fail = xasprintf("c_ret == (%s)-1", rtype);
        break;
    case VB_RET_ULONG_ZERO_ERR: fail = xstrdup("c_ret == 0"); break;
    case VB_RET_STRING: case VB_RET_OBJECT: case VB_RET_BYTES:
        fail = xstrdup("c_ret == NULL");
        break;
    default: break;
    }
    if (noexcept) {
        free(fail);
        fail = NULL;
    }
    if (has_ret)
        OUT("    %s%sc_ret;\n", rtype, sep);
    if (fail)
        OUT("    vbpyErr err = { .set = false };\n");
    /* a list with a caller-chosen capacity: grow until the result fits */
    const char *ind = grow ? "    " : "";
    if (grow) {
        OUT("    for (;;) {\n"
            "        c_%s = calloc((size_t)c_%s, sizeof(*c_%s));\n"
            "        if (!c_%s)\n            return PyErr_NoMemory();\n",
            grow->name, grow_len->name, grow->name, grow->name);
    }
    /* typed parameters into a caller array: no size probe first.  The
     * first call fetches into a stack array of VBPY_TP_STACK entries (every
     * such getter fills up to *nparams and returns the count; remote's
     * limits are >= 16); only a full array may be truncated, and then the
     * probe, the allocation and the fetch follow in the same GIL-free
     * window. */
    bool tp_fetch = tp_caller && fail && !grow;
    const char *tp_cnt = tp_caller ? f->args[f->tp_count_arg].name : NULL;
    if (tp_fetch)
        OUT("    bool c_nomem = false;\n"
            "    virTypedParameter c_%s_stack[VBPY_TP_STACK];\n"
            "    memset(c_%s_stack, 0, sizeof(c_%s_stack));\n"
            "    c_%s = c_%s_stack;\n    c_%s = VBPY_TP_STACK;\n",
            tp_caller->name, tp_caller->name, tp_caller->name, tp_caller->name, tp_caller->name,
            tp_cnt);
    OUT("%s    Py_BEGIN_ALLOW_THREADS\n%s    %sfn(", ind, ind, has_ret ? "c_ret = " : "");
    emitCallArgs(g, f, p);
    OUT(");\n");
    if (tp_fetch) {
        const char *tp = tp_caller->name;
        OUT("    if (!(%s) && c_%s >= VBPY_TP_STACK) {\n"
            "        vbpyTPClearNoGIL(c_%s_stack, VBPY_TP_STACK);\n"
            "        c_%s = NULL;\n        c_%s = 0;\n        c_ret = fn(",
            fail, tp_cnt, tp, tp, tp_cnt);
        emitCallArgs(g, f, p);
        OUT(");\n"
            "        if (!(%s) && c_%s > 0) {\n"
            "            if (!(c_%s = calloc((size_t)c_%s, sizeof(*c_%s))))\n"
            "                c_nomem = true;\n"
            "            else\n                c_ret = fn(",
            fail, tp_cnt, tp, tp_cnt, tp);
        emitCallArgs(g, f, p);
        OUT(");\n        }\n    }\n");
    }
    if (fail)
        OUT("%s    if (%s%s)\n%s        vbpyErrCapture(&err);\n", ind, fail,
            tp_fetch ? " && !c_nomem" : "", ind);
    OUT("%s    Py_END_ALLOW_THREADS\n", ind);
    if (grow) {
        OUT("        if (%s) {\n            free(c_%s);\n"
            "            return vbpyErrRaise(&err, \"%s\");\n        }\n"
            "        if (c_ret < c_%s)\n            break;\n",
            fail, grow->name, f->name, grow_len->name);
        /* the array is full (c_ret >= its size): free exactly its size, never
         * more, whatever count libvirt returned (calloc'd: unused slots NULL) */
        if (p->args[grow - f->args].out == PO_NAME_LIST)
            OUT("        vbpyFreeStrings(c_%s, (size_t)c_%s);\n", grow->name, grow_len->name);
        OUT("        free(c_%s);\n        c_%s *= 2;\n    }\n", grow->name, grow_len->name);
    } else {
        if (tp_in)
            OUT("    vbpyTPRelease(c_%s, c_%s);\n", tp_in->name, f->args[f->tp_count_arg].name);
        if (strs_in)
            OUT("    vbpyFreeStringArray(c_%s, c_%s_len);\n", strs_in->name, strs_in->name);
        if (cpumap_in)
            OUT("    free(c_%s);\n", cpumap_in->name);
        if (ints_in)
            OUT("    free(c_%s);\n", ints_in->name);
        if (tp_fetch)
            OUT("    if (c_nomem)\n        return PyErr_NoMemory();\n"
                "    if (%s) {\n        if (c_%s != c_%s_stack)\n            free(c_%s);\n"
                "        return vbpyErrRaise(&err, \"%s\");\n    }\n",
                fail, tp_caller->name, tp_caller->name, tp_caller->name, f->name);
        else if (fail && sized)
            OUT("    if (%s) {\n        free(c_%s);\n"
                "        return vbpyErrRaise(&err, \"%s\");\n    }\n",
                fail, sized->name, f->name);
        else if (fail)
            OUT("    if (%s)\n        return vbpyErrRaise(&err, \"%s\");\n", fail, f->name);
    }
    if (tp_caller && !tp_fetch) {
        /* the first call asked for the count: now fill an array that size */
        const char *cnt = f->args[f->tp_count_arg].name;
        OUT("    if (c_%s > 0) {\n"
            "        c_%s = calloc((size_t)c_%s, sizeof(*c_%s));\n"
            "        if (!c_%s)\n            return PyErr_NoMemory();\n"
            "        Py_BEGIN_ALLOW_THREADS\n        c_ret = fn(",
            cnt, tp_caller->name, cnt, tp_caller->name, tp_caller->name);
        for (size_t i = 0; i < f->nargs; i++) {
            OUT("%s", i ? ", " : "");
            if ((int)i == f->tp_count_arg)
                OUT("&c_%s", cnt);
            else
                OUT("c_%s", f->args[i].name);
        }
        OUT(");\n        if (%s)\n            vbpyErrCapture(&err);\n"
            "        Py_END_ALLOW_THREADS\n"
            "        if (%s) {\n            free(c_%s);\n"
            "            return vbpyErrRaise(&err, \"%s\");\n        }\n    }\n",
            fail, fail, tp_caller->name, f->name);
    }
    free(fail);

    /* results: the return value (unless it is only a status) and the outputs */
    size_t nouts = 0;
    for (size_t i = 0; i < f->nargs; i++)
        if (p->args[i].use == PA_OUT)
            nouts++;
    /* with a list output the int return is its length */
    bool ret_is_value = f->ret.kind == VB_RET_STRING || f->ret.kind == VB_RET_OBJECT ||
                        f->ret.kind == VB_RET_BYTES || f->ret.kind == VB_RET_ERROR ||
                        f->ret.kind == VB_RET_ULLONG || f->ret.kind == VB_RET_ULONG_ZERO_ERR ||
                        (nouts == 0 && f->ret.kind != VB_RET_VOID);
    if (f->kind == VB_FN_EVENT_DEREGISTER)
        ret_is_value = false;   /* None, as libvirt-python */
    size_t nvals = nouts + (ret_is_value ? 1 : 0);
    char **vals = xcalloc(nvals, sizeof(char *));
    size_t k = 0;
    if (ret_is_value) {
        if (f->ret.kind == VB_RET_STRING) {
            bool owned = f->ret.transfer == VB_TRANSFER_FULL;
            vals[k] = xasprintf("vbpyFromString(%sc_ret, %s)", owned ? "" : "(char *)",
                                owned ? "true" : "false");
        } else if (f->ret.kind == VB_RET_BYTES) {
            vals[k] = xasprintf("vbpyBytesFree(c_ret, (size_t)c_%s)",
                                f->args[f->ret.length_arg].name);
        } else if (f->ret.kind == VB_RET_ERROR) {
            vals[k] = xstrdup("vbpyErrorTuple(c_ret)");
        } else if (f->ret.kind == VB_RET_OBJECT) {
            char *pe = parentExpr(m, f, p, f->returns_cls);
            vals[k] = xasprintf("vbpyWrap(&vbpy_class_%s, c_ret, %s)",
                                m->classes[f->returns_cls].name, pe);
            free(pe);
        } else {
            if (f->ret.kind == VB_RET_INT &&
                (f->ret.ctype.kind == VB_T_UINT || f->ret.ctype.kind == VB_T_ULONG)) {
                /* an unsigned -1 (virDomainGetID of an inactive domain, which
                 * does not raise) is -1, as in libvirt-python */
                char *conv = scalarToPy(f->ret.ctype.kind, "c_ret");
                vals[k] = xasprintf("c_ret == (%s)-1 ? PyLong_FromLong(-1) : %s", f->ret.type, conv);
                free(conv);
            } else {
                vals[k] = scalarToPy(f->ret.ctype.kind, "c_ret");
            }
        }
        k++;
    }
    for (size_t i = 0; i < f->nargs; i++) {
        const vbArg *a = &f->args[i];
        const vbPyArg *pa = &p->args[i];
        if (pa->use != PA_OUT)
            continue;
        char *name = xasprintf("c_%s", a->name);
        switch (pa->out) {
        case PO_SCALAR:
            vals[k] = scalarToPy(a->ctype.kind, name);
            break;
        case PO_STRING:
            vals[k] = xasprintf("vbpyFromString(%s, true)", name);
            break;
        case PO_STRING_BUF:
            vals[k] = xasprintf("vbpyFromString(%s, false)", name);
            break;
        case PO_BYTES_BUF:
            vals[k] = xasprintf("PyBytes_FromStringAndSize((const char *)%s, %s)", name, a->size);
            break;
        case PO_OBJ_ARRAY: {
            char *pe = parentExpr(m, f, p, a->ctype.ref);
            vals[k] = xasprintf("vbpyWrapArray(&vbpy_class_%s, (void **)%s, (size_t)c_ret, %s)",
                                m->classes[a->ctype.ref].name, name, pe);
            free(pe);
            break;
        }
        case PO_STR_ARRAY:
        case PO_NAME_LIST:
            vals[k] = xasprintf("vbpyStringList(%s, (size_t)c_ret)", name);
            break;
        case PO_INT_LIST:
        case PO_INT_ARRAY:
            vals[k] = xasprintf("vbpyIntList(%s, (size_t)c_ret)", name);
            break;
        case PO_SIZED_BYTES:
            vals[k] = xasprintf("vbpyBytesFree(%s, c_%s)", name, f->args[a->pair].name);
            break;
        case PO_SIZED_ULLS:
            /* never more than the caller's array, whatever libvirt returns */
            vals[k] = xasprintf("vbpyULLongList(%s, (size_t)(c_ret < c_%s ? c_ret : c_%s))", name,
                                f->args[a->pair].name, f->args[a->pair].name);
            break;
        case PO_TP_CALLER:
            if (tp_fetch)
                vals[k] = xasprintf("vbpyTPToDictFree(%s, c_%s, %s_stack)", name,
                                    f->args[f->tp_count_arg].name, name);
            else
                vals[k] = xasprintf("vbpyTPToDict(%s, c_%s, false)", name,
                                    f->args[f->tp_count_arg].name);
            break;
        case PO_TP_LIB:
            vals[k] = xasprintf("vbpyTPToDict(%s, (int)c_%s, true)", name,
                                f->args[f->tp_count_arg].name);
            break;
        case PO_STRUCT: {
            /* a list of the fields in declaration order, as libvirt-python */
            const vbStruct *s = &m->structs[a->ctype.ref];
            size_t len = 0, cap = 256;
            char *buf = xcalloc(cap, 1);
            for (size_t fl = 0; fl <= s->nfields; fl++) {
                char *piece;
                if (fl == 0) {
                    /* vbpyPackV, not Py_BuildValue("[NN...]"): no format to parse */
                    bool tuple = structShape(m, f, a) == 2;
                    piece = xasprintf("vbpyPackV(%s, %zu", tuple ? "true" : "false", s->nfields);
                } else {
                    char *expr = xasprintf("%s.%s", name, s->fields[fl - 1].name);
                    char *conv = scalarToPy(s->fields[fl - 1].ctype.kind, expr);
                    piece = xasprintf(",\n                         %s%s", conv,
                                      fl == s->nfields ? ")" : "");
                    free(conv);
                    free(expr);
                }
                size_t pl = strlen(piece);
                while (len + pl + 1 > cap)
                    cap *= 2;
                char *nb = realloc(buf, cap);
                if (!nb)
                    abort();
                buf = nb;
                memcpy(buf + len, piece, pl + 1);
                len += pl;
                free(piece);
            }
            vals[k] = buf;
            break;
        }
        }
        free(name);
        k++;
    }
    if (nvals == 0) {
        OUT("    Py_RETURN_NONE;\n");
    } else if (nvals == 1) {
        OUT("    return %s;\n", vals[0]);
    } else {
        OUT("    PyObject *r[%zu];\n", nvals);
        for (size_t i = 0; i < nvals; i++)
            OUT("    r[%zu] = %s;\n", i, vals[i]);
        /* a value and outputs: a tuple (schedulerType); outputs only: a list (state) */
        OUT("    return vbpyPack(r, %zu, %s);\n", nvals, ret_is_value ? "true" : "false");
    }
    OUT("}\n\n");
    for (size_t i = 0; i < nvals; i++)
        free(vals[i]);
    free(vals);
}

static void emitClose(vbPyGen *g, int fi)
{
    const vbFunction *f = &g->m->functions[fi];
    const vbPyFn *p = &g->fns[fi];
    OUT("/* %s (libvirt %s) -> %s.close: releases the pointer now; the wrapper\n"
        " * is unusable afterwards and its deallocation does not release it again. */\n",
        f->name, f->version ? f->version : "?", g->m->classes[p->host].name);
    OUT("static PyObject *\nvbpy_%s(PyObject *self, PyObject *const *args, Py_ssize_t nargs, "
        "PyObject *kwnames)\n{\n",
        f->name);
    OUT("    if (vbpyParseArgs(\"close\", args, nargs, kwnames, NULL, 0, 0, NULL) < 0)\n"
        "        return NULL;\n"
        "    void *c_ptr = vbpySelf(self);\n    if (!c_ptr)\n        return NULL;\n"
        "    __typeof__(%s) *fn = vbpyResolve(&vbpy_syms[VBPY_SYM_%s]);\n"
        "    if (!fn)\n        return NULL;\n"
        "    ((vbpyObject *)self)->ptr = NULL;\n"
        "    /* event registrations still active on it end first: their callbacks and\n"
        "     * opaques are released once, by libvirt's free callback (issue #7) */\n"
        "    vbpyEventReleaseAll(self, c_ptr);\n"
        "    int c_ret;\n    vbpyErr err = { .set = false };\n"
        "    Py_BEGIN_ALLOW_THREADS\n    c_ret = fn(c_ptr);\n"
        "    if (c_ret == -1)\n        vbpyErrCapture(&err);\n    Py_END_ALLOW_THREADS\n"
        "    if (c_ret == -1)\n        return vbpyErrRaise(&err, \"%s\");\n"
        "    return PyLong_FromLong(c_ret);\n}\n\n",
        f->name, f->name, f->name);
    /* a context manager, as libvirt-python's virConnect: `with open(...) as c:` */
    OUT("static PyObject *\nvbpy_%s_enter(PyObject *self, PyObject *unused)\n{\n"
        "    (void)unused;\n    Py_INCREF(self);\n    return self;\n}\n\n"
        "static PyObject *\nvbpy_%s_exit(PyObject *self, PyObject *const *args, Py_ssize_t nargs)\n{\n"
        "    (void)args;\n    (void)nargs;\n"
        "    PyObject *r = vbpy_%s(self, NULL, 0, NULL);\n"
        "    if (!r)\n        return NULL;\n    Py_DECREF(r);\n    Py_RETURN_NONE;\n}\n\n",
        f->name, f->name, f->name);
}

static void emitGetter(vbPyGen *g, int fi)
{
    const vbModel *m = g->m;
    const vbFunction *f = &m->functions[fi];
    const vbPyFn *p = &g->fns[fi];
    OUT("/* %s -> %s.%s: the wrapper's own parent chain (libvirt's pointer is\n"
        " * borrowed, the wrapper already keeps that object alive). */\n",
        f->name, m->classes[p->host].name, p->pyname);
    OUT("static PyObject *\nvbpy_%s(PyObject *self, PyObject *Py_UNUSED(noargs))\n{\n"
        "    return vbpyGetAncestor(self, &vbpy_class_%s);\n}\n\n",
        f->name, m->classes[f->returns_cls].name);
}

static char *eventSnake(const char *cname, char **fam);
static char *eventTPClass(const vbModel *m, const vbEventId *e);
static size_t familyEvents(const vbModel *m, int fam, int **out);

static void emitMethodDef(vbPyGen *g, int fi)
{
    const vbPyFn *p = &g->fns[fi];
    const vbFunction *f = &g->m->functions[fi];
    if (p->kind == PF_EVENT_REGISTER) {
        OUT("    { \"%s\", VBPY_FASTCALL(vbpy_%s), METH_FASTCALL | METH_KEYWORDS, "
            "\"%s(%s, eventID, cb, opaque) -> callbackID\\n\\nC: %s\" },\n",
            p->pyname, f->name, p->pyname, f->args[1].name, f->name);
        const vbModel *m = g->m;
        int *ev;
        size_t nev = familyEvents(m, f->event_family, &ev);
        for (size_t i = 0; i < nev; i++) {
            const char *cname = m->enums[m->events[ev[i]].enum_const].name;
            char *sn = eventSnake(cname, NULL);
            if (!sn)
                continue;
            char *tpc = eventTPClass(m, &m->events[ev[i]]);
            OUT("    { \"%s_register\", VBPY_FASTCALL(vbpy_ev_%s), METH_FASTCALL | METH_KEYWORDS, "
                "\"%s_register(callback, %s=None, opaque=None) -> callbackID\\n\\n"
                "callback(conn, %s, payload...%s, opaque) on the event loop; %s.\\n"
                "C: %s(conn, %s, %s, ...)\" },\n",
                sn, cname, sn, f->args[1].name, f->args[1].name, tpc ? " (typed params: virtbind.typed)" : "",
                "deregister with the family's _event_deregister(callbackID)", f->name,
                f->args[1].name, cname);
            free(tpc);
            free(sn);
        }
        free(ev);
        return;
    }
    if (f->kind == VB_FN_EVENT_DEREGISTER && f->event_family >= 0 && p->kind == PF_STUB) {
        const vbModel *m = g->m;
        const vbEventFamily *ef = &m->families[f->event_family];
        int *ev;
        size_t nev = familyEvents(m, f->event_family, &ev);
        char *fam = NULL;
        char *sn = nev && ef->register_fn >= 0 && g->fns[ef->register_fn].kind == PF_EVENT_REGISTER &&
                           isBound(&g->fns[ef->register_fn])
                       ? eventSnake(m->enums[m->events[ev[0]].enum_const].name, &fam) : NULL;
        if (sn)
            OUT("    { \"%s_event_deregister\", VBPY_FASTCALL(vbpy_%s), METH_FASTCALL | METH_KEYWORDS, "
                "\"%s_event_deregister(callbackID) -> None: ends a %s_event_*_register registration "
                "(the same as %s)\" },\n",
                fam, f->name, fam, fam, p->pyname);
        free(sn);
        free(fam);
        free(ev);
    }
    if (p->kind == PF_CLOSE) {
        OUT("    { \"__enter__\", vbpy_%s_enter, METH_NOARGS, \"return self\" },\n", f->name);
        OUT("    { \"__exit__\", VBPY_FASTCALL(vbpy_%s_exit), METH_FASTCALL, \"close()\" },\n",
            f->name);
    }
    if (p->kind == PF_HANDWRITTEN) {
        OUT("    { \"%s\", VBPY_FASTCALL(vbpy_hw_%s), METH_FASTCALL | METH_KEYWORDS, ", p->pyname,
            f->name);
        fprintf(g->out, "\"%s\\n\\nC: %s (hand-written shape)\" },\n", vbPyHandwritten(f->name),
                f->name);
        return;
    }
    if (vbPyNoArgs(p))
        OUT("    { \"%s\", vbpy_%s, METH_NOARGS, ", p->pyname, f->name);
    else
        OUT("    { \"%s\", VBPY_FASTCALL(vbpy_%s), METH_FASTCALL | METH_KEYWORDS, ", p->pyname,
            f->name);
    /* a short signature line as the docstring */
    fprintf(g->out, "\"%s(", p->pyname);
    bool first = true;
    for (size_t i = 0; i < f->nargs && p->kind == PF_STUB; i++) {
        if (p->args[i].use != PA_PARAM)
            continue;
        const vbArg *a = &f->args[i];
        fprintf(g->out, "%s%s", first ? "" : ", ", p->args[i].pyname);
        if (p->args[i].has_default)
            fprintf(g->out, "=%s", isScalarKind(a->ctype.kind) && !a->ctype.depth ? "0" : "None");
        first = false;
    }
    fprintf(g->out, ")\\n\\nC: %s\" },\n", f->name);
}

static int cmpFnName(const void *a, const void *b, void *ctx)
{
    const vbModel *m = ctx;
    return strcmp(m->functions[*(const int *)a].name, m->functions[*(const int *)b].name);
}

/* methods sorted by Python name, then C name (names can repeat only across
 * classes; a clash within one table keeps the first and skips the rest). */
static int cmpPyName(const void *a, const void *b, void *ctx)
{
    const vbPyGen *g = ctx;
    const vbPyFn *pa = &g->fns[*(const int *)a], *pb = &g->fns[*(const int *)b];
    int c = strcmp(pa->pyname, pb->pyname);
    return c ? c : strcmp(g->m->functions[pa->fn].name, g->m->functions[pb->fn].name);
}

/* Whether class c gets accessor a: it has the ancestor and no bound method
 * of that name already (the model's parent getters come first). */
static bool accessorApplies(const vbPyGen *g, int c, const vbPyAccessor *a)
{
    const vbModel *m = g->m;
    if (a->cls && strcmp(a->cls, m->classes[c].name) != 0)
        return false;
    int anc = vbModelFindClass(m, a->ancestor);
    if (anc < 0 || anc == c || !isClassAncestor(m, anc, c))
        return false;
    for (size_t i = 0; i < m->nfunctions; i++) {
        const vbPyFn *p = &g->fns[i];
        if (isBound(p) && p->host == c && strcmp(p->pyname, a->pyname) == 0)
            return false;
    }
    return true;
}

static void emitTables(vbPyGen *g)
{
    const vbModel *m = g->m;
    size_t n = m->nfunctions;
    int *byPy = xcalloc(n, sizeof(int));
    size_t nb = 0;
    for (size_t k = 0; k < n; k++)
        if (isBound(&g->fns[g->order[k]]))
            byPy[nb++] = g->order[k];
    qsort_r(byPy, nb, sizeof(int), cmpPyName, g);

    OUT("/* ---------------------------------------------------------- accessors */\n\n");
    for (size_t c = 0; c < m->nclasses; c++) {
        if (!classEmitted(m, c))
            continue;
        for (size_t k = 0; vbPyAccessors[k].pyname; k++)
            if (accessorApplies(g, (int)c, &vbPyAccessors[k]))
                OUT("static PyObject *\nvbpy_%s_%s(PyObject *self, PyObject *unused)\n{\n"
                    "    (void)unused;\n    return vbpyGetAncestor(self, &vbpy_class_%s);\n}\n\n",
                    m->classes[c].name, vbPyAccessors[k].pyname, vbPyAccessors[k].ancestor);
    }
    OUT("/* ------------------------------------------------------ method tables */\n\n");
    for (size_t c = 0; c < m->nclasses; c++) {
        if (!classEmitted(m, c))
            continue;
        OUT("static PyMethodDef vbpy_methods_%s[] = {\n", m->classes[c].name);
        for (size_t i = 0; i < nb; i++)
            if (isBound(&g->fns[byPy[i]]) && g->fns[byPy[i]].host == (int)c)
                emitMethodDef(g, byPy[i]);
        for (size_t k = 0; vbPyAccessors[k].pyname; k++)
            if (accessorApplies(g, (int)c, &vbPyAccessors[k]))
                OUT("    { \"%s\", vbpy_%s_%s, METH_NOARGS, \"%s() -> its %s (the wrapper)\" },\n",
                    vbPyAccessors[k].pyname, m->classes[c].name, vbPyAccessors[k].pyname,
                    vbPyAccessors[k].pyname, vbPyAccessors[k].ancestor);
        OUT("    { NULL, NULL, 0, NULL },\n};\n\n");
    }
    OUT("static PyMethodDef vbpy_module_methods[] = {\n");
    for (size_t i = 0; i < nb; i++)
        if (isBound(&g->fns[byPy[i]]) && g->fns[byPy[i]].host < 0)
            emitMethodDef(g, byPy[i]);
    OUT("    { NULL, NULL, 0, NULL },\n};\n\n");

    for (size_t c = 0; c < m->nclasses; c++) {
        const vbClass *cl = &m->classes[c];
        if (!classEmitted(m, c))
            continue;
        OUT("static PyTypeObject vbpy_type_%s = {\n"
            "    PyVarObject_HEAD_INIT(NULL, 0)\n"
            "    .tp_name = \"%s.%s\",\n"
            "    .tp_doc = \"libvirt %s object (%s)\",\n"
            "    .tp_methods = vbpy_methods_%s,\n};\n",
            cl->name, g->admin ? "virtbind_admin" : "virtbind", cl->name, cl->name, cl->ptr_type,
            cl->name);
        OUT("static const vbpyClass vbpy_class_%s = {\n"
            "    \"%s\", &vbpy_type_%s, ",
            cl->name, cl->name, cl->name);
        if (cl->parent >= 0)
            OUT("&vbpy_class_%s, ", m->classes[cl->parent].name);
        else
            OUT("NULL, ");
        if (cl->free_fn >= 0)
            OUT("vbpy_release_%s, &vbpy_syms[VBPY_SYM_%s],\n", cl->name,
                m->functions[cl->free_fn].name);
        else
            OUT("NULL, NULL,\n");
        if (cl->ref_fn >= 0)
            OUT("    vbpy_ref_%s, &vbpy_syms[VBPY_SYM_%s],\n};\n\n", cl->name,
                m->functions[cl->ref_fn].name);
        else
            OUT("    NULL, NULL,\n};\n\n");
    }
    OUT("static const vbpyClass *const vbpy_classes[] = {\n");
    for (size_t c = 0; c < m->nclasses; c++)
        if (classEmitted(m, c))
            OUT("    &vbpy_class_%s,\n", m->classes[c].name);
    OUT("};\n\n");
    free(byPy);
}

static int cmpEnumName(const void *a, const void *b, void *ctx)
{
    const vbModel *m = ctx;
    return strcmp(m->enums[*(const int *)a].name, m->enums[*(const int *)b].name);
}

static int cmpMacroName(const void *a, const void *b, void *ctx)
{
    const vbModel *m = ctx;
    return strcmp(m->macros[*(const int *)a].name, m->macros[*(const int *)b].name);
}

/* A _LAST sentinel is dropped when it is strictly the highest value of its
 * enum, as libvirt-python does (VIR_DOMAIN_MEMORY_STAT_LAST equals
 * VIR_DOMAIN_MEMORY_STAT_NR and stays). */
static bool dropLast(const vbModel *m, size_t e)
{
    const vbEnumConst *c = &m->enums[e];
    if (!c->is_last)
        return false;
    for (size_t i = 0; i < m->nenums; i++) {
        if (i == e || !m->enums[i].type || !c->type || strcmp(m->enums[i].type, c->type) != 0)
            continue;
        if (m->enums[i].value >= c->value)
            return false;
    }
    return true;
}

/* ------------------------------------------------------ macro values */

/* A tiny evaluator for object-like macros' raw text: integer literals
 * (decimal or hex, with U/L suffixes), parentheses, + and *, and names of
 * other such macros or of enum constants.  Comments are ignored.  Anything
 * else (casts, function calls, other operators) is refused with a reason:
 * the text is never compiled or executed. */
typedef struct {
    const vbModel *m;
    const char *p;
    int depth;
    char *why;
} vbPyEval;

static bool evalExpr(vbPyEval *e, long long *out);
static bool evalMacroValue(const vbModel *m, const vbMacro *mc, int depth, long long *out,
                           char **why);

static void evalSkip(vbPyEval *e)
{
    for (;;) {
        while (*e->p == ' ' || *e->p == '\t' || *e->p == '\n' || *e->p == '\r')
            e->p++;
        if (e->p[0] == '/' && e->p[1] == '*') {
            const char *c = strstr(e->p + 2, "*/");
            e->p = c ? c + 2 : e->p + strlen(e->p);
            continue;
        }
        if (e->p[0] == '/' && e->p[1] == '/') {
            e->p += strlen(e->p);
            continue;
        }
        return;
    }
}

static bool evalFail(vbPyEval *e, const char *fmt, ...)
{
    if (!e->why) {
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&e->why, fmt, ap) < 0)
            abort();
        va_end(ap);
    }
    return false;
}

static bool evalFactor(vbPyEval *e, long long *out)
{
    evalSkip(e);
    const char *p = e->p;
    if (*p == '(') {
        e->p++;
        if (!evalExpr(e, out))
            return false;
        evalSkip(e);
        if (!*e->p)
            return evalFail(e, "unbalanced parentheses");
        if (*e->p != ')')
            return evalFail(e, "'%c' is not an integer literal, a name, '(', '+' or '*'", *e->p);
        e->p++;
        return true;
    }
    if (*p >= '0' && *p <= '9') {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(p, &end, (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) ? 16 : 10);
        if (errno || v > (unsigned long long)LLONG_MAX)
            return evalFail(e, "integer literal out of range");
        while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
            end++;
        if ((*end >= '0' && *end <= '9') || *end == '.' || *end == '_' ||
            (*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z'))
            return evalFail(e, "not an integer literal at '%s'", p);
        e->p = end;
        *out = (long long)v;
        return true;
    }
    if (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
        const char *q = p;
        while (*q == '_' || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
               (*q >= '0' && *q <= '9'))
            q++;
        char *name = xasprintf("%.*s", (int)(q - p), p);
        e->p = q;
        int mi = vbModelFindMacro(e->m, name);
        int ei = mi < 0 ? vbModelFindEnum(e->m, name) : -1;
        bool ok;
        if (mi >= 0) {
            char *why = NULL;
            ok = evalMacroValue(e->m, &e->m->macros[mi], e->depth + 1, out, &why);
            if (!ok && why && strncmp(why, "via ", 4) == 0)
                evalFail(e, "%s", why);   /* the innermost reason, once */
            else if (!ok)
                evalFail(e, "via %s: %s", name, why ? why : "?");
            free(why);
        } else if (ei >= 0) {
            *out = e->m->enums[ei].value;
            ok = true;
        } else {
            ok = evalFail(e, "%s is neither a macro nor an enum constant of the API", name);
        }
        free(name);
        return ok;
    }
    if (!*p)
        return evalFail(e, "expression ends early");
    return evalFail(e, "'%c' is not an integer literal, a name, '(', '+' or '*'", *p);
}

static bool evalTerm(vbPyEval *e, long long *out)
{
    if (!evalFactor(e, out))
        return false;
    for (;;) {
        evalSkip(e);
        if (*e->p != '*')
            return true;
        e->p++;
        long long r;
        if (!evalFactor(e, &r))
            return false;
        if (__builtin_mul_overflow(*out, r, out))
            return evalFail(e, "overflows long long");
    }
}

static bool evalExpr(vbPyEval *e, long long *out)
{
    if (!evalTerm(e, out))
        return false;
    for (;;) {
        evalSkip(e);
        if (*e->p != '+')
            return true;
        e->p++;
        long long r;
        if (!evalTerm(e, &r))
            return false;
        if (__builtin_add_overflow(*out, r, out))
            return evalFail(e, "overflows long long");
    }
}

/* The integer value of an object-like macro, or false with *why. */
static bool evalMacroValue(const vbModel *m, const vbMacro *mc, int depth, long long *out,
                           char **why)
{
    if (mc->string) {
        *why = xstrdup("a string macro");
        return false;
    }
    if (mc->nparams) {
        *why = xstrdup("a function-like macro");
        return false;
    }
    if (depth > 8) {
        *why = xstrdup("macro references nest too deeply");
        return false;
    }
    vbPyEval e = { .m = m, .p = mc->raw ? mc->raw : "", .depth = depth };
    evalSkip(&e);
    if (!*e.p) {
        *why = xstrdup("the XML gives no value");
        return false;
    }
    bool ok = evalExpr(&e, out);
    if (ok) {
        evalSkip(&e);
        if (*e.p)
            ok = evalFail(&e, "'%c' is not an integer literal, a name, '(', '+' or '*'", *e.p);
    }
    if (!ok)
        *why = e.why ? e.why : xstrdup("not an integer expression");
    else
        free(e.why);
    return ok;
}

/* See gen_python.h. */
vbPyConstKind vbPyMacroConstant(const vbModel *m, size_t mi, long long *value,
                                const char **signature, char **reason)
{
    const vbMacro *mc = &m->macros[mi];
    *reason = NULL;
    if (signature)
        *signature = NULL;
    if (mc->string && !mc->nparams)
        return VB_PY_CONST_STR;
    const char *sig = vbPyMacroFunction(mc->name);
    if (sig) {
        if (signature)
            *signature = sig;
        return VB_PY_CONST_FUNC;
    }
    if (vbPyMacroNoMeaning(m, mc)) {
        *reason = xstrdup(vbPyMacroNoMeaningReason);
        return VB_PY_CONST_SKIPPED;
    }
    if (mc->nparams) {
        *reason = xstrdup("function-like macro with no Python implementation");
        return VB_PY_CONST_SKIPPED;
    }
    char *why = NULL;
    if (evalMacroValue(m, mc, 0, value, &why))
        return VB_PY_CONST_INT;
    *reason = xasprintf("value is not an integer expression this generator evaluates (%s)", why);
    free(why);
    return VB_PY_CONST_SKIPPED;
}

bool vbPyEnumDropped(const vbModel *m, size_t e)
{
    return dropLast(m, e);
}

/* The admin module has the admin XML's constants; the main one all of them
 * (as before the split: scripts may read admin constants from virtbind). */
static bool constIn(const vbPyGen *g, vbSource src)
{
    return !g->admin || src == VB_SRC_ADMIN;
}

static void emitConstants(vbPyGen *g)
{
    const vbModel *m = g->m;
    int *idx = xcalloc(m->nenums, sizeof(int));
    for (size_t i = 0; i < m->nenums; i++)
        idx[i] = (int)i;
    qsort_r(idx, m->nenums, sizeof(int), cmpEnumName, (void *)m);
    int *midx = xcalloc(m->nmacros, sizeof(int));
    for (size_t i = 0; i < m->nmacros; i++)
        midx[i] = (int)i;
    qsort_r(midx, m->nmacros, sizeof(int), cmpMacroName, (void *)m);

    OUT("/* ---------------------------------------------------------- constants */\n\n");
    OUT("/* enum constants, then object-like macros with an integer value */\n");
    OUT("static const vbpyIntConst vbpy_ints[] = {\n");
    for (size_t i = 0; i < m->nenums; i++) {
        const vbEnumConst *c = &m->enums[idx[i]];
        if (dropLast(m, (size_t)idx[i]) || !constIn(g, c->src))
            continue;
        OUT("    { \"%s\", %lldLL },\n", c->name, c->value);
    }
    for (size_t i = 0; i < m->nmacros; i++) {
        const vbMacro *mc = &m->macros[midx[i]];
        if (mc->string || !constIn(g, mc->src))
            continue;
        long long v;
        char *why;
        if (vbPyMacroConstant(m, (size_t)midx[i], &v, NULL, &why) == VB_PY_CONST_INT)
            OUT("    { \"%s\", %lldLL },   /* macro */\n", mc->name, v);
        free(why);
    }
    OUT("};\n\n");

    OUT("static const vbpyStrConst vbpy_strs[] = {\n");
    size_t nstrs = 0;
    for (size_t i = 0; i < m->nmacros; i++) {
        const vbMacro *mc = &m->macros[midx[i]];
        if (!mc->string || mc->nparams || !constIn(g, mc->src))
            continue;
        OUT("    { \"%s\", ", mc->name);
        emitCString(g, mc->string);
        OUT(" },\n");
        nstrs++;
    }
    if (!nstrs)
        OUT("    { NULL, NULL },\n");
    OUT("};\n\n");

    /* what has no constant, with the reason (sorted by name) */
    OUT("/* constants left out: {name, reason}; function-like macros implemented\n"
        " * in Python (virtbind/_macros.py) are not listed */\n");
    OUT("static const vbpySkipEntry vbpy_skipped_consts[] = {\n");
    size_t ie = 0, im = 0;
    while (ie < m->nenums || im < m->nmacros) {
        bool takeEnum = im >= m->nmacros ||
                        (ie < m->nenums &&
                         strcmp(m->enums[idx[ie]].name, m->macros[midx[im]].name) < 0);
        if (takeEnum) {
            size_t e = (size_t)idx[ie++];
            if (dropLast(m, e) && constIn(g, m->enums[e].src))
                OUT("    { \"%s\", \"%s\" },\n", m->enums[e].name, vbPyLastReason);
            continue;
        }
        const vbMacro *mc = &m->macros[midx[im++]];
        if (!constIn(g, mc->src))
            continue;
        long long v;
        char *why;
        if (vbPyMacroConstant(m, (size_t)(mc - m->macros), &v, NULL, &why) == VB_PY_CONST_SKIPPED) {
            OUT("    { \"%s\", ", mc->name);
            emitCString(g, why);
            OUT(" },\n");
        }
        free(why);
    }
    OUT("    { NULL, NULL },\n};\n\n");
    free(idx);
    free(midx);
}

static void emitManifest(vbPyGen *g)
{
    const vbModel *m = g->m;
    OUT("/* ----------------------------------------------------------- manifest */\n\n");
    OUT("static const vbpyManifestEntry vbpy_manifest[] = {\n");
    for (size_t k = 0; k < m->nfunctions; k++) {
        const vbPyFn *p = &g->fns[g->order[k]];
        if (!isBound(p))
            continue;
        OUT("    { \"%s\", \"%s%s%s\" },\n", m->functions[p->fn].name,
            p->host >= 0 ? m->classes[p->host].name : "", p->host >= 0 ? "." : "", p->pyname);
    }
    /* event:<ID> -> the typed registration method (virtbind-coverage counts events by these) */
    for (size_t fi = 0; fi < m->nfunctions; fi++) {
        const vbPyFn *p = &g->fns[fi];
        if (p->kind != PF_EVENT_REGISTER || !isBound(p) || p->skip)
            continue;
        int *ev;
        size_t nev = familyEvents(m, m->functions[fi].event_family, &ev);
        for (size_t i = 0; i < nev; i++) {
            const char *cname = m->enums[m->events[ev[i]].enum_const].name;
            char *sn = eventSnake(cname, NULL);
            if (sn)
                OUT("    { \"event:%s\", \"virConnect.%s_register\" },\n", cname, sn);
            free(sn);
        }
        free(ev);
    }
    OUT("};\n\n");
    OUT("static const vbpyManifestEntry vbpy_internal[] = {\n");
    for (size_t k = 0; k < m->nfunctions; k++) {
        const vbPyFn *p = &g->fns[g->order[k]];
        if (p->internal)
            OUT("    { \"%s\", \"%s\" },\n", m->functions[p->fn].name, p->internal_why);
    }
    OUT("};\n\n");
    OUT("static const vbpySkipEntry vbpy_skipped[] = {\n");
    for (size_t k = 0; k < m->nfunctions; k++) {
        const vbPyFn *p = &g->fns[g->order[k]];
        if (!p->skip || p->internal)
            continue;
        OUT("    { \"%s\", ", m->functions[p->fn].name);
        emitCString(g, p->skip);
        OUT(" },\n");
    }
    OUT("};\n\n");
}

static void emitInit(vbPyGen *g)
{
    const vbModel *m = g->m;
    static const char *const runtime[] = { "virCopyLastError", "virResetError", "virSetErrorFunc",
                                           "virInitialize", "virTypedParamsClear",
                                           "virTypedParamsFree" };
    OUT("/* ------------------------------------------------------------- module */\n\n");
    OUT("static const vbpyModuleInfo vbpy_info = {\n"
        "    .syms = vbpy_syms,\n    .nsyms = VBPY_NSYMS,\n"
        "    .classes = vbpy_classes,\n"
        "    .nclasses = sizeof(vbpy_classes) / sizeof(vbpy_classes[0]),\n"
        "    .ints = vbpy_ints,\n    .nints = sizeof(vbpy_ints) / sizeof(vbpy_ints[0]),\n"
        "    .strs = vbpy_strs,\n"
        "    .nstrs = sizeof(vbpy_strs) / sizeof(vbpy_strs[0]) - (vbpy_strs[0].name == NULL),\n"
        "    .manifest = vbpy_manifest,\n"
        "    .nmanifest = sizeof(vbpy_manifest) / sizeof(vbpy_manifest[0]),\n"
        "    .internal = vbpy_internal,\n"
        "    .ninternal = sizeof(vbpy_internal) / sizeof(vbpy_internal[0]),\n"
        "    .skipped = vbpy_skipped,\n"
        "    .nskipped = sizeof(vbpy_skipped) / sizeof(vbpy_skipped[0]),\n"
        "    .skipped_consts = vbpy_skipped_consts,\n"
        "    .admin = %s,\n"
        "    .nskipped_consts = sizeof(vbpy_skipped_consts) / sizeof(vbpy_skipped_consts[0]) - 1,\n",
        g->admin ? "true" : "false");
    static const char *const fields[] = { "sym_copy_last_error", "sym_reset_error",
                                          "sym_set_error_func", "sym_initialize",
                                          "sym_tp_clear", "sym_tp_free" };
    for (size_t i = 0; i < sizeof(runtime) / sizeof(runtime[0]); i++) {
        int fi = vbModelFindFunction(m, runtime[i]);
        if (fi >= 0 && needsSym(g, fi))
            OUT("    .%s = VBPY_SYM_%s,\n", fields[i], runtime[i]);
        else
            OUT("    .%s = -1,\n", fields[i]);
    }
    OUT("};\n\n");
    OUT("static struct PyModuleDef vbpy_module = {\n"
        "    PyModuleDef_HEAD_INIT,\n"
        "    .m_name = \"%s\",\n"
        "    .m_doc = \"%s\",\n"
        "    .m_size = -1,\n"
        "    .m_methods = vbpy_module_methods,\n"
        "};\n\n"
        "PyMODINIT_FUNC PyInit_%s(void)\n{\n",
        g->modname,
        g->admin ? "libvirt's admin API (libvirt-admin.so.0), generated by virtbind; "
                   "for processes that do not use libvirt's main API (see docs/python.md)"
                 : "libvirt bindings generated by virtbind from libvirt's API XML",
        strrchr(g->modname, '.') ? strrchr(g->modname, '.') + 1 : g->modname);
    OUT(
        "    PyObject *module = PyModule_Create(&vbpy_module);\n"
        "    if (!module)\n        return NULL;\n"
        "    if (vbpyModuleInit(module, &vbpy_info) < 0) {\n"
        "        Py_DECREF(module);\n        return NULL;\n    }\n");
    for (size_t k = 0; vbPyClassAttrs[k].cls; k++) {
        int c = vbModelFindClass(m, vbPyClassAttrs[k].cls);
        if (c < 0 || !classEmitted(m, (size_t)c))
            continue;
        OUT("    if (vbpyClassAttr(&vbpy_class_%s, \"%s\", %lldLL) < 0) {\n"
            "        Py_DECREF(module);\n        return NULL;\n    }\n",
            vbPyClassAttrs[k].cls, vbPyClassAttrs[k].name, vbPyClassAttrs[k].value);
    }
    OUT("    return module;\n}\n");
}

/* Two functions may map to one Python name in one namespace: the first C
 * name wins, the other is skipped (before anything is emitted). */
static void dropClashes(vbPyGen *g)
{
    const vbModel *m = g->m;
    for (size_t i = 0; i < m->nfunctions; i++) {
        vbPyFn *b = &g->fns[g->order[i]];
        if (!isBound(b))
            continue;
        for (size_t j = 0; j < i; j++) {
            vbPyFn *a = &g->fns[g->order[j]];
            if (isBound(a) && a->host == b->host && strcmp(a->pyname, b->pyname) == 0) {
                skipf(b, "Python name %s clashes with %s", b->pyname, m->functions[a->fn].name);
                break;
            }
        }
    }
}

/* ------------------------------------------------------------------ events */

/* Struct payloads of event callbacks and their runtime converters (the
 * graphics event; libvirt-python's shapes). */
static const char *eventStructConverter(const vbArg *a)
{
    static const struct {
        const char *type;
        const char *conv;
    } convs[] = {
        { "virDomainEventGraphicsAddress", "vbpyGraphicsAddress" },
        { "virDomainEventGraphicsSubject", "vbpyGraphicsSubject" },
    };
    if (a->ctype.kind != VB_T_STRUCT || a->ctype.depth != 1 || !a->ctype.base)
        return NULL;
    for (size_t i = 0; i < sizeof(convs) / sizeof(convs[0]); i++)
        if (strcmp(convs[i].type, a->ctype.base) == 0)
            return convs[i].conv;
    return NULL;
}

/* Whether every payload argument of callback functype ft converts. */
static bool eventPayloadOk(const vbFunction *ft)
{
    for (size_t i = 0; i < ft->nargs; i++) {
        const vbArg *a = &ft->args[i];
        if (i < 2 || a->role == VB_ROLE_OPAQUE)
            continue;   /* conn, object, opaque */
        if ((a->role == VB_ROLE_SCALAR || a->role == VB_ROLE_FLAGS) && isScalarKind(a->ctype.kind) &&
            !a->ctype.depth)
            continue;
        if (a->role == VB_ROLE_STRING && a->ctype.kind == VB_T_CHAR && a->ctype.depth == 1)
            continue;
        if (a->role == VB_ROLE_TYPED_PARAMS && a->ctype.depth == 1 && i + 1 < ft->nargs &&
            ft->args[i + 1].role == VB_ROLE_LENGTH)
            continue;
        if (a->role == VB_ROLE_LENGTH && i > 0 && ft->args[i - 1].role == VB_ROLE_TYPED_PARAMS)
            continue;
        if (eventStructConverter(a))
            continue;
        return false;
    }
    return ft->nargs >= 3 && ft->args[0].ctype.kind == VB_T_OBJECT &&
           ft->args[1].ctype.kind == VB_T_OBJECT && ft->args[ft->nargs - 1].role == VB_ROLE_OPAQUE;
}

/* One C trampoline per callback type: libvirt calls it on the event loop
 * thread; it takes the GIL and calls cb(conn, obj, payload..., opaque). */
static void emitTrampoline(vbPyGen *g, const vbFunction *ft)
{
    const char *rtype = ft->ret.type;
    bool has_ret = ft->ret.kind != VB_RET_VOID;
    OUT("/* %s (libvirt %s) */\nstatic %s\nvbpy_event_%s(", ft->name, ft->version ? ft->version : "?",
        rtype, ft->name);
    for (size_t i = 0; i < ft->nargs; i++) {
        const char *t = ft->args[i].type;
        OUT("%s%s%s%s", i ? ", " : "", t, t[strlen(t) - 1] == '*' ? "" : " ", ft->args[i].name);
    }
    OUT(")\n{\n    vbpyEventData *d = %s;\n    (void)%s;\n", ft->args[ft->nargs - 1].name,
        ft->args[0].name);
    OUT("    PyGILState_STATE st = PyGILState_Ensure();\n");
    size_t n = 0;
    for (size_t i = 2; i + 1 < ft->nargs; i++)
        if (ft->args[i].role != VB_ROLE_LENGTH)
            n++;
    OUT("    PyObject *args = PyTuple_New(%zu);\n", n + 3);
    OUT("    if (args) {\n        Py_INCREF(d->conn);\n        PyTuple_SET_ITEM(args, 0, d->conn);\n"
        "        PyTuple_SET_ITEM(args, 1, vbpyEventObject(d, %s));\n", ft->args[1].name);
    size_t k = 2;
    for (size_t i = 2; i + 1 < ft->nargs; i++) {
        const vbArg *a = &ft->args[i];
        char *conv;
        if (a->role == VB_ROLE_LENGTH)
            continue;
        if (a->role == VB_ROLE_TYPED_PARAMS)
            conv = xasprintf("vbpyTPToDictBorrowed(%s, %s)", a->name, ft->args[i + 1].name);
        else if (eventStructConverter(a))
            conv = xasprintf("%s(%s)", eventStructConverter(a), a->name);
        else if (a->ctype.kind == VB_T_CHAR)
            conv = xasprintf("vbpyFromString((char *)%s, false)", a->name);
        else
            conv = scalarToPy(a->ctype.kind, a->name);
        OUT("        PyTuple_SET_ITEM(args, %zu, %s);\n", k++, conv);
        free(conv);
    }
    OUT("        Py_INCREF(d->opaque);\n        PyTuple_SET_ITEM(args, %zu, d->opaque);\n    }\n", k);
    OUT("    vbpyEventCall(d, args);\n    PyGILState_Release(st);\n");
    if (has_ret)
        OUT("    return 0;\n");
    OUT("}\n\n");
}

static int cmpEventName(const void *a, const void *b, void *ctx)
{
    const vbModel *m = ctx;
    return strcmp(m->enums[m->events[*(const int *)a].enum_const].name,
                  m->enums[m->events[*(const int *)b].enum_const].name);
}

/* "VIR_DOMAIN_EVENT_ID_LIFECYCLE" -> "domain_event_lifecycle" (malloc'd; NULL
 * when the name has no _EVENT_ID_); *fam (optional) gets "domain". */
static char *eventSnake(const char *cname, char **fam)
{
    const char *idp = strstr(cname, "_EVENT_ID_");
    if (!idp || strncmp(cname, "VIR_", 4) != 0)
        return NULL;
    char *s = xasprintf("%.*s_event_%s", (int)(idp - cname - 4), cname + 4, idp + 10);
    for (char *q = s; *q; q++)
        *q = (char)(*q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q);
    if (fam) {
        *fam = xasprintf("%.*s", (int)(strstr(s, "_event_") - s), s);
    }
    return s;
}

/* Position of the typed-parameter dict among the Python payload arguments
 * (after conn, obj), or -1. */
static int eventTPPos(const vbFunction *ft)
{
    int k = 0;
    for (size_t a = 2; a + 1 < ft->nargs; a++) {
        if (ft->args[a].role == VB_ROLE_LENGTH)
            continue;
        if (ft->args[a].role == VB_ROLE_TYPED_PARAMS)
            return k;
        k++;
    }
    return -1;
}

/* The class of virtbind.typed an event's typed parameters become. */
static char *eventTPClass(const vbModel *m, const vbEventId *e)
{
    return e->tp_group >= 0 ? xasprintf("%sParams", m->tp_groups[e->tp_group].name) : NULL;
}

/* Sorted event IDs of family fam whose payload the trampolines convert. */
static size_t familyEvents(const vbModel *m, int fam, int **out)
{
    int *ev = xcalloc(m->nevents + 1, sizeof(int));
    size_t nev = 0;
    for (size_t i = 0; i < m->nevents; i++)
        if (m->events[i].family == fam && m->events[i].functype >= 0 &&
            eventPayloadOk(&m->functypes[m->events[i].functype]))
            ev[nev++] = (int)i;
    qsort_r(ev, nev, sizeof(int), cmpEventName, (void *)m);
    *out = ev;
    return nev;
}

/* <family>EventRegisterAny(obj, eventID, cb, opaque) -> callbackID, and one
 * typed method per event ID: conn.<family>_event_<id>_register(callback,
 * obj=None, opaque=None) -> callbackID (docs/events.md). */
static void emitEventRegister(vbPyGen *g, int fi)
{
    const vbModel *m = g->m;
    const vbFunction *f = &m->functions[fi];
    const vbPyFn *p = &g->fns[fi];
    const vbEventFamily *ef = &m->families[f->event_family];
    const char *objcls = m->classes[ef->object_class].name;
    const vbArg *obj = &f->args[1], *cbarg = &f->args[3];
    OUT("/* %s (libvirt %s): the shared registration */\n"
        "static PyObject *\nvbpy_core_%s(PyObject *self, PyObject *objarg, int c_eventID, "
        "PyObject *cb, PyObject *opaque, const char *fname)\n{\n"
        "    virConnectPtr c_conn = vbpySelf(self);\n    if (!c_conn)\n        return NULL;\n"
        "    void *c_%s;\n"
        "    if (vbpyToObject(objarg, \"%s\", &vbpy_class_%s, true, &c_%s) < 0)\n        return NULL;\n"
        "    if (!PyCallable_Check(cb)) {\n"
        "        PyErr_Format(PyExc_TypeError, \"%%s: the callback must be callable\", fname);\n"
        "        return NULL;\n    }\n"
        "    %s c_cb;\n    switch (c_eventID) {\n",
        f->name, f->version ? f->version : "?", f->name, obj->name, obj->name, objcls, obj->name,
        cbarg->type);
    /* virConnect<Family>EventRegisterAny -> ...DeregisterAny */
    const char *at = strstr(f->name, "RegisterAny");
    char *dereg = at ? xasprintf("%.*sDeregisterAny", (int)(at - f->name), f->name)
                     : xstrdup(f->name);
    int *ev;
    size_t nev = familyEvents(m, f->event_family, &ev);
    for (size_t i = 0; i < nev; i++) {
        const vbEventId *e = &m->events[ev[i]];
        const vbFunction *ft = &m->functypes[e->functype];
        OUT("    case %s:\n        c_cb = (%s)(void (*)(void))vbpy_event_%s;\n        break;\n",
            m->enums[e->enum_const].name, cbarg->type, ft->name);
    }
    OUT("    default:\n"
        "        PyErr_Format(PyExc_ValueError, \"%%s: event ID %%d is not supported\", fname, c_eventID);\n"
        "        return NULL;\n    }\n");
    OUT("    __typeof__(%s) *fn = vbpyResolve(&vbpy_syms[VBPY_SYM_%s]);\n"
        "    if (!fn)\n        return NULL;\n"
        "    vbpyEventData *d = vbpyEventDataNew(self, &vbpy_class_%s, cb, opaque);\n"
        "    if (!d)\n        return NULL;\n"
        "    int c_ret;\n    vbpyErr err = { .set = false };\n"
        "    Py_BEGIN_ALLOW_THREADS\n"
        "    c_ret = fn(c_conn, c_%s, c_eventID, c_cb, d, vbpyEventFree);\n"
        "    if (c_ret == -1)\n        vbpyErrCapture(&err);\n    Py_END_ALLOW_THREADS\n"
        "    if (c_ret == -1) {\n        vbpyEventFree(d);   /* libvirt did not keep it */\n"
        "        return vbpyErrRaise(&err, \"%s\");\n    }\n"
        "    /* close() ends it if it is still registered then */\n"
        "    vbpyEventTrack(d, VBPY_DEREG_ID, &vbpy_syms[VBPY_SYM_%s], c_ret, NULL, NULL);\n"
        "    return PyLong_FromLong(c_ret);\n}\n\n",
        f->name, f->name, objcls, obj->name, f->name, dereg);
    free(dereg);
    OUT("/* %s -> %s.%s(%s, eventID, cb, opaque) */\n", f->name, m->classes[p->host].name,
        p->pyname, obj->name);
    OUT("static PyObject *\nvbpy_%s(PyObject *self, PyObject *const *args, Py_ssize_t nargs, "
        "PyObject *kwnames)\n{\n"
        "    static const char *const kwlist[] = { \"%s\", \"eventID\", \"cb\", \"opaque\", NULL };\n"
        "    PyObject *argv[4];\n"
        "    if (vbpyParseArgs(\"%s\", args, nargs, kwnames, kwlist, 4, 4, argv) < 0)\n"
        "        return NULL;\n"
        "    int c_eventID;\n"
        "    if (vbpyToInt(argv[1], \"eventID\", &c_eventID) < 0)\n        return NULL;\n"
        "    if (!PyCallable_Check(argv[2])) {\n"
        "        PyErr_SetString(PyExc_TypeError, \"argument 'cb' must be callable\");\n"
        "        return NULL;\n    }\n"
        "    return vbpy_core_%s(self, argv[0], c_eventID, argv[2], argv[3], \"%s\");\n}\n\n",
        f->name, obj->name, p->pyname, f->name, p->pyname);
    for (size_t i = 0; i < nev; i++) {
        const vbEventId *e = &m->events[ev[i]];
        const char *cname = m->enums[e->enum_const].name;
        char *sn = eventSnake(cname, NULL);
        if (!sn)
            continue;
        char *tpc = eventTPClass(m, e);
        int pos = eventTPPos(&m->functypes[e->functype]);
        OUT("/* %s -> virConnect.%s_register(callback, %s=None, opaque=None) */\n"
            "static PyObject *\nvbpy_ev_%s(PyObject *self, PyObject *const *args, Py_ssize_t nargs, "
            "PyObject *kwnames)\n{\n"
            "    static const char *const kwlist[] = { \"callback\", \"%s\", \"opaque\", NULL };\n"
            "    PyObject *argv[3];\n"
            "    if (vbpyParseArgs(\"%s_register\", args, nargs, kwnames, kwlist, 3, 1, argv) < 0)\n"
            "        return NULL;\n"
            "    if (!PyCallable_Check(argv[0])) {\n"
            "        PyErr_SetString(PyExc_TypeError, \"argument 'callback' must be callable\");\n"
            "        return NULL;\n    }\n",
            cname, sn, obj->name, cname, obj->name, sn);
        if (tpc && pos >= 0) {
            OUT("    PyObject *mod = PyImport_ImportModule(\"virtbind._events\");\n"
                "    if (!mod)\n        return NULL;\n"
                "    PyObject *cb = PyObject_CallMethod(mod, \"_typed_event_callback\", \"Osi\", argv[0], \"%s\", %d);\n"
                "    Py_DECREF(mod);\n    if (!cb)\n        return NULL;\n"
                "    PyObject *r = vbpy_core_%s(self, argv[1] ? argv[1] : Py_None, %s, cb,\n"
                "                              argv[2] ? argv[2] : Py_None, \"%s_register\");\n"
                "    Py_DECREF(cb);\n    return r;\n}\n\n",
                tpc, pos, f->name, cname, sn);
        } else {
            OUT("    return vbpy_core_%s(self, argv[1] ? argv[1] : Py_None, %s, argv[0],\n"
                "                        argv[2] ? argv[2] : Py_None, \"%s_register\");\n}\n\n",
                f->name, cname, sn);
        }
        free(tpc);
        free(sn);
    }
    free(ev);
}

static void emitEvents(vbPyGen *g)
{
    const vbModel *m = g->m;
    OUT("/* ------------------------------------------------------------- events */\n\n");
    /* trampolines of the families whose registration is bound, by name */
    bool *done = xcalloc(m->nfunctypes, sizeof(bool));
    int *ev = xcalloc(m->nevents, sizeof(int));
    for (size_t i = 0; i < m->nevents; i++)
        ev[i] = (int)i;
    qsort_r(ev, m->nevents, sizeof(int), cmpEventName, (void *)m);
    int *fts = xcalloc(m->nevents, sizeof(int));
    size_t nft = 0;
    for (size_t i = 0; i < m->nevents; i++) {
        const vbEventId *e = &m->events[ev[i]];
        const vbEventFamily *ef = &m->families[e->family];
        if (e->functype < 0 || done[e->functype] || ef->register_fn < 0 ||
            g->fns[ef->register_fn].kind != PF_EVENT_REGISTER || !isBound(&g->fns[ef->register_fn]))
            continue;
        if (!eventPayloadOk(&m->functypes[e->functype]))
            continue;
        done[e->functype] = true;
        fts[nft++] = e->functype;
    }
    for (size_t i = 1; i < nft; i++)   /* by callback name */
        for (size_t j = i; j > 0 && strcmp(m->functypes[fts[j - 1]].name, m->functypes[fts[j]].name) > 0; j--) {
            int t = fts[j];
            fts[j] = fts[j - 1];
            fts[j - 1] = t;
        }
    for (size_t i = 0; i < nft; i++)
        emitTrampoline(g, &m->functypes[fts[i]]);
    free(fts);
    free(ev);
    free(done);
}

static void emitAll(vbPyGen *g)
{
    dropClashes(g);
    const vbModel *m = g->m;
    emitHeader(g);
    emitSymbols(g);
    emitClassDecls(g);
    emitTPGroups(g);
    emitEvents(g);
    OUT("/* ---------------------------------------------------------- functions */\n\n");
    for (size_t k = 0; k < m->nfunctions; k++) {
        int fi = g->order[k];
        const vbPyFn *p = &g->fns[fi];
        if (p->skip || p->internal || p->absent)
            continue;
        switch (p->kind) {
        case PF_STUB: emitStub(g, fi); break;
        case PF_CLOSE: emitClose(g, fi); break;
        case PF_GETTER: emitGetter(g, fi); break;
        case PF_HANDWRITTEN: break;
        case PF_EVENT_REGISTER: emitEventRegister(g, fi); break;
        }
    }
    emitTables(g);
    emitConstants(g);
    emitManifest(g);
    emitInit(g);
}

/* Write one module's C file: virtbind._virtbind (main, qemu, lxc APIs) or
 * virtbind_admin (the admin API). */
static int genModule(const vbModel *m, const char *outdir, bool admin, char **err)
{
    vbPyGen g = { .m = m, .admin = admin,
                  .modname = admin ? "virtbind_admin" : "virtbind._virtbind" };
    g.fns = xcalloc(m->nfunctions, sizeof(vbPyFn));
    g.order = xcalloc(m->nfunctions, sizeof(int));
    for (size_t i = 0; i < m->nfunctions; i++)
        g.order[i] = (int)i;
    qsort_r(g.order, m->nfunctions, sizeof(int), cmpFnName, (void *)m);
    for (size_t i = 0; i < m->nfunctions; i++)
        classify(&g, (int)i);

    char *path = xasprintf("%s/%s", outdir, admin ? "virtbind_admin_gen.c" : "virtbind_gen.c");
    char *tmp = xasprintf("%s.tmp", path);
    int rc = -1;
    g.out = fopen(tmp, "w");
    if (!g.out) {
        setErr(err, "%s: %s", tmp, strerror(errno));
    } else {
        emitAll(&g);
        if (ferror(g.out) | (fclose(g.out) != 0))
            setErr(err, "writing %s failed", tmp);
        else if (rename(tmp, path) < 0)
            setErr(err, "%s: %s", path, strerror(errno));
        else
            rc = 0;
    }
    size_t bound = 0, skipped = 0;
    for (size_t i = 0; i < m->nfunctions; i++) {
        if (isBound(&g.fns[i]))
            bound++;
        else if (g.fns[i].skip)
            skipped++;
    }
    if (rc == 0)
        fprintf(stderr, "virtbind-gen: python%s: %zu functions bound, %zu skipped -> %s\n",
                admin ? " (admin)" : "", bound, skipped, path);
    for (size_t i = 0; i < m->nfunctions; i++) {
        for (size_t a = 0; a < m->functions[i].nargs; a++)
            free(g.fns[i].args[a].pyname);
        free(g.fns[i].args);
        free(g.fns[i].pyname);
        free(g.fns[i].skip_buf);
    }
    free(g.fns);
    free(g.order);
    free(path);
    free(tmp);
    return rc;
}

int vbGenPython(const vbModel *m, const char *outdir, char **err)
{
    /* mkdir -p */
    char *dir = xstrdup(outdir);
    for (char *q = dir + 1;; q++) {
        if (*q != '/' && *q)
            continue;
        char c = *q;
        *q = 0;
        if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
            setErr(err, "%s: %s", dir, strerror(errno));
            free(dir);
            return -1;
        }
        *q = c;
        if (!c)
            break;
    }
    free(dir);
    int rc = genModule(m, outdir, false, err);
    if (rc == 0)
        rc = genModule(m, outdir, true, err);
    return rc;
}
