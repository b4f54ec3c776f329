/* gen_python_stubs.c — `virtbind-gen --python-stubs-out DIR`: PEP 484 stubs
 * for the `virtbind` package, derived from the classified model.
 *
 * Names come from gen_python_names.c (vbPyMethodName, vbPyGetterName,
 * vbPyArgOverride, vbPyHandwritten, vbPyAccessors ...); which C arguments
 * become Python parameters and what a call returns follows the argument
 * roles the same way generator/gen_python.c binds them (its classification is
 * private to it; tests/python/test_typing_stubs.py compares every stub with
 * the built module's signatures so the two cannot drift apart unnoticed).
 * Output is sorted and deterministic. */
#include "gen_python.h"
#include "gen_python_stubs.h"
#include "gen_python_aio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef vbPyStubParam stParam;
typedef vbPyStubFn stFn;

/* the model's enum types (gen_python_enums.c), for typing enum arguments */
static vbPyEnumTypes stEnums;

/* ------------------------------------------------------------ Python types */

static bool isScalar(vbTypeKind k)
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

static const char *scalarPy(vbTypeKind k)
{
    if (k == VB_T_DOUBLE)
        return "float";
    if (k == VB_T_BOOL)
        return "bool";
    return "int";
}

static bool isAncestor(const vbModel *m, int anc, int cls)
{
    for (int c = cls; c >= 0; c = m->classes[c].parent)
        if (c == anc)
            return true;
    return false;
}

static char *optional(const char *t, bool opt)
{
    return opt ? vbPrintf("Optional[%s]", t) : vbStrdup(t);
}

/* the struct outputs libvirt-python returns as a list (1) or tuple (2) of
 * their fields: the same table as gen_python.c's structShape */
static int structShape(const vbFunction *f)
{
    static const struct {
        const char *fn;
        int shape;
    } shaped[] = {
        { "virDomainBlockStats", 2 }, { "virDomainGetBlockInfo", 1 },
        { "virDomainGetControlInfo", 1 }, { "virDomainGetInfo", 1 },
        { "virDomainGetJobInfo", 1 }, { "virDomainInterfaceStats", 2 },
        { "virStoragePoolGetInfo", 1 }, { "virStorageVolGetInfo", 1 },
        { "virStorageVolGetInfoFlags", 1 },
    };
    for (size_t i = 0; i < sizeof(shaped) / sizeof(shaped[0]); i++)
        if (strcmp(shaped[i].fn, f->name) == 0)
            return shaped[i].shape;
    return 0;
}

static char *structPy(const vbModel *m, const vbFunction *f, const vbArg *a)
{
    int shape = structShape(f);
    if (!shape || a->ctype.kind != VB_T_STRUCT || a->ctype.ref < 0)
        return NULL;
    const vbStruct *s = &m->structs[a->ctype.ref];
    if (s->opaque || !s->nfields)
        return NULL;
    bool ints = true, floats = false;
    for (size_t i = 0; i < s->nfields; i++) {
        const vbCType *t = &s->fields[i].ctype;
        if (!(isScalar(t->kind) || t->kind == VB_T_UCHAR) || t->depth || t->array)
            return NULL;
        if (t->kind == VB_T_DOUBLE) {
            floats = true;
            ints = false;
        }
    }
    const char *elt = ints ? "int" : floats ? "Union[int, float]" : "int";
    if (shape == 1)
        return vbPrintf("list[%s]", elt);
    vbBuf b = {0};
    vbBufAdd(&b, "tuple[");
    for (size_t i = 0; i < s->nfields; i++)
        vbBufPrintf(&b, "%s%s", i ? ", " : "", scalarPy(s->fields[i].ctype.kind));
    vbBufAdd(&b, "]");
    return vbBufSteal(&b);
}

/* ------------------------------------------------- hand-written functions */

/* Types of the runtime's hand-written functions (bindings/python/
 * vbpy_overrides.c): parameter types in the order of the signature
 * vbPyHandwritten() gives (names and defaults come from there), and the
 * result as the runtime builds it. */
static const struct {
    const char *cname;
    const char *types[7];
    const char *ret;
    const char *raw;   /* full stub text (overloads), replaces the above */
} hwTypes[] = {
    { "virConnectDomainEventDeregister", { "_Callback" }, "None", NULL },
    { "virConnectDomainEventRegister",
      { "Callable[[virConnect, virDomain, int, int, _T], object]", "_T" }, "None", NULL },
    { "virConnectDomainQemuMonitorEventRegister",
      { "virConnect", "Optional[virDomain]", "Optional[str]",
        "Callable[[virConnect, virDomain, str, int, int, Optional[str], _T], object]", "_T", "int" },
      "int", NULL },
    { "virConnectGetAllDomainStats", { "int", "int" },
      "list[tuple[virDomain, dict[str, _TPValue]]]", NULL },
    { "virConnectOpenAuth", { "Optional[str]", "list[Any]", "int" }, "virConnect", NULL },
    { "virAdmConnectRegisterCloseCallback",
      { "Callable[[virAdmConnect, int, _T], object]", "_T" }, "int", NULL },
    { "virAdmConnectUnregisterCloseCallback", { NULL }, "None", NULL },
    { "virConnectRegisterCloseCallback", { "Callable[[virConnect, int, _T], object]", "_T" },
      "int", NULL },
    { "virConnectUnregisterCloseCallback", { NULL }, "None", NULL },
    { "virDomainGetBlockJobInfo", { "str", "int" }, "_BlockJobInfo", NULL },
    { "virDomainGetCPUStats", { "bool", "int" }, "list[dict[str, _TPValue]]", NULL },
    { "virDomainGetDiskErrors", { "int" }, "dict[str, int]", NULL },
    { "virDomainGetEmulatorPinInfo", { "int" }, "tuple[bool, ...]", NULL },
    { "virDomainGetFSInfo", { "int" }, "list[tuple[str, str, str, list[str]]]", NULL },
    { "virDomainGetIOThreadInfo", { "int" }, "list[tuple[int, list[bool]]]", NULL },
    { "virDomainGetJobStats", { "int" }, "dict[str, _TPValue]", NULL },
    { "virDomainGetSchedulerParameters", { NULL }, "dict[str, _TPValue]", NULL },
    { "virDomainGetSchedulerParametersFlags", { "int" }, "dict[str, _TPValue]", NULL },
    { "virDomainGetSecurityLabel", { NULL }, "list[Union[str, bool]]", NULL },
    { "virDomainGetSecurityLabelList", { NULL }, "list[list[Union[str, bool]]]", NULL },
    { "virDomainGetTime", { "int" }, "_DomainTime", NULL },
    { "virDomainGetVcpuPinInfo", { "int" }, "list[tuple[bool, ...]]", NULL },
    { "virDomainGetVcpus", { NULL },
      "tuple[list[tuple[int, int, int, int]], list[tuple[bool, ...]]]", NULL },
    { "virDomainInterfaceAddresses", { "int", "int" }, "dict[str, _Interface]", NULL },
    { "virDomainListGetStats", { "list[virDomain]", "int", "int" },
      "list[tuple[virDomain, dict[str, _TPValue]]]", NULL },
    { "virDomainLxcEnterNamespace", { "virDomain", "list[int]", "int" }, "list[int]", NULL },
    { "virDomainLxcEnterSecurityLabel", { "list[str]", "list[Union[str, bool]]", "int" },
      "list[Union[str, bool]]", NULL },
    { "virDomainMemoryStats", { NULL }, "dict[str, int]", NULL },
    { "virDomainQemuMonitorCommandWithFiles", { "virDomain", "str", "list[Any]", "int" },
      "tuple[str, list[Any]]", NULL },
    { "virDomainRevertToSnapshot", { "virDomainSnapshot", "int" }, "int", NULL },
    { "virDomainSetTime", { "Optional[Mapping[str, int]]", "int" }, "int", NULL },
    { "virEventAddHandle", { "int", "int", "Callable[[int, int, int, _T], object]", "_T" },
      "int", NULL },
    { "virEventAddTimeout", { "int", "Callable[[int, _T], object]", "_T" }, "int", NULL },
    { "virEventRegisterImpl",
      { "_Callback", "_Callback", "_Callback", "_Callback", "_Callback", "_Callback" }, "None",
      NULL },
    { "virGetVersion", { NULL }, NULL,
      "@overload\ndef getVersion(name: None = None) -> int: ...\n"
      "@overload\ndef getVersion(name: str) -> tuple[int, int]: ...\n" },
    { "virNetworkGetDHCPLeases", { "Optional[str]", "int" }, "list[_DHCPLease]", NULL },
    { "virNodeAllocPages", { "Mapping[int, int]", "int", "int", "int" }, "int", NULL },
    { "virNodeGetCPUMap", { "int" }, "tuple[int, list[bool], int]", NULL },
    { "virNodeGetCPUStats", { "int", "int" }, "dict[str, int]", NULL },
    { "virNodeGetFreePages", { "list[int]", "int", "int", "int" }, "dict[int, dict[int, int]]",
      NULL },
    { "virNodeGetInfo", { NULL }, "list[Union[str, int]]", NULL },
    { "virNodeGetMemoryStats", { "int", "int" }, "dict[str, int]", NULL },
    { "virNodeGetSecurityModel", { NULL }, "list[str]", NULL },
    { "virSetErrorFunc", { "Optional[Callable[[_T, _ErrorTuple], object]]", "_T" }, "int",
      NULL },
    { "virStreamEventAddCallback", { "int", "Callable[[virStream, int, _T], object]", "_T" },
      "None", NULL },
    { "virStreamRecvAll", { "Callable[[virStream, bytes, _T], object]", "_T" }, "None", NULL },
    { "virStreamSendAll", { "Callable[[virStream, int, _T], bytes]", "_T" }, "None", NULL },
    { "virStreamSparseRecvAll",
      { "Callable[[virStream, bytes, _T], object]", "Callable[[virStream, int, _T], object]", "_T" },
      "None", NULL },
    { "virStreamSparseSendAll",
      { "Callable[[virStream, int, _T], bytes]", "Callable[[virStream, _T], list[Any]]",
        "Callable[[virStream, int, _T], object]", "_T" },
      "None", NULL },
    { "virStreamRecv", { "int" }, "Union[bytes, int]", NULL },
    { "virStreamRecvFlags", { "int", "int" }, "Union[bytes, int]", NULL },
};

/* "name(a, b=0, c=None) -> ..." : the parameters */
static bool parseSignature(const char *sig, stFn *s, const char *const *types)
{
    const char *p = strchr(sig, '(');
    const char *e = p ? strchr(p, ')') : NULL;
    if (!p || !e)
        return false;
    char *inner = vbStrndup(p + 1, (size_t)(e - p - 1));
    s->params = vbAlloc(8 * sizeof(stParam));
    char *save = NULL;
    for (char *tok = strtok_r(inner, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (!*tok)
            continue;
        if (s->nparams >= 7 || !types[s->nparams]) {
            free(inner);
            return false;
        }
        stParam *pp = &s->params[s->nparams];
        char *eq = strchr(tok, '=');
        if (eq) {
            *eq = 0;
            pp->deflt = strcmp(eq + 1, "None") == 0 ? "None" : strcmp(eq + 1, "[]") == 0 ? "[]" : "0";
        }
        pp->name = vbStrdup(tok);
        const char *t = types[s->nparams];
        pp->type = (pp->deflt && strcmp(pp->deflt, "None") == 0 && strncmp(t, "Optional", 8) != 0)
                       ? vbPrintf("Optional[%s]", t)
                       : vbStrdup(t);
        s->nparams++;
    }
    free(inner);
    return true;
}

/* ------------------------------------------------------------ classifying */

static void classifyGeneric(const vbModel *m, stFn *s)
{
    const vbFunction *f = &m->functions[s->fn];
    bool addon = f->src == VB_SRC_QEMU || f->src == VB_SRC_LXC;
    s->host = (!addon && f->cls >= 0 && f->self_arg >= 0) ? f->cls : -1;
    s->params = vbAlloc((f->nargs + 1) * sizeof(stParam));
    char **outs = vbAlloc((f->nargs + 1) * sizeof(char *));
    size_t nouts = 0, nlists = 0;
    bool *hidden = vbAlloc((f->nargs + 1) * sizeof(bool));   /* lengths the stub supplies */
    char **ptype = vbAlloc((f->nargs + 1) * sizeof(char *));
    bool ok = true;

    for (size_t i = 0; i < f->nargs && ok; i++) {
        const vbArg *a = &f->args[i];
        const vbCType *t = &a->ctype;
        switch (a->role) {
        case VB_ROLE_SELF:
            if (s->host >= 0 && (int)i == f->self_arg) {
                hidden[i] = true;
                break;
            }
            __attribute__((fallthrough));
        case VB_ROLE_OBJECT:
            if (t->kind != VB_T_OBJECT || t->depth != 1 || t->ref < 0 || a->dir != VB_DIR_IN) {
                ok = false;
                break;
            }
            ptype[i] = optional(m->classes[t->ref].name, a->nullable);
            break;
        case VB_ROLE_SCALAR:
        case VB_ROLE_FLAGS:
            if (!isScalar(t->kind) || t->depth || a->dir != VB_DIR_IN) {
                ok = false;
                break;
            }
            ptype[i] = vbStrdup(scalarPy(t->kind));
            break;
        case VB_ROLE_STRING:
            if (t->kind != VB_T_CHAR || t->depth != 1 || a->dir != VB_DIR_IN) {
                ok = false;
                break;
            }
            ptype[i] = optional("str", a->nullable);
            break;
        case VB_ROLE_OUT_SCALAR:
            if (!isScalar(t->kind) || t->kind == VB_T_ENUM || t->depth != 1 || a->dir != VB_DIR_OUT) {
                ok = false;
                break;
            }
            hidden[i] = true;
            outs[nouts++] = vbStrdup(scalarPy(t->kind));
            break;
        case VB_ROLE_OUT_STRING:
            if (t->kind != VB_T_CHAR || t->depth != 2 || a->dir != VB_DIR_OUT) {
                ok = false;
                break;
            }
            hidden[i] = true;
            outs[nouts++] = vbStrdup("str");
            break;
        case VB_ROLE_OUT_STRING_BUF:
            hidden[i] = true;
            outs[nouts++] = vbStrdup("str");
            break;
        case VB_ROLE_OUT_BYTES_BUF:
            hidden[i] = true;
            outs[nouts++] = vbStrdup("bytes");
            break;
        case VB_ROLE_OUT_STRUCT: {
            char *st = structPy(m, f, a);
            if (!st) {
                ok = false;
                break;
            }
            hidden[i] = true;
            outs[nouts++] = st;
            break;
        }
        case VB_ROLE_BYTES:
            if (strcmp(a->name, "cpumap") == 0 && a->pair >= 0 && s->host >= 0)
                ptype[i] = vbStrdup("tuple[bool, ...]");
            else
                ptype[i] = optional("bytes", a->nullable);
            break;
        case VB_ROLE_INT_ARRAY:
            ptype[i] = vbStrdup("Union[list[int], tuple[int, ...]]");
            break;
        case VB_ROLE_STRING_ARRAY:
            ptype[i] = optional("Union[list[str], tuple[str, ...]]", a->nullable || a->optional);
            break;
        case VB_ROLE_TYPED_PARAMS:
            if ((int)i != f->tp_params_arg || f->tp_count_arg < 0) {
                ok = false;
                break;
            }
            if (f->tp_use == VB_TP_INPUT && a->dir == VB_DIR_IN) {
                ptype[i] = optional("Mapping[str, _TPInput]", a->nullable || a->optional);
            } else if (f->tp_use == VB_TP_CALLER_ALLOC || f->tp_use == VB_TP_LIB_ALLOC) {
                hidden[i] = true;
                outs[nouts++] = vbStrdup("dict[str, _TPValue]");
            } else {
                ok = false;
            }
            break;
        case VB_ROLE_LENGTH:
            hidden[i] = true;   /* decided below */
            break;
        case VB_ROLE_OUT_ARRAY:
            hidden[i] = true;
            nlists++;
            if (t->kind == VB_T_OBJECT && t->ref >= 0)
                outs[nouts++] = vbPrintf("list[%s]", m->classes[t->ref].name);
            else if (t->kind == VB_T_CHAR)
                outs[nouts++] = vbStrdup("list[str]");
            else if (t->kind == VB_T_INT)
                outs[nouts++] = vbStrdup("list[int]");
            else
                ok = false;
            break;
        case VB_ROLE_OUT_NAME_ARRAY:
            hidden[i] = true;
            nlists++;
            outs[nouts++] = vbStrdup("list[str]");
            break;
        case VB_ROLE_OUT_INT_ARRAY:
            hidden[i] = true;
            nlists++;
            outs[nouts++] = vbStrdup("list[int]");
            break;
        default:
            ok = false;
            break;
        }
    }
    /* lengths that stay parameters: the size of a sized output, a visible count */
    for (size_t i = 0; i < f->nargs && ok; i++) {
        const vbArg *a = &f->args[i];
        if (a->role != VB_ROLE_LENGTH || (int)i == f->tp_count_arg || a->pair < 0)
            continue;
        const vbArg *partner = &f->args[a->pair];
        bool sized = (partner->role == VB_ROLE_OUT_BYTES_BUF && f->ret.kind == VB_RET_STATUS &&
                      a->ctype.kind == VB_T_SIZE && a->dir == VB_DIR_IN) ||
                     (partner->role == VB_ROLE_OUT_INT_ARRAY && !strstr(f->name, "List") &&
                      partner->ctype.kind == VB_T_ULLONG && !partner->size);
        if (sized || (partner->role == VB_ROLE_INT_ARRAY && vbPyVisibleCount(f->name, a->name))) {
            hidden[i] = false;
            ptype[i] = vbStrdup(scalarPy(a->ctype.kind));
        }
        if (a->dir != VB_DIR_IN)
            ok = false;   /* an inout length (lxcEnterNamespace) */
    }
    if (nlists && nouts > 1)
        ok = false;
    if (f->ret.kind == VB_RET_ERROR && f->ret.transfer != VB_TRANSFER_NONE)
        ok = false;
    if (f->ret.kind == VB_RET_OBJECT && f->returns_cls < 0)
        ok = false;
    if (f->ret.kind == VB_RET_TYPED_PARAM)
        ok = false;

    if (ok) {
        for (size_t i = 0; i < f->nargs; i++) {
            if (hidden[i] || !ptype[i])
                continue;
            const vbArg *a = &f->args[i];
            stParam *pp = &s->params[s->nparams++];
            const char *pyname = strcmp(a->name, "from") == 0 ? "frm" : a->name;
            bool has_default = !addon && (a->optional || strcmp(a->name, "flags") == 0);
            vbPyArgOverride(f->name, a->name, &pyname, &has_default);
            pp->name = vbStrdup(pyname);
            if (has_default) {
                bool scalar = strcmp(ptype[i], "int") == 0 || strcmp(ptype[i], "float") == 0 ||
                              strcmp(ptype[i], "bool") == 0;
                pp->deflt = scalar ? "0" : "None";
                pp->type = scalar || strncmp(ptype[i], "Optional[", 9) == 0
                               ? vbStrdup(ptype[i])
                               : vbPrintf("Optional[%s]", ptype[i]);
            } else {
                pp->type = vbStrdup(ptype[i]);
            }
            /* an int the XML's info text ties to enum types: also accept them */
            if (strcmp(pp->type, "int") == 0 && (a->role == VB_ROLE_FLAGS || a->role == VB_ROLE_SCALAR))
                pp->enum_type = vbPyEnumUnion(&stEnums, a->info, f->src == VB_SRC_ADMIN, "int");
        }
        /* parameters after a defaulted one keep no default only if required:
         * Python needs defaults to be trailing, as the binding's parser does */
        bool seen_required = false;
        for (size_t i = s->nparams; i-- > 0;) {
            if (!s->params[i].deflt)
                seen_required = true;
            else if (seen_required)
                s->params[i].deflt = NULL;
        }
        /* the result */
        bool ret_value = f->ret.kind == VB_RET_STRING || f->ret.kind == VB_RET_OBJECT ||
                         f->ret.kind == VB_RET_BYTES || f->ret.kind == VB_RET_ERROR ||
                         f->ret.kind == VB_RET_ULLONG || f->ret.kind == VB_RET_ULONG_ZERO_ERR ||
                         (nouts == 0 && f->ret.kind != VB_RET_VOID);
        if (f->kind == VB_FN_EVENT_DEREGISTER)
            ret_value = false;
        char *rv = NULL;
        if (ret_value) {
            switch (f->ret.kind) {
            case VB_RET_STRING: rv = optional("str", vbPyNoExcept(f->name)); break;
            case VB_RET_BYTES: rv = vbStrdup("bytes"); break;
            case VB_RET_ERROR: rv = vbStrdup("Optional[_ErrorTuple]"); break;
            case VB_RET_OBJECT: rv = vbStrdup(m->classes[f->returns_cls].name); break;
            default:
                rv = vbStrdup(isScalar(f->ret.ctype.kind) ? scalarPy(f->ret.ctype.kind) : "int");
                /* converted to its enum type by virtbind/__init__.py
                 * (enums.__virtbind_enum_returns__, same rule) */
                if (f->src == VB_SRC_MAIN && f->kind == VB_FN_METHOD && s->host == f->cls &&
                    strcmp(rv, "int") == 0 && nouts == 0 && vbPyEnumReturn(m, &stEnums, s->fn) >= 0)
                    s->enum_ret = vbStrdup(stEnums.t[vbPyEnumReturn(m, &stEnums, s->fn)].pyname);
                break;
            }
        }
        size_t nvals = nouts + (rv ? 1 : 0);
        if (nvals == 0) {
            s->ret = vbStrdup("None");
        } else if (nvals == 1) {
            s->ret = rv ? rv : vbStrdup(outs[0]);
            rv = NULL;
        } else if (rv) {
            vbBuf b = {0};
            vbBufPrintf(&b, "tuple[%s", rv);
            for (size_t i = 0; i < nouts; i++)
                vbBufPrintf(&b, ", %s", outs[i]);
            vbBufAdd(&b, "]");
            s->ret = vbBufSteal(&b);
        } else {
            /* outputs only: a list (dom.state() -> [state, reason]) */
            bool same = true;
            for (size_t i = 1; i < nouts; i++)
                same = same && strcmp(outs[i], outs[0]) == 0;
            if (same) {
                s->ret = vbPrintf("list[%s]", outs[0]);
            } else {
                vbBuf b = {0};
                vbBufAdd(&b, "list[Union[");
                for (size_t i = 0; i < nouts; i++)
                    vbBufPrintf(&b, "%s%s", i ? ", " : "", outs[i]);
                vbBufAdd(&b, "]]");
                s->ret = vbBufSteal(&b);
            }
        }
        free(rv);
        s->pyname = vbPyMethodName(m, s->fn, s->host);
        s->bound = true;
    }
    for (size_t i = 0; i < f->nargs; i++)
        free(ptype[i]);
    for (size_t i = 0; i < nouts; i++)
        free(outs[i]);
    free(ptype);
    free(outs);
    free(hidden);
}

static void classify(const vbModel *m, stFn *s, bool admin)
{
    const vbFunction *f = &m->functions[s->fn];
    s->host = -1;
    /* the admin API is the module virtbind_admin; virAdmInitialize runs at import */
    bool also = admin && vbPyAdminAlsoBinds(f->name);   /* the default loop, in virtbind_admin */
    if (((f->src == VB_SRC_ADMIN) != admin && !also) || vbPyDeferredReason(f->name) ||
        strcmp(f->name, "virAdmInitialize") == 0)
        return;
    const char *hw = vbPyHandwritten(f->name);
    if (hw) {
        for (size_t i = 0; i < sizeof(hwTypes) / sizeof(hwTypes[0]); i++) {
            if (strcmp(hwTypes[i].cname, f->name) != 0)
                continue;
            if (f->cls >= 0 && f->self_arg >= 0 && f->src != VB_SRC_QEMU && f->src != VB_SRC_LXC)
                s->host = f->cls;
            if (vbPyHandwrittenHost(f->name))
                s->host = vbModelFindClass(m, vbPyHandwrittenHost(f->name));
            s->pyname = vbPyMethodName(m, s->fn, s->host);
            s->raw = hwTypes[i].raw;
            if (s->raw || parseSignature(hw, s, hwTypes[i].types)) {
                s->ret = vbStrdup(hwTypes[i].ret ? hwTypes[i].ret : "None");
                s->bound = true;
            } else {
                fprintf(stderr, "virtbind-gen: stubs: cannot type %s: %s\n", f->name, hw);
            }
            return;
        }
        /* a hand-written function this table does not know yet: its names and
         * defaults from the signature, its types unchecked (Any) */
        static const char *const anyTypes[7] = { "Any", "Any", "Any", "Any", "Any", "Any", "Any" };
        fprintf(stderr, "virtbind-gen: stubs: hand-written %s has no type entry: typed as Any\n",
                f->name);
        if (f->cls >= 0 && f->self_arg >= 0 && f->src != VB_SRC_QEMU && f->src != VB_SRC_LXC)
            s->host = f->cls;
        if (vbPyHandwrittenHost(f->name))
            s->host = vbModelFindClass(m, vbPyHandwrittenHost(f->name));
        s->pyname = vbPyMethodName(m, s->fn, s->host);
        if (parseSignature(hw, s, anyTypes)) {
            s->ret = vbStrdup("Any");
            s->bound = true;
        }
        return;
    }
    switch (f->kind) {
    case VB_FN_REF:
    case VB_FN_TYPED_PARAMS_HELPER:
        return;
    case VB_FN_FREE:
        if (f->cls >= 0 && m->classes[f->cls].free_fn == s->fn && strstr(f->name, "Close")) {
            s->host = f->cls;
            s->pyname = vbStrdup("close");
            s->ret = vbStrdup("int");
            s->params = vbAlloc(sizeof(stParam));
            s->bound = true;
        }
        return;
    case VB_FN_PARENT_GETTER:
        if (f->cls >= 0 && f->returns_cls >= 0 &&
            isAncestor(m, f->returns_cls, m->classes[f->cls].parent)) {
            s->host = f->cls;
            s->pyname = vbPyGetterName(m, s->fn);
            s->ret = vbStrdup(m->classes[f->returns_cls].name);
            s->params = vbAlloc(sizeof(stParam));
            s->bound = true;
        }
        return;
    case VB_FN_EVENT_REGISTER:
    case VB_FN_EVENT_DEREGISTER: {
        int fam = f->event_family;
        const vbEventFamily *ef = fam >= 0 ? &m->families[fam] : NULL;
        if (f->kind == VB_FN_EVENT_DEREGISTER && f->src == VB_SRC_QEMU)
            break;   /* qemuMonitorEventDeregister(conn, callbackID): an ordinary function */
        if (!ef || !ef->id_enum_type || ef->object_class < 0 || f->src != VB_SRC_MAIN)
            return;
        if (f->kind == VB_FN_EVENT_REGISTER) {
            s->host = f->cls;
            s->pyname = vbPyMethodName(m, s->fn, s->host);
            s->event_register = true;
            s->bound = true;
            return;
        }
        break;
    }
    default:
        break;
    }
    for (size_t i = 0; i < f->nargs; i++) {
        vbArgRole r = f->args[i].role;
        if (r == VB_ROLE_CALLBACK || r == VB_ROLE_OPAQUE || r == VB_ROLE_FREE_FUNC ||
            r == VB_ROLE_AUTH || r == VB_ROLE_ERROR_OUT || r == VB_ROLE_ERROR_IN ||
            r == VB_ROLE_STATS_OUT || r == VB_ROLE_STATS_IN || r == VB_ROLE_STRUCT_IN ||
            r == VB_ROLE_OBJECT_ARRAY || r == VB_ROLE_OUT_STRUCT_ARRAY)
            return;
    }
    classifyGeneric(m, s);
}

/* ---------------------------------------------------------------- output */

static int cmpStr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct {
    const vbModel *m;
    stFn *fns;
    int *order;   /* bound functions sorted by Python name */
    size_t n;
    bool admin;   /* the module virtbind_admin */
} stGen;

static void emitDef(vbBuf *b, const stFn *s, const char *indent, bool method)
{
    vbBufPrintf(b, "%sdef %s(%s", indent, s->pyname, method ? "self" : "");
    for (size_t i = 0; i < s->nparams; i++) {
        const stParam *p = &s->params[i];
        vbBufPrintf(b, "%s%s: %s", (i || method) ? ", " : "", p->name,
                    p->enum_type ? p->enum_type : p->type);
        if (p->deflt)
            vbBufPrintf(b, " = %s", p->deflt);
    }
    vbBufPrintf(b, ") -> %s: ...\n", s->enum_ret ? s->enum_ret : s->ret);
}

/* The callback type of one event ID: cb(conn, obj, payload..., opaque). */
static char *eventCallbackType(const vbModel *m, const vbFunction *ft, const char *conn)
{
    vbBuf b = {0};
    const vbArg *obj = &ft->args[1];
    const char *objcls = obj->ctype.kind == VB_T_OBJECT && obj->ctype.ref >= 0
                             ? m->classes[obj->ctype.ref].name
                             : "Any";
    vbBufPrintf(&b, "Callable[[%s, %s", conn, objcls);
    for (size_t i = 2; i + 1 < ft->nargs; i++) {
        const vbArg *a = &ft->args[i];
        if (a->role == VB_ROLE_LENGTH || a->role == VB_ROLE_OPAQUE)
            continue;
        if (a->role == VB_ROLE_TYPED_PARAMS)
            vbBufAdd(&b, ", dict[str, _TPValue]");
        else if (a->ctype.kind == VB_T_STRUCT && a->ctype.base &&
                 strcmp(a->ctype.base, "virDomainEventGraphicsAddress") == 0)
            vbBufAdd(&b, ", Optional[dict[str, Union[int, str]]]");
        else if (a->ctype.kind == VB_T_STRUCT && a->ctype.base &&
                 strcmp(a->ctype.base, "virDomainEventGraphicsSubject") == 0)
            vbBufAdd(&b, ", Optional[list[tuple[str, str]]]");
        else if (a->ctype.kind == VB_T_CHAR)
            vbBufAdd(&b, a->nullable ? ", Optional[str]" : ", str");
        else
            vbBufPrintf(&b, ", %s", scalarPy(a->ctype.kind));
    }
    vbBufAdd(&b, ", _T], object]");
    return vbBufSteal(&b);
}

static int cmpEventValue(const void *a, const void *b, void *ctx)
{
    const vbModel *m = ctx;
    long long x = m->enums[m->events[*(const int *)a].enum_const].value;
    long long y = m->enums[m->events[*(const int *)b].enum_const].value;
    return x < y ? -1 : x > y;
}

/* "VIR_DOMAIN_EVENT_ID_LIFECYCLE" -> "domain_event_lifecycle" (as the
 * extension names its typed registration methods; gen_python.c eventSnake). */
static char *stEventSnake(const char *cname, char **fam)
{
    const char *idp = strstr(cname, "_EVENT_ID_");
    if (!idp || strncmp(cname, "VIR_", 4) != 0)
        return NULL;
    char *s = vbPrintf("%.*s_event_%s", (int)(idp - cname - 4), cname + 4, idp + 10);
    for (char *q = s; *q; q++)
        *q = (char)(*q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q);
    if (fam)
        *fam = vbPrintf("%.*s", (int)(strstr(s, "_event_") - s), s);
    return s;
}

/* A callback type with its opaque (the last _T) as None: the form without opaque. */
static const char *stReplaceT(char *cb)
{
    char *at = strstr(cb, ", _T], object]");
    static char buf[1024];
    if (!at)
        return cb;
    snprintf(buf, sizeof(buf), "%.*s, None], object]", (int)(at - cb), cb);
    return buf;
}

static int cmpEventName(const void *a, const void *b, void *ctx)
{
    const vbModel *m = ctx;
    return strcmp(m->enums[m->events[*(const int *)a].enum_const].name,
                  m->enums[m->events[*(const int *)b].enum_const].name);
}

/* <family>EventRegisterAny: one overload per event ID, so the callback's
 * signature is checked against the ID's callback type. */
static void emitEventRegister(vbBuf *b, const vbModel *m, const stFn *s)
{
    const vbFunction *f = &m->functions[s->fn];
    const vbEventFamily *ef = &m->families[f->event_family];
    const char *objcls = m->classes[ef->object_class].name;
    int *ev = vbAlloc((m->nevents + 1) * sizeof(int));
    size_t nev = 0;
    for (size_t i = 0; i < m->nevents; i++)
        if (m->events[i].family == f->event_family && m->events[i].functype >= 0)
            ev[nev++] = (int)i;
    qsort_r(ev, nev, sizeof(int), cmpEventValue, (void *)m);
    for (size_t i = 0; i < nev; i++) {
        const vbEventId *e = &m->events[ev[i]];
        const vbFunction *ft = &m->functypes[e->functype];
        if (ft->nargs < 3)
            continue;
        char *cb = eventCallbackType(m, ft, "virConnect");
        if (nev > 1)
            vbBufPrintf(b, "    @overload  # %s: %s\n", m->enums[e->enum_const].name, ft->name);
        else
            vbBufPrintf(b, "    # %s: %s\n", m->enums[e->enum_const].name, ft->name);
        vbBufPrintf(b, "    def %s(self, %s: Optional[%s], eventID: Literal[%lld], cb: %s, "
                       "opaque: _T) -> int: ...\n",
                    s->pyname, f->args[1].name, objcls, m->enums[e->enum_const].value, cb);
        free(cb);
    }
    /* the typed methods: <family>_event_<id>_register(callback, obj=None,
     * opaque=None), and <family>_event_deregister(callbackID) */
    qsort_r(ev, nev, sizeof(int), cmpEventName, (void *)m);
    char *fam = NULL;
    for (size_t i = 0; i < nev; i++) {
        const vbEventId *e = &m->events[ev[i]];
        const vbFunction *ft = &m->functypes[e->functype];
        if (ft->nargs < 3)
            continue;
        char *sn = stEventSnake(m->enums[e->enum_const].name, fam ? NULL : &fam);
        if (!sn)
            continue;
        char *cb = eventCallbackType(m, ft, "virConnect");
        if (e->tp_group >= 0) {
            char *cls = vbPrintf(", _typed.%sParams", m->tp_groups[e->tp_group].name);
            char *at = strstr(cb, ", dict[str, _TPValue]");
            if (at) {
                vbBuf nb = {0};
                vbBufPrintf(&nb, "%.*s%s%s", (int)(at - cb), cb, cls,
                            at + strlen(", dict[str, _TPValue]"));
                free(cb);
                cb = vbBufSteal(&nb);
            }
            free(cls);
        }
        /* opaque defaults to None: the callback's last parameter is then None */
        vbBufPrintf(b, "    @overload\n"
                       "    def %s_register(self, callback: %s, %s: Optional[%s] = None) -> int: ...\n"
                       "    @overload\n"
                       "    def %s_register(self, callback: %s, %s: Optional[%s], opaque: _T) -> int: ...\n"
                       "    @overload\n"
                       "    def %s_register(self, callback: %s, %s: Optional[%s] = None, *, opaque: _T) -> int: ...\n",
                    sn, stReplaceT(cb), f->args[1].name, objcls, sn, cb, f->args[1].name, objcls,
                    sn, cb, f->args[1].name, objcls);
        free(cb);
        free(sn);
    }
    if (fam)
        vbBufPrintf(b, "    def %s_event_deregister(self, callbackID: int) -> None: ...\n", fam);
    free(fam);
    free(ev);
}

static int cmpPy(const void *a, const void *b, void *ctx)
{
    const stGen *g = ctx;
    const stFn *x = &g->fns[*(const int *)a], *y = &g->fns[*(const int *)b];
    int c = strcmp(x->pyname, y->pyname);
    return c ? c : strcmp(g->m->functions[x->fn].name, g->m->functions[y->fn].name);
}

static bool hasMethod(const stGen *g, int c, const char *name)
{
    for (size_t k = 0; k < g->n; k++)
        if (g->fns[g->order[k]].host == c && strcmp(g->fns[g->order[k]].pyname, name) == 0)
            return true;
    return false;
}

static void pyStrLit(vbBuf *b, const char *s)
{
    vbBufAdd(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            vbBufPrintf(b, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            vbBufPrintf(b, "\\x%02x", *p);
        else
            vbBufAddN(b, (const char *)p, 1);
    }
    vbBufAdd(b, "\"");
}

void vbPyStubHeader(const vbModel *m, vbBuf *b, const char *file, const char *what)
{
    vbBufPrintf(b, "# %s — GENERATED by virtbind-gen --python-stubs-out\n"
                   "# (generator/gen_python_stubs.c, generator/gen_python_typed.c,\n"
                   "# generator/gen_python_names.c): %s\n# Do not edit: change the generator "
                   "or the annotations and regenerate.\n#\n# Inputs:\n",
                file, what);
    for (int s = 0; s < VB_SRC_COUNT; s++)
        vbBufPrintf(b, "#   %-6s %s\n", vbSourceName((vbSource)s),
                    m->paths[s] ? m->paths[s] : "(none)");
    vbBufPrintf(b, "#   annotations %s\n", m->annotations_path ? m->annotations_path : "(none)");
}

static void emitInit(const stGen *g, vbBuf *b)
{
    const vbModel *m = g->m;
    if (g->admin)
        vbPyStubHeader(m, b, "virtbind_admin.pyi",
                       "types of every function, class,\n# method and constant of the module "
                       "virtbind_admin (libvirt's admin API).");
    else
        vbPyStubHeader(m, b, "virtbind/__init__.pyi",
                       "types of every function, class,\n# method and constant of the virtbind "
                       "package.");
    vbBufPrintf(b,
             "from typing import Any, Callable, Final, Literal, Mapping, Optional, TypedDict, "
             "TypeVar, Union, overload\n\n"
             "_T = TypeVar(\"_T\")\n"
             "%s"
             "# a typed parameter's value as the binding returns it\n"
             "_TPValue = Union[int, float, bool, str]\n"
             "# what a typed-parameter setter accepts per field (repeatable fields: a list)\n"
             "_TPInput = Union[int, float, bool, str, list[str]]\n"
             "# virGetLastError()/libvirtError.err: (code, domain, message, level, str1, str2, "
             "str3, int1, int2)\n"
             "_ErrorTuple = tuple[int, int, Optional[str], int, Optional[str], Optional[str], "
             "Optional[str], int, int]\n"
             "_Callback = Callable[..., object]\n\n",
             g->admin ? "from virtbind_admin_enums import *\n"
                      : "from threading import Thread as _Thread\n"
                        "from virtbind import typed as _typed\n"
                        "from virtbind import errors as errors\n"
                        "from virtbind.enums import *\n");
    if (!g->admin)
        vbBufAdd(b,
             "# the dict shapes of hand-written results (plain dicts at runtime)\n"
             "class _InterfaceAddress(TypedDict):\n"
             "    addr: Optional[str]\n    prefix: int\n    type: int\n"
             "class _Interface(TypedDict):\n"
             "    hwaddr: Optional[str]\n    addrs: list[_InterfaceAddress]\n"
             "class _DHCPLease(TypedDict):\n"
             "    iface: Optional[str]\n    expirytime: int\n    type: int\n"
             "    mac: Optional[str]\n    iaid: Optional[str]\n    ipaddr: Optional[str]\n"
             "    prefix: int\n    hostname: Optional[str]\n    clientid: Optional[str]\n"
             "class _BlockJobInfo(TypedDict, total=False):  # {} when there is no job\n"
             "    type: int\n    bandwidth: int\n    cur: int\n    end: int\n"
             "class _DomainTime(TypedDict):\n"
             "    seconds: int\n    nseconds: int\n\n");
    vbBufAdd(b,
             "__virtbind_manifest__: dict[str, str]\n"
             "__virtbind_internal__: dict[str, str]\n"
             "__virtbind_skipped__: tuple[str, ...]\n"
             "__virtbind_skip_reasons__: dict[str, str]\n"
             "__virtbind_libvirt_so__: str\n"
             "__virtbind_skipped_constants__: dict[str, str]\n");
    vbBufAdd(b, g->admin ? "__virtbind_libvirt_admin_so__: str\n\n"
                         : "__virtbind_enum_types__: dict[str, str]\n\n");
    /* libvirtError */
    vbBufAdd(b, "class libvirtError(Exception):\n"
                "    err: Optional[_ErrorTuple]\n"
                "    def __init__(self, defmsg: str) -> None: ...\n");
    static const struct {
        const char *name, *type;
    } getters[] = {
        { "get_error_code", "Optional[int]" }, { "get_error_domain", "Optional[int]" },
        { "get_error_level", "Optional[int]" }, { "get_error_message", "Optional[str]" },
        { "get_int1", "Optional[int]" }, { "get_int2", "Optional[int]" },
        { "get_str1", "Optional[str]" }, { "get_str2", "Optional[str]" },
        { "get_str3", "Optional[str]" },
    };
    for (size_t i = 0; i < sizeof(getters) / sizeof(getters[0]); i++)
        vbBufPrintf(b, "    def %s(self) -> %s: ...\n", getters[i].name, getters[i].type);
    vbBufAdd(b, "\n");

    /* classes, by name */
    int *cls = vbAlloc((m->nclasses + 1) * sizeof(int));
    size_t ncls = 0;
    for (size_t c = 0; c < m->nclasses; c++)
        if ((m->classes[c].src == VB_SRC_ADMIN) == g->admin)
            cls[ncls++] = (int)c;
    for (size_t i = 1; i < ncls; i++)
        for (size_t j = i; j > 0 && strcmp(m->classes[cls[j - 1]].name, m->classes[cls[j]].name) > 0; j--) {
            int t = cls[j];
            cls[j] = cls[j - 1];
            cls[j - 1] = t;
        }
    for (size_t ci = 0; ci < ncls; ci++) {
        int c = cls[ci];
        const char *cn = m->classes[c].name;
        vbBufPrintf(b, "class %s:\n", cn);
        for (size_t k = 0; vbPyClassAttrs[k].cls; k++)
            if (strcmp(vbPyClassAttrs[k].cls, cn) == 0)
                vbBufPrintf(b, "    %s: int\n", vbPyClassAttrs[k].name);
        /* classes released by a Close function are context managers */
        if (m->classes[c].free_fn >= 0 && strstr(m->functions[m->classes[c].free_fn].name, "Close"))
            vbBufPrintf(b, "    def __enter__(self) -> %s: ...\n"
                           "    def __exit__(self, *args: object) -> None: ...\n", cn);
        /* methods and accessors, by Python name */
        char **names = vbAlloc((g->n + 8) * sizeof(char *));
        size_t nn = 0;
        for (size_t k = 0; k < g->n; k++)
            if (g->fns[g->order[k]].host == c)
                names[nn++] = vbPrintf("%s\t%d", g->fns[g->order[k]].pyname, g->order[k]);
        for (size_t k = 0; vbPyAccessors[k].pyname; k++) {
            const vbPyAccessor *a = &vbPyAccessors[k];
            int anc = vbModelFindClass(m, a->ancestor);
            if ((a->cls && strcmp(a->cls, cn) != 0) || anc < 0 || anc == c ||
                !isAncestor(m, anc, c) || hasMethod(g, c, a->pyname))
                continue;
            names[nn++] = vbPrintf("%s\t-%zu", a->pyname, k + 1);
        }
        names[nn++] = vbStrdup("c_pointer\t-1000");
        if (!g->admin && strcmp(cn, "virConnect") == 0)
            names[nn++] = vbStrdup("supports\t-1001");
        qsort(names, nn, sizeof(char *), cmpStr);
        for (size_t k = 0; k < nn; k++) {
            char *tab = strchr(names[k], '\t');
            long id = strtol(tab + 1, NULL, 10);
            *tab = 0;
            if (id == -1000) {
                vbBufAdd(b, "    def c_pointer(self) -> int: ...\n");
            } else if (id == -1001) {
                /* virtbind/_features.py, attached at import */
                vbBufAdd(b, "    def supports(self, name: str) -> bool: ...\n");
            } else if (id < 0) {
                vbBufPrintf(b, "    def %s(self) -> %s: ...\n", names[k],
                            vbPyAccessors[-id - 1].ancestor);
            } else {
                const stFn *s = &g->fns[id];
                if (s->event_register)
                    emitEventRegister(b, m, s);
                else
                    emitDef(b, s, "    ", true);
            }
            free(names[k]);
        }
        free(names);
        if (!g->admin)   /* typed helpers as methods: dom.get_block_io_tune (gen_python_typed.c) */
            vbPyTypedClassStubs(m, g->fns, c, false, b);
        vbBufAdd(b, "\n");
    }
    free(cls);

    /* module functions */
    if (!g->admin)
        vbBufAdd(b, "def _eventInvokeHandleCallback(watch: int, fd: int, events: int, opaque: Any) "
                    "-> None: ...\n"
                    "def _eventInvokeTimeoutCallback(timer: int, opaque: Any) -> None: ...\n"
                    "def virEventInvokeFreeCallback(opaque: Any) -> None: ...\n"
                    "# libvirt's default event loop in a daemon thread (virtbind/_events.py)\n"
                    "def event_loop_start() -> _Thread: ...\n"
                    "def event_loop_stop(timeout: float = 5.0) -> bool: ...\n"
                    "def event_loop_running() -> bool: ...\n"
                    "# feature detection (virtbind/_features.py)\n"
                    "def supports(name: str) -> bool: ...\n"
                    "def requires(what: str, conn: Optional[virConnect] = None) -> None: ...\n");
    for (size_t k = 0; k < g->n; k++) {
        const stFn *s = &g->fns[g->order[k]];
        if (s->host >= 0)
            continue;
        if (s->raw)
            vbBufAdd(b, s->raw);
        else
            emitDef(b, s, "", false);
    }
    vbBufAdd(b, "\n");

    /* constants, as the extension defines them (gen_python.c's rules:
     * vbPyEnumDropped, vbPyMacroConstant); function-like macros are the
     * Python functions of virtbind/_macros.py, with their typed signature */
    char **lines = vbAlloc((m->nenums + m->nmacros + 1) * sizeof(char *));
    size_t nl = 0;
    for (size_t i = 0; i < m->nenums; i++)
        if (!vbPyEnumDropped(m, i) && (!g->admin || m->enums[i].src == VB_SRC_ADMIN))
            lines[nl++] = vbPrintf("%s: Final = %lld\n", m->enums[i].name, m->enums[i].value);
    for (size_t i = 0; i < m->nmacros; i++) {
        const vbMacro *mc = &m->macros[i];
        if (g->admin && mc->src != VB_SRC_ADMIN)
            continue;
        long long value = 0;
        const char *sig = NULL;
        char *reason = NULL;
        vbBuf l = {0};
        switch (vbPyMacroConstant(m, i, &value, &sig, &reason)) {
        case VB_PY_CONST_INT:
            vbBufPrintf(&l, "%s: Final = %lld\n", mc->name, value);
            break;
        case VB_PY_CONST_STR:
            vbBufPrintf(&l, "%s: Final = ", mc->name);
            pyStrLit(&l, mc->string);
            vbBufAdd(&l, "\n");
            break;
        case VB_PY_CONST_FUNC:
            vbBufPrintf(&l, "def %s%s: ...\n", mc->name, sig);
            break;
        default:
            break;
        }
        free(reason);
        if (l.s)
            lines[nl++] = vbBufSteal(&l);
    }
    qsort(lines, nl, sizeof(char *), cmpStr);
    for (size_t i = 0; i < nl; i++) {
        vbBufAdd(b, lines[i]);
        free(lines[i]);
    }
    free(lines);
}

/* compat modules: libvirt re-exports virtbind; libvirt_qemu / libvirt_lxc
 * their functions and constants */
static void emitCompat(const stGen *g, vbBuf *lv, vbBuf *qemu, vbBuf *lxc)
{
    const vbModel *m = g->m;
    vbPyStubHeader(m, lv, "compat/libvirt.pyi", "libvirt-python's `libvirt` over virtbind.");
    vbBufAdd(lv, "from typing import Any, Callable, TypeVar\n\n"
                 "from virtbind import *\n"
                 "from virtbind import libvirtError as libvirtError\n"
                 "from virtbind import _eventInvokeHandleCallback as _eventInvokeHandleCallback\n"
                 "from virtbind import _eventInvokeTimeoutCallback as _eventInvokeTimeoutCallback\n"
                 "from virtbind import __virtbind_manifest__ as __virtbind_manifest__\n"
                 "from virtbind import __virtbind_skipped__ as __virtbind_skipped__\n"
                 "from virtbind import __virtbind_skip_reasons__ as __virtbind_skip_reasons__\n"
                 "import libvirtmod as libvirtmod\n\n"
                 "_T = TypeVar(\"_T\")\n"
                 "_EventCB = Callable[[int, int, int, _T], None]\n"
                 "_TimerCB = Callable[[int, _T], None]\n");
    vbBuf *bs[2] = { qemu, lxc };
    const char *names[2] = { "compat/libvirt_qemu.pyi", "compat/libvirt_lxc.pyi" };
    vbSource srcs[2] = { VB_SRC_QEMU, VB_SRC_LXC };
    for (int w = 0; w < 2; w++) {
        vbPyStubHeader(m, bs[w], names[w], "libvirt-python's module over virtbind.");
        vbBufAdd(bs[w], "from libvirt import libvirtError as libvirtError\n");
        for (size_t k = 0; k < g->n; k++) {
            const stFn *s = &g->fns[g->order[k]];
            if (s->host < 0 && m->functions[s->fn].src == srcs[w])
                vbBufPrintf(bs[w], "from virtbind import %s as %s\n", s->pyname, s->pyname);
        }
        if (srcs[w] == VB_SRC_QEMU) {
            char **l = vbAlloc((m->nenums + 1) * sizeof(char *));
            size_t nl = 0;
            for (size_t i = 0; i < m->nenums; i++) {
                const char *n = m->enums[i].name;
                if ((vbStartsWith(n, "VIR_DOMAIN_QEMU_") || vbStartsWith(n, "VIR_CONNECT_DOMAIN_QEMU_")) &&
                    !vbPyEnumDropped(m, i))
                    l[nl++] = vbPrintf("from virtbind import %s as %s\n", n, n);
            }
            qsort(l, nl, sizeof(char *), cmpStr);
            for (size_t i = 0; i < nl; i++) {
                vbBufAdd(bs[w], l[i]);
                free(l[i]);
            }
            free(l);
        }
    }
}

/* compat libvirtmod / libvirtmod_qemu / libvirtmod_lxc: every bound
 * function under its C name, the object first (libvirtmod.virDomainGetInfo(dom)) */
static void emitLibvirtmod(const stGen *g, vbBuf *bs[3])
{
    const vbModel *m = g->m;
    static const char *const names[3] = { "compat/libvirtmod.pyi", "compat/libvirtmod_qemu.pyi",
                                          "compat/libvirtmod_lxc.pyi" };
    for (int w = 0; w < 3; w++) {
        vbPyStubHeader(m, bs[w], names[w],
                       "libvirt-python's low-level module\n# over virtbind: the C-named "
                       "functions, object first.");
        vbBufAdd(bs[w], "from typing import Any, Callable, Literal, Mapping, Optional, TypeVar, "
                        "Union, overload\n\n"
                        "from virtbind import (_BlockJobInfo, _Callback, _DHCPLease, _DomainTime, "
                        "_ErrorTuple, _Interface,\n"
                        "                      _TPInput, _TPValue)\n"
                        "from virtbind.enums import *\n");
        /* the classes, imported without re-export */
        for (size_t c = 0; c < m->nclasses; c++)
            if (m->classes[c].src != VB_SRC_ADMIN)
                vbBufPrintf(bs[w], "from virtbind import %s\n", m->classes[c].name);
        vbBufAdd(bs[w], "\n_T = TypeVar(\"_T\")\n\n");
    }
    vbBufAdd(bs[0], "def virEventInvokeFreeCallback(opaque: Any) -> None: ...\n");
    /* by C name */
    int *idx = vbAlloc((g->n + 1) * sizeof(int));
    for (size_t k = 0; k < g->n; k++)
        idx[k] = g->order[k];
    for (size_t i = 1; i < g->n; i++)
        for (size_t j = i; j > 0 && strcmp(m->functions[idx[j - 1]].name, m->functions[idx[j]].name) > 0; j--) {
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    for (size_t k = 0; k < g->n; k++) {
        const stFn *s = &g->fns[idx[k]];
        const char *cn = m->functions[s->fn].name;
        vbBuf *b = strstr(cn, "Qemu") ? bs[1] : strstr(cn, "Lxc") ? bs[2] : bs[0];
        if (s->raw) {
            /* the overloads, renamed */
            char *from = vbPrintf("def %s(", s->pyname), *to = vbPrintf("def %s(", cn);
            for (const char *p = s->raw; *p;) {
                if (strncmp(p, from, strlen(from)) == 0) {
                    vbBufAdd(b, to);
                    p += strlen(from);
                } else {
                    vbBufAddN(b, p, 1);
                    p++;
                }
            }
            free(from);
            free(to);
            continue;
        }
        if (s->event_register) {
            vbBufPrintf(b, "def %s(conn: virConnect, /, *args: Any) -> int: ...\n", cn);
            continue;
        }
        vbBufPrintf(b, "def %s(", cn);
        size_t np = 0;
        if (s->host >= 0) {
            vbBufPrintf(b, "obj: %s, /", m->classes[s->host].name);
            np++;
        }
        for (size_t i = 0; i < s->nparams; i++) {
            const stParam *p = &s->params[i];
            vbBufPrintf(b, "%s%s: %s", np++ ? ", " : "", p->name,
                        p->enum_type ? p->enum_type : p->type);
            if (p->deflt)
                vbBufPrintf(b, " = %s", p->deflt);
        }
        vbBufPrintf(b, ") -> %s: ...\n", s->ret);
    }
    free(idx);
}

static int mkdirs(const char *path, char **err)
{
    char *dir = vbStrdup(path);
    for (char *q = dir + 1;; q++) {
        if (*q != '/' && *q)
            continue;
        char c = *q;
        *q = 0;
        if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
            if (err)
                *err = vbPrintf("%s: %s", dir, strerror(errno));
            free(dir);
            return -1;
        }
        *q = c;
        if (!c)
            break;
    }
    free(dir);
    return 0;
}

static int writeFile(const char *dir, const char *name, vbBuf *b, char **err)
{
    char *path = vbPrintf("%s/%s", dir, name);
    char *tmp = vbPrintf("%s.tmp", path);
    int rc = -1;
    FILE *f = fopen(tmp, "w");
    if (!f) {
        *err = vbPrintf("%s: %s", tmp, strerror(errno));
    } else {
        fwrite(b->s ? b->s : "", 1, b->len, f);
        if (ferror(f) | (fclose(f) != 0))
            *err = vbPrintf("writing %s failed", tmp);
        else if (rename(tmp, path) < 0)
            *err = vbPrintf("%s: %s", path, strerror(errno));
        else
            rc = 0;
    }
    free(path);
    free(tmp);
    vbBufClear(b);
    return rc;
}

static void buildGen(const vbModel *m, stGen *g, bool admin)
{
    g->m = m;
    g->admin = admin;
    g->fns = vbAlloc((m->nfunctions + 1) * sizeof(stFn));
    g->order = vbAlloc((m->nfunctions + 1) * sizeof(int));
    /* classify in C-name order so that a Python name clash keeps the first */
    int *byC = vbAlloc((m->nfunctions + 1) * sizeof(int));
    for (size_t i = 0; i < m->nfunctions; i++)
        byC[i] = (int)i;
    for (size_t i = 1; i < m->nfunctions; i++)
        for (size_t j = i; j > 0 && strcmp(m->functions[byC[j - 1]].name, m->functions[byC[j]].name) > 0; j--) {
            int t = byC[j];
            byC[j] = byC[j - 1];
            byC[j - 1] = t;
        }
    for (size_t k = 0; k < m->nfunctions; k++) {
        stFn *s = &g->fns[byC[k]];
        s->fn = byC[k];
        classify(m, s, admin);
        if (!s->bound)
            continue;
        bool clash = false;
        for (size_t j = 0; j < g->n && !clash; j++)
            clash = g->fns[g->order[j]].host == s->host && strcmp(g->fns[g->order[j]].pyname, s->pyname) == 0;
        if (!clash)
            g->order[g->n++] = byC[k];
    }
    free(byC);
    qsort_r(g->order, g->n, sizeof(int), cmpPy, g);
}

static void freeGen(stGen *g)
{
    for (size_t i = 0; i < g->m->nfunctions; i++) {
        for (size_t k = 0; k < g->fns[i].nparams; k++) {
            free(g->fns[i].params[k].name);
            free(g->fns[i].params[k].type);
            free(g->fns[i].params[k].enum_type);
        }
        free(g->fns[i].params);
        free(g->fns[i].pyname);
        free(g->fns[i].ret);
        free(g->fns[i].enum_ret);
    }
    free(g->fns);
    free(g->order);
}

int vbGenPythonStubs(const vbModel *m, const char *outdir, char **err)
{
    stGen g = {0}, ga = {0};
    vbPyEnumTypesBuild(m, &stEnums);
    buildGen(m, &g, false);
    buildGen(m, &ga, true);

    int rc = -1;
    char *pkg = vbPrintf("%s/virtbind", outdir);
    char *compat = vbPrintf("%s/compat", outdir);
    vbBuf b = {0}, pyi = {0}, q = {0}, l = {0};
    if (mkdirs(pkg, err) < 0 || mkdirs(compat, err) < 0)
        goto done;
    emitInit(&g, &b);
    if (writeFile(pkg, "__init__.pyi", &b, err) < 0)
        goto done;
    vbPyTypedModule(m, g.fns, &b, &pyi);
    if (writeFile(pkg, "typed.py", &b, err) < 0 || writeFile(pkg, "typed.pyi", &pyi, err) < 0)
        goto done;
    vbPyTypedMethodsModule(m, g.fns, &b);   /* lazy typed methods (gen_python_typed.c) */
    if (writeFile(pkg, "_typed_methods.py", &b, err) < 0)
        goto done;
    vbPyAioModule(m, g.fns, g.order, g.n, &b, &pyi);   /* virtbind.aio (gen_python_aio.c) */
    if (writeFile(pkg, "_aio_model.py", &b, err) < 0 || writeFile(pkg, "aio.pyi", &pyi, err) < 0)
        goto done;
    if (vbPyEnumsWrite(m, &stEnums, outdir, writeFile, err) < 0)
        goto done;
    emitCompat(&g, &b, &q, &l);
    if (writeFile(compat, "libvirt.pyi", &b, err) < 0 ||
        writeFile(compat, "libvirt_qemu.pyi", &q, err) < 0 ||
        writeFile(compat, "libvirt_lxc.pyi", &l, err) < 0)
        goto done;
    emitInit(&ga, &b);
    if (writeFile(outdir, "virtbind_admin.pyi", &b, err) < 0)
        goto done;
    vbBuf lm[3] = { {0}, {0}, {0} };
    vbBuf *lmp[3] = { &lm[0], &lm[1], &lm[2] };
    emitLibvirtmod(&g, lmp);
    int lrc = writeFile(compat, "libvirtmod.pyi", &lm[0], err);
    if (lrc == 0)
        lrc = writeFile(compat, "libvirtmod_qemu.pyi", &lm[1], err);
    if (lrc == 0)
        lrc = writeFile(compat, "libvirtmod_lxc.pyi", &lm[2], err);
    for (int i = 0; i < 3; i++)
        vbBufClear(&lm[i]);
    if (lrc < 0)
        goto done;
    fprintf(stderr, "virtbind-gen: python stubs: %zu + %zu (admin) functions typed -> %s\n", g.n,
            ga.n, outdir);
    rc = 0;
done:
    vbBufClear(&b);
    vbBufClear(&pyi);
    vbBufClear(&q);
    vbBufClear(&l);
    free(pkg);
    free(compat);
    freeGen(&g);
    freeGen(&ga);
    vbPyEnumTypesClear(&stEnums);
    return rc;
}
