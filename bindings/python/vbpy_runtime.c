/* vbpy_runtime.c — see vbpy_runtime.h. */
#include "vbpy_runtime.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const vbpyModuleInfo *vbpy_info;
PyObject *vbpy_libvirtError;
/* Set while the runtime constructs a libvirtError from an error it already
 * copied: tp_init must not read the thread's last error again. */
static bool vbpy_internal_new;

/* PyModule_Add (3.13) for older Pythons: steals v, accepts NULL. */
static int vbpyModAdd(PyObject *module, const char *name, PyObject *v)
{
    if (!v)
        return -1;
    int rc = PyModule_AddObjectRef(module, name, v);
    Py_DECREF(v);
    return rc;
}

/* ------------------------------------------------------------ libraries */

static const struct {
    const char *env;
    const char *soname;
} vbpy_libs[VBPY_LIB_COUNT] = {
    [VBPY_LIB_MAIN] = { "VIRTBIND_LIBVIRT_SO", "libvirt.so.0" },
    [VBPY_LIB_QEMU] = { "VIRTBIND_LIBVIRT_QEMU_SO", "libvirt-qemu.so.0" },
    [VBPY_LIB_LXC] = { "VIRTBIND_LIBVIRT_LXC_SO", "libvirt-lxc.so.0" },
    [VBPY_LIB_ADMIN] = { "VIRTBIND_LIBVIRT_ADMIN_SO", "libvirt-admin.so.0" },
};
static void *vbpy_handles[VBPY_LIB_COUNT];
static bool vbpy_opened[VBPY_LIB_COUNT];

static const char *vbpyLibPath(vbpyLib lib)
{
    const char *env = getenv(vbpy_libs[lib].env);
    return env && *env ? env : vbpy_libs[lib].soname;
}

/* The main library is opened at import; the others on first use. */
static void *vbpyLibHandle(vbpyLib lib)
{
    if (!vbpy_opened[lib]) {
        vbpy_opened[lib] = true;
        vbpy_handles[lib] = dlopen(vbpyLibPath(lib), RTLD_NOW | RTLD_LOCAL);
    }
    return vbpy_handles[lib];
}

void *vbpyResolveQuiet(vbpySym *sym)
{
    if (!sym->resolved) {
        void *h = vbpyLibHandle(sym->lib);
        sym->addr = h ? dlsym(h, sym->name) : NULL;
        sym->resolved = true;
    }
    return sym->addr;
}

void *vbpyMissing(const char *name)
{
    /* not in the generated table: the XML this module was built from lacks it */
    char msg[256];
    snprintf(msg, sizeof(msg), "%s requires libvirt >= ?", name);
    vbpyRaiseCode(VIR_ERR_NO_SUPPORT, msg);
    return NULL;
}

void *vbpyResolveSlow(vbpySym *sym)
{
    void *addr = vbpyResolveQuiet(sym);
    if (!addr) {
        char msg[256];
        snprintf(msg, sizeof(msg), "%s requires libvirt >= %s", sym->name,
                 sym->version ? sym->version : "?");
        vbpyRaiseCode(VIR_ERR_NO_SUPPORT, msg);
    }
    return addr;
}

static int vbpyCmpSym(const void *key, const void *elem)
{
    return strcmp(key, ((const vbpySym *)elem)->name);
}

vbpySym *vbpyFindSym(const char *name)
{
    if (!vbpy_info)
        return NULL;
    return bsearch(name, vbpy_info->syms, vbpy_info->nsyms, sizeof(vbpySym), vbpyCmpSym);
}

void *vbpyResolveNamed(const char *name)
{
    /* hand-written stubs resolve by name on every call: instead of a bsearch
     * with ~9 strcmp each time, a cache keyed by the literal's address */
    static struct { const char *name; vbpySym *sym; } cache[256];
    size_t h = ((uintptr_t)name >> 3) % (sizeof(cache) / sizeof(cache[0]));
    vbpySym *sym;
    if (cache[h].name == name) {
        sym = cache[h].sym;
    } else {
        sym = vbpyFindSym(name);
        if (sym) {
            cache[h].name = name;
            cache[h].sym = sym;
        }
    }
    return sym ? vbpyResolve(sym) : vbpyMissing(name);
}

/* GLib's g_free, which frees what libvirt allocates for the caller to free
 * in pieces (stats records): looked up through libvirt's handle, which
 * searches its dependencies; free() (what g_free calls since GLib 2.46) if
 * absent. */
static void (*vbpy_gfree)(void *);

void (*vbpyGFree(void))(void *)
{
    if (!vbpy_gfree) {
        void *h = vbpyLibHandle(VBPY_LIB_MAIN);
        void *f = h ? dlsym(h, "g_free") : NULL;
        vbpy_gfree = f ? (void (*)(void *))f : free;
    }
    return vbpy_gfree;
}

static void *vbpyRuntimeSym(int idx)
{
    if (!vbpy_info || idx < 0 || (size_t)idx >= vbpy_info->nsyms)
        return NULL;
    return vbpyResolveQuiet(&vbpy_info->syms[idx]);
}

/* ---------------------------------------------------------------- errors */

/* Cached at import: vbpyErrCapture runs without the GIL and must not touch
 * the (lazy, GIL-protected) symbol table. */
static __typeof__(virCopyLastError) *vbpy_copyLastError;
static __typeof__(virResetError) *vbpy_resetError;
/* The same for virTypedParamsClear (generated getters clear a stack array
 * with the GIL released before they fetch again into the heap). */
static __typeof__(virTypedParamsClear) *vbpy_tpClear;

void vbpyTPClearNoGIL(virTypedParameterPtr params, int nparams)
{
    if (vbpy_tpClear)
        vbpy_tpClear(params, nparams);
}

void vbpyErrCapture(vbpyErr *e)
{
    memset(&e->err, 0, sizeof(e->err));
    e->set = vbpy_copyLastError && vbpy_copyLastError(&e->err) > 0 && e->err.code != VIR_ERR_OK;
}

static PyObject *vbpyStrOrNone(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* code -> libvirtError subclass, installed by the Python layer
 * (virtbind.errors) through _set_error_classes; NULL until then. */
static PyObject *vbpy_error_classes;

/* The class to raise for a libvirt error code: its registered subclass, or
 * libvirtError itself.  Borrowed reference. */
/* The same for codes 0..VBPY_ERR_CODES-1, borrowed from vbpy_error_classes
 * (no int object and dict lookup per raise); NULL: not registered. */
#define VBPY_ERR_CODES 256
static PyObject *vbpy_error_by_code[VBPY_ERR_CODES];

static PyObject *vbpyErrorClass(int code)
{
    if (!vbpy_error_classes)
        return vbpy_libvirtError;
    if (code >= 0 && code < VBPY_ERR_CODES)
        return vbpy_error_by_code[code] ? vbpy_error_by_code[code] : vbpy_libvirtError;
    PyObject *key = PyLong_FromLong(code);
    if (!key)
        return NULL;
    PyObject *cls = PyDict_GetItemWithError(vbpy_error_classes, key);
    Py_DECREF(key);
    if (!cls && PyErr_Occurred())
        return NULL;
    return cls ? cls : vbpy_libvirtError;
}

PyObject *vbpySetErrorClasses(PyObject *self, PyObject *mapping)
{
    (void)self;
    if (!PyDict_Check(mapping)) {
        PyErr_SetString(PyExc_TypeError, "_set_error_classes() expects a dict {code: class}");
        return NULL;
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(mapping, &pos, &key, &value)) {
        if (!PyLong_Check(key) || !PyType_Check(value) ||
            !PyType_IsSubtype((PyTypeObject *)value, (PyTypeObject *)vbpy_libvirtError)) {
            PyErr_SetString(PyExc_TypeError,
                            "_set_error_classes(): keys must be int codes, values libvirtError subclasses");
            return NULL;
        }
    }
    PyObject *copy = PyDict_Copy(mapping);
    if (!copy)
        return NULL;
    PyObject *old = vbpy_error_classes;
    vbpy_error_classes = copy;
    for (int code = 0; code < VBPY_ERR_CODES; code++) {
        PyObject *k = PyLong_FromLong(code);
        PyObject *cls = k ? PyDict_GetItemWithError(copy, k) : NULL;   /* borrowed from copy */
        Py_XDECREF(k);
        if (!cls && PyErr_Occurred())
            PyErr_Clear();
        vbpy_error_by_code[code] = cls;
    }
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

/* "err", interned once: PyObject_SetAttrString would create and intern a
 * new str on every raise. */
static PyObject *vbpy_str_err;

/* Create a libvirtError (or the subclass registered for the code in the err
 * tuple) carrying msg and the err tuple (steals both).  One vectorcall with
 * the message object, and err is set once (tp_init leaves it to us). */
static PyObject *vbpyNewErrorObj(PyObject *msg, PyObject *err)
{
    PyObject *exc = NULL;
    if (!err || !msg)
        goto out;
    int code = 0;
    if (PyTuple_Check(err) && PyTuple_GET_SIZE(err) > 0)
        code = (int)PyLong_AsLong(PyTuple_GET_ITEM(err, 0));
    PyObject *cls = vbpyErrorClass(code);
    if (!cls)
        goto out;
    vbpy_internal_new = true;
    exc = PyObject_CallOneArg(cls, msg);
    vbpy_internal_new = false;
    if (exc && PyObject_SetAttr(exc, vbpy_str_err, err) < 0)
        Py_CLEAR(exc);
out:
    Py_XDECREF(msg);
    Py_XDECREF(err);
    return exc;
}

static PyObject *vbpyNewError(const char *msg, PyObject *err)
{
    PyObject *m = PyUnicode_FromString(msg);
    if (!m) {
        Py_XDECREF(err);
        return NULL;
    }
    return vbpyNewErrorObj(m, err);
}

static PyObject *vbpySetError(PyObject *exc)
{
    if (exc) {
        PyErr_SetObject(vbpy_libvirtError, exc);
        Py_DECREF(exc);
    }
    return NULL;
}

PyObject *vbpyErrRaise(vbpyErr *e, const char *cname)
{
    if (!e->set) {
        char msg[256];
        snprintf(msg, sizeof(msg), "%s() failed", cname);
        Py_INCREF(Py_None);
        return vbpySetError(vbpyNewError(msg, Py_None));
    }
    virErrorPtr v = &e->err;
    PyObject *err = vbpyErrorTuple(v);
    PyObject *msg;
    if (err && v->message) {
        msg = PyTuple_GET_ITEM(err, 2);   /* the message, decoded once */
        Py_INCREF(msg);
    } else {
        char fallback[256];
        snprintf(fallback, sizeof(fallback), "%s() failed", cname);
        msg = PyUnicode_FromString(fallback);
    }
    PyObject *exc = vbpyNewErrorObj(msg, err);
    if (vbpy_resetError)
        vbpy_resetError(v);
    e->set = false;
    return vbpySetError(exc);
}

PyObject *vbpyRaiseCode(int code, const char *msg)
{
    PyObject *err = Py_BuildValue("(iisiOOOii)", code, (int)VIR_FROM_NONE, msg, (int)VIR_ERR_ERROR,
                                  Py_None, Py_None, Py_None, 0, 0);
    return vbpySetError(vbpyNewError(msg, err));
}

/* libvirtError(defmsg): like libvirt-python, reads the last error when
 * constructed from Python (our stubs overwrite `err` with their copy). */
static int vbpyError_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    if (((PyTypeObject *)PyExc_Exception)->tp_init(self, args, kwds) < 0)
        return -1;
    if (vbpy_internal_new)
        return 0;   /* vbpyNewErrorObj sets err */
    PyObject *err = Py_None;
    Py_INCREF(err);
    if (!vbpy_internal_new && PyTuple_GET_SIZE(args) == 1 && vbpy_copyLastError) {
        vbpyErr e;
        vbpyErrCapture(&e);
        if (e.set) {
            virErrorPtr v = &e.err;
            Py_DECREF(err);
            err = vbpyErrorTuple(v);
            if (err && v->message) {
                PyObject *nargs = Py_BuildValue("(O)", PyTuple_GET_ITEM(err, 2));
                if (!nargs || PyObject_SetAttrString(self, "args", nargs) < 0) {
                    Py_XDECREF(nargs);
                    Py_DECREF(err);
                    err = NULL;
                } else {
                    Py_DECREF(nargs);
                }
            }
            if (vbpy_resetError)
                vbpy_resetError(v);
            if (!err)
                return -1;
        }
    }
    int rc = PyObject_SetAttr(self, vbpy_str_err, err);
    Py_DECREF(err);
    return rc;
}

static PyObject *vbpyErrItem(PyObject *self, Py_ssize_t i)
{
    PyObject *err = PyObject_GetAttr(self, vbpy_str_err);
    if (!err)
        return NULL;
    PyObject *r = Py_None;
    if (PyTuple_Check(err) && PyTuple_GET_SIZE(err) == 9)
        r = PyTuple_GET_ITEM(err, i);
    Py_INCREF(r);
    Py_DECREF(err);
    return r;
}

#define VBPY_ERR_GETTER(fn, idx) \
    static PyObject *vbpyError_##fn(PyObject *self, PyObject *unused) \
    { \
        (void)unused; \
        return vbpyErrItem(self, idx); \
    }
VBPY_ERR_GETTER(get_error_code, 0)
VBPY_ERR_GETTER(get_error_domain, 1)
VBPY_ERR_GETTER(get_error_message, 2)
VBPY_ERR_GETTER(get_error_level, 3)
VBPY_ERR_GETTER(get_str1, 4)
VBPY_ERR_GETTER(get_str2, 5)
VBPY_ERR_GETTER(get_str3, 6)
VBPY_ERR_GETTER(get_int1, 7)
VBPY_ERR_GETTER(get_int2, 8)

static PyMethodDef vbpyError_methods[] = {
#define VBPY_ERR_METHOD(fn) { #fn, vbpyError_##fn, METH_NOARGS, NULL }
    VBPY_ERR_METHOD(get_error_code),
    VBPY_ERR_METHOD(get_error_domain),
    VBPY_ERR_METHOD(get_error_message),
    VBPY_ERR_METHOD(get_error_level),
    VBPY_ERR_METHOD(get_str1),
    VBPY_ERR_METHOD(get_str2),
    VBPY_ERR_METHOD(get_str3),
    VBPY_ERR_METHOD(get_int1),
    VBPY_ERR_METHOD(get_int2),
    { NULL, NULL, 0, NULL },
};

static PyObject *vbpyMakeErrorType(void)
{
    PyType_Slot slots[] = {
        { Py_tp_init, (void *)vbpyError_init },
        { Py_tp_methods, vbpyError_methods },
        { Py_tp_doc, (void *)"libvirt error: err is the 9-tuple (code, domain, message, level, "
                             "str1, str2, str3, int1, int2) or None" },
        { 0, NULL },
    };
    PyType_Spec spec = {
        .name = vbpy_info && vbpy_info->admin ? "virtbind_admin.libvirtError"
                                              : "virtbind.libvirtError",
        .basicsize = 0,
        .itemsize = 0,
        .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
        .slots = slots,
    };
    return PyType_FromSpecWithBases(&spec, PyExc_Exception);
}

/* registerErrorHandler(f, ctx): f and ctx, or NULL (GIL-protected). */
static PyObject *vbpy_error_handler;
static PyObject *vbpy_error_ctx;

/* Installed at import: libvirt prints nothing; a handler registered from
 * Python is called as f(ctx, err) on the thread that hit the error (which may
 * not hold the GIL: libvirt calls run without it). */
static void vbpyNoopErrorFunc(void *userData, virErrorPtr error)
{
    (void)userData;
    /* no Python handler (the default): nothing to do, so do not take the GIL
     * (this runs inside every failed call).  The pointer is read without the
     * GIL; a handler registered concurrently sees the next error. */
    if (!error || !__atomic_load_n(&vbpy_error_handler, __ATOMIC_RELAXED) || !Py_IsInitialized())
        return;
    PyGILState_STATE st = PyGILState_Ensure();
    if (vbpy_error_handler) {
        PyObject *f = vbpy_error_handler, *ctx = vbpy_error_ctx;
        Py_INCREF(f);
        Py_INCREF(ctx);
        PyObject *r = PyObject_CallFunction(f, "(ON)", ctx, vbpyErrorTuple(error));
        if (!r)
            PyErr_WriteUnraisable(f);
        Py_XDECREF(r);
        Py_DECREF(f);
        Py_DECREF(ctx);
    }
    PyGILState_Release(st);
}

int vbpySetErrorHandler(PyObject *f, PyObject *ctx)
{
    if (f != Py_None && !PyCallable_Check(f)) {
        PyErr_SetString(PyExc_TypeError, "registerErrorHandler: f must be callable or None");
        return -1;
    }
    PyObject *old_f = vbpy_error_handler, *old_ctx = vbpy_error_ctx;
    __atomic_store_n(&vbpy_error_handler, NULL, __ATOMIC_RELAXED);
    vbpy_error_ctx = NULL;
    if (f != Py_None) {
        Py_INCREF(f);
        Py_INCREF(ctx);
        vbpy_error_ctx = ctx;
        __atomic_store_n(&vbpy_error_handler, f, __ATOMIC_RELAXED);
    }
    Py_XDECREF(old_f);
    Py_XDECREF(old_ctx);
    /* the libvirt handler is per process: take it back in case another
     * binding loaded in this process replaced it */
    __typeof__(virSetErrorFunc) *setErrorFunc = vbpyRuntimeSym(vbpy_info->sym_set_error_func);
    if (setErrorFunc)
        setErrorFunc(NULL, vbpyNoopErrorFunc);
    return 0;
}

/* --------------------------------------------------------------- classes */

static vbpyEventData *vbpy_tracked;   /* tracked event registrations (events below) */
static void vbpyEventReleaseConn(PyObject *conn, void *cptr, bool dying);

static void vbpyObject_dealloc(PyObject *self)
{
    vbpyObject *o = (vbpyObject *)self;
    if (o->weakrefs)
        PyObject_ClearWeakRefs(self);
    void *ptr = o->ptr;
    o->ptr = NULL;
    /* registrations still tracked for this wrapper: ended before its pointer
     * is released.  (Each holds a strong reference to its wrapper, so only a
     * registration whose data lost that reference could be found here.) */
    if (ptr && vbpy_tracked && !o->lent)
        vbpyEventReleaseConn(self, ptr, true);
    if (ptr && o->cls->release && !o->lent) {
        Py_BEGIN_ALLOW_THREADS
        o->cls->release(ptr);
        Py_END_ALLOW_THREADS
    }
    Py_CLEAR(o->parent);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *vbpyObject_repr(PyObject *self)
{
    vbpyObject *o = (vbpyObject *)self;
    return PyUnicode_FromFormat("<%s object at %p (%p)>", Py_TYPE(self)->tp_name, (void *)self,
                                o->ptr);
}

static PyObject *vbpyObject_c_pointer(PyObject *self, PyObject *unused)
{
    (void)unused;
    return PyLong_FromVoidPtr(((vbpyObject *)self)->ptr);
}

static PyMethodDef vbpyObject_common_methods[] = {
    { "c_pointer", vbpyObject_c_pointer, METH_NOARGS, "the C pointer as an int" },
    { NULL, NULL, 0, NULL },
};

static const vbpyClass *vbpyFindClassSlow(const char *name);

const vbpyClass *vbpyFindClass(const char *name)
{
    /* hand-written stubs call this with literals on every call: a cache by
     * address, confirmed with one strcmp, instead of a strcmp per class */
    static struct { const char *name; const vbpyClass *cls; } cache[16];
    size_t h = ((uintptr_t)name >> 3) % (sizeof(cache) / sizeof(cache[0]));
    if (cache[h].name == name && strcmp(cache[h].cls->name, name) == 0)
        return cache[h].cls;
    const vbpyClass *cls = vbpyFindClassSlow(name);
    if (cls) {
        cache[h].name = name;
        cache[h].cls = cls;
    }
    return cls;
}

static const vbpyClass *vbpyFindClassSlow(const char *name)
{
    for (size_t i = 0; vbpy_info && i < vbpy_info->nclasses; i++)
        if (strcmp(vbpy_info->classes[i]->name, name) == 0)
            return vbpy_info->classes[i];
    return NULL;
}

int vbpyClassAttr(const vbpyClass *cls, const char *name, long long value)
{
    PyObject *v = PyLong_FromLongLong(value);
    if (!v)
        return -1;
    int rc = PyDict_SetItemString(cls->type->tp_dict, name, v);
    Py_DECREF(v);
    PyType_Modified(cls->type);
    return rc;
}

int vbpyClassReady(const vbpyClass *cls)
{
    PyTypeObject *t = cls->type;
    t->tp_basicsize = sizeof(vbpyObject);
    t->tp_dealloc = vbpyObject_dealloc;
    t->tp_repr = vbpyObject_repr;
    /* subclassable and weak-referenceable, as libvirt-python's classes */
    t->tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE;
    t->tp_weaklistoffset = offsetof(vbpyObject, weakrefs);
    if (PyType_Ready(t) < 0)
        return -1;
    for (PyMethodDef *m = vbpyObject_common_methods; m->ml_name; m++) {
        PyObject *d = PyDescr_NewMethod(t, m);
        if (!d)
            return -1;
        int rc = PyDict_SetItemString(t->tp_dict, m->ml_name, d);
        Py_DECREF(d);
        if (rc < 0)
            return -1;
    }
    PyType_Modified(t);
    return 0;
}

PyObject *vbpyWrap(const vbpyClass *cls, void *ptr, PyObject *parent)
{
    vbpyObject *o = PyObject_New(vbpyObject, cls->type);
    if (!o) {
        if (cls->release) {
            Py_BEGIN_ALLOW_THREADS
            cls->release(ptr);
            Py_END_ALLOW_THREADS
        }
        return NULL;
    }
    o->ptr = ptr;
    o->cls = cls;
    o->weakrefs = NULL;
    o->lent = 0;
    o->parent = parent;
    Py_XINCREF(parent);
    return (PyObject *)o;
}

void *vbpySelfClosed(PyObject *self)
{
    vbpyObject *o = (vbpyObject *)self;
    char msg[128];
    snprintf(msg, sizeof(msg), "%s object has been closed", o->cls->name);
    /* a closed connection: libvirt's (and python3-libvirt's) invalid connection */
    vbpyRaiseCode(strcmp(o->cls->name, "virConnect") == 0 ? VIR_ERR_INVALID_CONN
                                                          : VIR_ERR_INVALID_ARG, msg);
    return NULL;
}

PyObject *vbpyAncestor(PyObject *obj, const vbpyClass *cls)
{
    while (obj && obj != Py_None) {
        if (PyObject_TypeCheck(obj, cls->type))
            return obj;
        obj = ((vbpyObject *)obj)->parent;
    }
    return NULL;
}

PyObject *vbpyGetAncestor(PyObject *self, const vbpyClass *cls)
{
    PyObject *a = vbpyAncestor(((vbpyObject *)self)->parent, cls);
    if (!a)
        Py_RETURN_NONE;
    Py_INCREF(a);
    return a;
}

/* ------------------------------------------------------------- arguments */

int vbpyParseArgs(const char *fname, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                  const char *const *kwlist, Py_ssize_t nparams, Py_ssize_t nrequired,
                  PyObject **out)
{
    if (nargs > nparams) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %zd argument%s (%zd given)", fname,
                     nparams, nparams == 1 ? "" : "s", nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nparams; i++)
        out[i] = i < nargs ? args[i] : NULL;
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < nkw; k++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, k);
        Py_ssize_t i;
        for (i = 0; i < nparams; i++)
            if (PyUnicode_CompareWithASCIIString(key, kwlist[i]) == 0)
                break;
        if (i == nparams) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", fname, key);
            return -1;
        }
        if (out[i]) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", fname,
                         kwlist[i]);
            return -1;
        }
        out[i] = args[nargs + k];
    }
    for (Py_ssize_t i = 0; i < nrequired; i++) {
        if (!out[i]) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %zd)", fname,
                         kwlist[i], i + 1);
            return -1;
        }
    }
    return 0;
}

/* An exact Python int (or an object with __index__; bool is an int).  Floats
 * and strings raise TypeError. */
static PyObject *vbpyIndex(PyObject *o, const char *arg)
{
    if (PyFloat_Check(o) || !PyIndex_Check(o)) {
        PyErr_Format(PyExc_TypeError, "argument '%s' must be int, not %.100s", arg,
                     Py_TYPE(o)->tp_name);
        return NULL;
    }
    return PyNumber_Index(o);
}

static int vbpyOverflow(const char *arg, const char *ctype)
{
    PyErr_Format(PyExc_OverflowError, "argument '%s' is out of range for C %s", arg, ctype);
    return -1;
}

static int vbpySigned(PyObject *o, const char *arg, long long min, long long max, const char *ctype,
                      long long *out)
{
    *out = 0;
    if (!o)
        return 0;
    PyObject *i = vbpyIndex(o, arg);
    if (!i)
        return -1;
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(i, &overflow);
    Py_DECREF(i);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (overflow || v < min || v > max)
        return vbpyOverflow(arg, ctype);
    *out = v;
    return 0;
}

static int vbpyUnsigned(PyObject *o, const char *arg, unsigned long long max, const char *ctype,
                        unsigned long long *out)
{
    *out = 0;
    if (!o)
        return 0;
    if (PyLong_CheckExact(o)) {
        /* the common case: no __index__ call, no comparison with a new 0 */
        unsigned long long v = PyLong_AsUnsignedLongLong(o);   /* negative: OverflowError */
        if (v == (unsigned long long)-1 && PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_OverflowError))
                return -1;
            PyErr_Clear();
            return vbpyOverflow(arg, ctype);
        }
        if (v > max)
            return vbpyOverflow(arg, ctype);
        *out = v;
        return 0;
    }
    PyObject *i = vbpyIndex(o, arg);
    if (!i)
        return -1;
    PyObject *zero = PyLong_FromLong(0);
    int neg = zero ? PyObject_RichCompareBool(i, zero, Py_LT) : -1;
    Py_XDECREF(zero);
    if (neg < 0) {
        Py_DECREF(i);
        return -1;
    }
    if (neg) {
        Py_DECREF(i);
        return vbpyOverflow(arg, ctype);
    }
    unsigned long long v = PyLong_AsUnsignedLongLong(i);
    Py_DECREF(i);
    if (v == (unsigned long long)-1 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError))
            return -1;
        PyErr_Clear();
        return vbpyOverflow(arg, ctype);
    }
    if (v > max)
        return vbpyOverflow(arg, ctype);
    *out = v;
    return 0;
}

#define VBPY_SIGNED(fn, T, MIN, MAX, NAME) \
    int fn(PyObject *o, const char *arg, T *out) \
    { \
        long long v; \
        int rc = vbpySigned(o, arg, MIN, MAX, NAME, &v); \
        *out = (T)v; \
        return rc; \
    }
#define VBPY_UNSIGNED(fn, T, MAX, NAME) \
    int fn(PyObject *o, const char *arg, T *out) \
    { \
        unsigned long long v; \
        int rc = vbpyUnsigned(o, arg, MAX, NAME, &v); \
        *out = (T)v; \
        return rc; \
    }
VBPY_SIGNED(vbpyToInt, int, INT_MIN, INT_MAX, "int")
VBPY_SIGNED(vbpyToLong, long, LONG_MIN, LONG_MAX, "long")
VBPY_SIGNED(vbpyToLLong, long long, LLONG_MIN, LLONG_MAX, "long long")
VBPY_UNSIGNED(vbpyToUInt, unsigned int, UINT_MAX, "unsigned int")
VBPY_UNSIGNED(vbpyToULong, unsigned long, ULONG_MAX, "unsigned long")
VBPY_UNSIGNED(vbpyToULLong, unsigned long long, ULLONG_MAX, "unsigned long long")
VBPY_UNSIGNED(vbpyToSize, size_t, SIZE_MAX, "size_t")

/* Raised for a bad buffer size: a ValueError and an OverflowError at once
 * (python3-libvirt raises OverflowError for a negative size_t; the size
 * checks promise ValueError), created at import, not a module attribute. */
static PyObject *vbpy_bufsize_error;

int vbpyToBufLen(PyObject *o, const char *arg, size_t elem, size_t *out)
{
    *out = 0;
    if (!o)
        return 0;
    PyObject *i = vbpyIndex(o, arg);
    if (!i)
        return -1;
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(i, &overflow);
    Py_DECREF(i);
    if (v == -1 && !overflow && PyErr_Occurred())
        return -1;
    if (overflow < 0 || (!overflow && v < 0)) {
        PyErr_Format(vbpy_bufsize_error, "argument '%s' must not be negative", arg);
        return -1;
    }
    if (overflow > 0 || (unsigned long long)v > VBPY_BUFFER_MAX / (elem ? elem : 1)) {
        PyErr_Format(vbpy_bufsize_error,
                     "argument '%s' is too large: a buffer of at most %d bytes (libvirt's RPC "
                     "message limit, VIR_NET_MESSAGE_MAX)", arg, VBPY_BUFFER_MAX);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

int vbpyToDouble(PyObject *o, const char *arg, double *out)
{
    *out = 0;
    if (!o)
        return 0;
    if (!PyFloat_Check(o) && !PyLong_Check(o)) {
        PyErr_Format(PyExc_TypeError, "argument '%s' must be float, not %.100s", arg,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    double v = PyFloat_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

int vbpyToBool(PyObject *o, const char *arg, bool *out)
{
    *out = false;
    if (!o)
        return 0;
    int v = PyObject_IsTrue(o);
    if (v < 0)
        return -1;
    (void)arg;
    *out = v;
    return 0;
}

int vbpyToString(PyObject *o, const char *arg, bool nullable, const char **out)
{
    *out = NULL;
    if (!o)
        return 0;
    if (o == Py_None) {
        if (nullable)
            return 0;
        PyErr_Format(PyExc_TypeError, "argument '%s' must be str, not None", arg);
        return -1;
    }
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "argument '%s' must be str%s, not %.100s", arg,
                     nullable ? " or None" : "", Py_TYPE(o)->tp_name);
        return -1;
    }
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(o, &len);
    if (!s)
        return -1;
    if ((size_t)len != strlen(s)) {
        PyErr_Format(PyExc_ValueError, "argument '%s': embedded null character", arg);
        return -1;
    }
    *out = s;
    return 0;
}

int vbpyToBytes(PyObject *o, const char *arg, Py_ssize_t need, const void **buf, Py_ssize_t *len)
{
    *buf = NULL;
    *len = 0;
    if (!o)
        return 0;
    if (!PyBytes_Check(o)) {
        PyErr_Format(PyExc_TypeError, "argument '%s' must be bytes, not %.100s", arg,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    if (need >= 0 && PyBytes_GET_SIZE(o) != need) {
        PyErr_Format(PyExc_ValueError, "argument '%s' must be %zd bytes long, not %zd", arg, need,
                     PyBytes_GET_SIZE(o));
        return -1;
    }
    *buf = PyBytes_AS_STRING(o);
    *len = PyBytes_GET_SIZE(o);
    return 0;
}

void vbpyFreeStringArray(char **arr, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; arr && i < n; i++)
        free(arr[i]);
    free(arr);
}

int vbpyToStringArray(PyObject *o, const char *arg, bool nullable, char ***out, Py_ssize_t *n)
{
    *out = NULL;
    *n = 0;
    if (!o || (o == Py_None && nullable))
        return 0;
    if (!PyList_Check(o) && !PyTuple_Check(o)) {
        PyErr_Format(PyExc_TypeError, "argument '%s' must be a list of str, not %.100s", arg,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    /* a tuple snapshot: the list cannot change under us */
    PyObject *t = PySequence_Tuple(o);
    if (!t)
        return -1;
    Py_ssize_t len = PyTuple_GET_SIZE(t);
    if (len == 0) {   /* an empty list is passed as NULL, 0 */
        Py_DECREF(t);
        return 0;
    }
    char **arr = calloc((size_t)len, sizeof(char *));
    if (!arr) {
        Py_DECREF(t);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        const char *s;
        if (vbpyToString(PyTuple_GET_ITEM(t, i), arg, false, &s) < 0 || !(arr[i] = strdup(s))) {
            if (!PyErr_Occurred())
                PyErr_NoMemory();
            vbpyFreeStringArray(arr, i);
            Py_DECREF(t);
            return -1;
        }
    }
    Py_DECREF(t);
    *out = arr;
    *n = len;
    return 0;
}

int vbpyToIntArray(PyObject *o, const char *arg, bool is_unsigned, void **out, Py_ssize_t *n)
{
    *out = NULL;
    *n = 0;
    if (!o)
        return 0;
    if (!PyList_Check(o) && !PyTuple_Check(o)) {
        PyErr_Format(PyExc_TypeError, "argument '%s' must be a list of int, not %.100s", arg,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    PyObject *t = PySequence_Tuple(o);
    if (!t)
        return -1;
    Py_ssize_t len = PyTuple_GET_SIZE(t);
    int *arr = len ? calloc((size_t)len, sizeof(int)) : NULL;
    if (len && !arr) {
        Py_DECREF(t);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *item = PyTuple_GET_ITEM(t, i);
        int rc = is_unsigned ? vbpyToUInt(item, arg, (unsigned int *)&arr[i])
                             : vbpyToInt(item, arg, &arr[i]);
        if (rc < 0) {
            free(arr);
            Py_DECREF(t);
            return -1;
        }
    }
    Py_DECREF(t);
    *out = arr;
    *n = len;
    return 0;
}

int vbpyToObject(PyObject *o, const char *arg, const vbpyClass *cls, bool nullable, void **out)
{
    *out = NULL;
    if (!o)
        return 0;
    if (o == Py_None) {
        if (nullable)
            return 0;
        PyErr_Format(PyExc_TypeError, "argument '%s' must be %s, not None", arg, cls->name);
        return -1;
    }
    if (!PyObject_TypeCheck(o, cls->type)) {
        PyErr_Format(PyExc_TypeError, "argument '%s' must be %s%s, not %.100s", arg, cls->name,
                     nullable ? " or None" : "", Py_TYPE(o)->tp_name);
        return -1;
    }
    *out = vbpySelf(o);
    return *out ? 0 : -1;
}

/* ------------------------------------------------------ typed parameters */

static const vbpyTPField *vbpyTPLookup(const vbpyTPGroup *g, const char *key, bool *has_format)
{
    *has_format = false;
    for (size_t i = 0; i < g->nfields; i++) {
        if (g->fields[i].format)
            *has_format = true;
        else if (strcmp(g->fields[i].name, key) == 0)
            return &g->fields[i];
    }
    return NULL;
}

/* The type a value of unknown field type gets: its Python type decides. */
static int vbpyTPGuess(PyObject *v)
{
    if (PyBool_Check(v))
        return VIR_TYPED_PARAM_BOOLEAN;
    if (PyLong_Check(v))
        return VIR_TYPED_PARAM_LLONG;
    if (PyFloat_Check(v))
        return VIR_TYPED_PARAM_DOUBLE;
    if (PyUnicode_Check(v))
        return VIR_TYPED_PARAM_STRING;
    return 0;
}

static int vbpyTPSet(virTypedParameterPtr p, const char *key, int type, PyObject *v)
{
    if (strlen(key) >= VIR_TYPED_PARAM_FIELD_LENGTH) {
        PyErr_Format(PyExc_ValueError, "typed parameter name '%s' is too long", key);
        return -1;
    }
    strcpy(p->field, key);
    p->type = type;
    switch (type) {
    case VIR_TYPED_PARAM_INT: return vbpyToInt(v, key, &p->value.i);
    case VIR_TYPED_PARAM_UINT: return vbpyToUInt(v, key, &p->value.ui);
    case VIR_TYPED_PARAM_LLONG: return vbpyToLLong(v, key, &p->value.l);
    case VIR_TYPED_PARAM_ULLONG: return vbpyToULLong(v, key, &p->value.ul);
    case VIR_TYPED_PARAM_DOUBLE: return vbpyToDouble(v, key, &p->value.d);
    case VIR_TYPED_PARAM_BOOLEAN: {
        if (!PyBool_Check(v) && !PyLong_Check(v)) {
            PyErr_Format(PyExc_TypeError, "typed parameter '%s' must be bool, not %.100s", key,
                         Py_TYPE(v)->tp_name);
            return -1;
        }
        int t = PyObject_IsTrue(v);
        if (t < 0)
            return -1;
        p->value.b = (char)t;
        return 0;
    }
    case VIR_TYPED_PARAM_STRING: {
        const char *str;
        if (vbpyToString(v, key, false, &str) < 0)
            return -1;
        if (!(p->value.s = strdup(str))) {
            PyErr_NoMemory();
            return -1;
        }
        return 0;
    }
    default:
        PyErr_Format(PyExc_TypeError, "typed parameter '%s': unsupported value type %.100s", key,
                     Py_TYPE(v)->tp_name);
        return -1;
    }
}

void vbpyTPRelease(virTypedParameterPtr params, int nparams)
{
    for (int i = 0; params && i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING && params[i].value.s) {
            /* strings may be secrets (launch-security, migration passwords) */
            explicit_bzero(params[i].value.s, strlen(params[i].value.s));
            free(params[i].value.s);
        }
    }
    free(params);
}

int vbpyTPFromDict(PyObject *o, const char *arg, const vbpyTPGroup *group,
                   virTypedParameterPtr *params, int *nparams)
{
    *params = NULL;
    *nparams = 0;
    if (!o)
        return 0;
    if (!PyDict_Check(o)) {
        PyErr_Format(PyExc_TypeError, "argument '%s' must be dict, not %.100s", arg,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    /* room for every item, list values of repeatable fields counted in full */
    Py_ssize_t cap = 0, pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(o, &pos, &key, &value))
        cap += PyList_Check(value) ? PyList_GET_SIZE(value) : 1;
    if (cap > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "too many typed parameters");
        return -1;
    }
    virTypedParameterPtr p = calloc(cap ? (size_t)cap : 1, sizeof(*p));
    if (!p) {
        PyErr_NoMemory();
        return -1;
    }
    int n = 0;
    pos = 0;
    while (PyDict_Next(o, &pos, &key, &value)) {
        const char *k;
        if (vbpyToString(key, arg, false, &k) < 0)
            goto error;
        int type = 0;
        bool multi = false;
        if (group) {
            bool has_format;
            const vbpyTPField *fld = vbpyTPLookup(group, k, &has_format);
            if (!fld && !has_format) {
                PyErr_Format(PyExc_LookupError, "Attribute name \"%s\" could not be recognized",
                             k);
                goto error;
            }
            if (fld) {
                type = fld->type;
                multi = fld->multi;
            }
        }
        if (multi && PyList_Check(value)) {
            for (Py_ssize_t i = 0; i < PyList_GET_SIZE(value); i++) {
                PyObject *item = PyList_GET_ITEM(value, i);
                int t = type ? type : vbpyTPGuess(item);
                p[n].type = 0;
                if (vbpyTPSet(&p[n], k, t, item) < 0)
                    goto error;
                n++;
            }
            continue;
        }
        p[n].type = 0;
        if (vbpyTPSet(&p[n], k, type ? type : vbpyTPGuess(value), value) < 0) {
            if (p[n].type == VIR_TYPED_PARAM_STRING)
                p[n].type = 0;   /* value.s was not set */
            goto error;
        }
        n++;
    }
    *params = p;
    *nparams = n;
    return 0;
error:
    vbpyTPRelease(p, n);
    return -1;
}

PyObject *vbpyTPToDictFree(virTypedParameterPtr params, int nparams, virTypedParameterPtr stack)
{
    if (params != stack)
        return vbpyTPToDict(params, nparams, false);
    PyObject *d = vbpyTPToDictBorrowed(params, nparams);
    vbpyTPClearNoGIL(params, nparams);
    return d;
}

PyObject *vbpyTPToDict(virTypedParameterPtr params, int nparams, bool lib_allocated)
{
    PyObject *d = vbpyTPToDictBorrowed(params, nparams);
    void *fn = vbpyRuntimeSym(lib_allocated ? vbpy_info->sym_tp_free : vbpy_info->sym_tp_clear);
    if (lib_allocated) {
        if (fn)
            ((__typeof__(virTypedParamsFree) *)fn)(params, nparams);
    } else {
        if (fn)
            ((__typeof__(virTypedParamsClear) *)fn)(params, nparams);
        free(params);
    }
    return d;
}

/* Dict keys for typed-parameter names.  PyDict_SetItemString creates,
 * interns and hashes a new str for every entry (~700 instructions); this
 * cache keeps the interned str objects (GIL held; a collision replaces the
 * entry, a miss only costs what PyDict_SetItemString did). */
#define VBPY_TP_KEYS 512
static struct {
    char name[VIR_TYPED_PARAM_FIELD_LENGTH];
    PyObject *key;
} vbpy_tp_keys[VBPY_TP_KEYS];

PyObject *vbpyFieldKey(const char *field)   /* borrowed */
{
    /* hash the length and the first and last 8 bytes (names are short; the
     * entry is then compared in full) */
    size_t len = strnlen(field, VIR_TYPED_PARAM_FIELD_LENGTH - 1);
    uint64_t a = 0, b = 0;
    memcpy(&a, field, len < 8 ? len : 8);
    if (len > 8)
        memcpy(&b, field + len - (len < 16 ? len - 8 : 8), len < 16 ? len - 8 : 8);
    uint64_t h = a ^ (b * 0x9E3779B97F4A7C15ull) ^ len;
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;   /* splitmix64's finalizer */
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
    h ^= h >> 31;
    size_t i = (size_t)(h % VBPY_TP_KEYS);
    if (vbpy_tp_keys[i].key && strncmp(vbpy_tp_keys[i].name, field, len + 1) == 0)
        return vbpy_tp_keys[i].key;
    PyObject *key = PyUnicode_DecodeUTF8(field, (Py_ssize_t)len, "surrogateescape");
    if (!key)
        return NULL;
    PyUnicode_InternInPlace(&key);
    Py_XSETREF(vbpy_tp_keys[i].key, key);
    memcpy(vbpy_tp_keys[i].name, field, len);
    vbpy_tp_keys[i].name[len] = '\0';
    return key;
}

PyObject *vbpyTPToDictBorrowed(virTypedParameterPtr params, int nparams)
{
    PyObject *d = PyDict_New();
    for (int i = 0; d && i < nparams; i++) {
        virTypedParameterPtr p = &params[i];
        PyObject *v = NULL;
        switch (p->type) {
        case VIR_TYPED_PARAM_INT: v = PyLong_FromLong(p->value.i); break;
        case VIR_TYPED_PARAM_UINT: v = PyLong_FromUnsignedLong(p->value.ui); break;
        case VIR_TYPED_PARAM_LLONG: v = PyLong_FromLongLong(p->value.l); break;
        case VIR_TYPED_PARAM_ULLONG: v = PyLong_FromUnsignedLongLong(p->value.ul); break;
        case VIR_TYPED_PARAM_DOUBLE: v = PyFloat_FromDouble(p->value.d); break;
        case VIR_TYPED_PARAM_BOOLEAN: v = PyBool_FromLong(p->value.b); break;
        case VIR_TYPED_PARAM_STRING: v = vbpyFromString(p->value.s, false); break;
        default: continue;   /* a type newer than this module: left out */
        }
        PyObject *k = v ? vbpyFieldKey(p->field) : NULL;
        if (!k || PyDict_SetItem(d, k, v) < 0)
            Py_CLEAR(d);
        Py_XDECREF(v);
    }
    return d;
}

/* -------------------------------------------------------------- CPU maps */

int vbpyHostCPUs(PyObject *obj)
{
    const vbpyClass *connCls = vbpyFindClass("virConnect");
    PyObject *conn = connCls ? vbpyAncestor(obj, connCls) : NULL;
    if (!conn) {
        PyErr_SetString(PyExc_TypeError, "object has no connection");
        return -1;
    }
    virConnectPtr c = vbpySelf(conn);
    if (!c)
        return -1;
    vbpySym *sym = vbpyFindSym("virNodeGetCPUMap");
    __typeof__(virNodeGetCPUMap) *fn = sym ? vbpyResolve(sym) : vbpyMissing("virNodeGetCPUMap");
    if (!fn)
        return -1;
    int n;
    vbpyErr err = { .set = false };
    VBPY_NOGIL(err, n = fn(c, NULL, NULL, 0), n == -1);
    if (n == -1) {
        vbpyErrRaise(&err, "virNodeGetCPUMap");
        return -1;
    }
    return n;
}

int vbpyToCpumap(PyObject *o, const char *arg, PyObject *self, unsigned char **map,
                 Py_ssize_t *maplen)
{
    *map = NULL;
    *maplen = 0;
    if (!o || !PyTuple_Check(o)) {
        PyErr_Format(PyExc_TypeError, "argument '%s' must be a tuple of bool, not %.100s", arg,
                     o ? Py_TYPE(o)->tp_name : "None");
        return -1;
    }
    int ncpus = vbpyHostCPUs(self);
    if (ncpus < 0)
        return -1;
    Py_ssize_t len = VIR_CPU_MAPLEN(ncpus);
    unsigned char *m = calloc(len ? (size_t)len : 1, 1);
    if (!m) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(o);
    for (Py_ssize_t i = 0; i < n && i < ncpus; i++) {
        int b = PyObject_IsTrue(PyTuple_GET_ITEM(o, i));   /* as libvirt-python */
        if (b < 0) {
            free(m);
            return -1;
        }
        if (b)
            VIR_USE_CPU(m, i);
    }
    *map = m;
    *maplen = len;
    return 0;
}

PyObject *vbpyCpumapTuple(const unsigned char *map, int ncpus)
{
    PyObject *t = PyTuple_New(ncpus);
    for (int i = 0; t && i < ncpus; i++) {
        PyObject *b = VIR_CPU_USABLE(map, VIR_CPU_MAPLEN(ncpus), 0, i) ? Py_True : Py_False;
        Py_INCREF(b);
        PyTuple_SET_ITEM(t, i, b);
    }
    return t;
}

/* ----------------------------------------------------------------- events */

vbpyEventData *vbpyEventDataNew(PyObject *conn, const vbpyClass *objcls, PyObject *cb,
                                PyObject *opaque)
{
    vbpyEventData *d = calloc(1, sizeof(*d));
    if (!d) {
        PyErr_NoMemory();
        return NULL;
    }
    Py_INCREF(conn);
    Py_INCREF(cb);
    Py_INCREF(opaque);
    d->conn = conn;
    d->objcls = objcls;
    d->cb = cb;
    d->opaque = opaque;
    return d;
}

/* vbpy_tracked: the tracked registrations (GIL-protected), newest first. */

static void vbpyEventUntrack(vbpyEventData *d)
{
    if (!d->tracked)
        return;
    if (d->prev)
        d->prev->next = d->next;
    else
        vbpy_tracked = d->next;
    if (d->next)
        d->next->prev = d->prev;
    d->prev = d->next = NULL;
    d->tracked = false;
}

void vbpyEventTrack(vbpyEventData *d, vbpyDeregKind kind, vbpySym *dereg, int id,
                    void (*ccb)(void), void (*after)(PyObject *conn))
{
    if (!d || !dereg || d->tracked)
        return;
    d->kind = kind;
    d->dereg = dereg;
    d->id = id;
    d->ccb = ccb;
    d->after = after;
    d->prev = NULL;
    d->next = vbpy_tracked;
    if (vbpy_tracked)
        vbpy_tracked->prev = d;
    vbpy_tracked = d;
    d->tracked = true;
}

void vbpyEventReleaseAll(PyObject *conn, void *cptr)
{
    vbpyEventReleaseConn(conn, cptr, false);
}

/* The registration being ended by vbpyEventEnd, until libvirt frees it. */
static vbpyEventData *vbpy_ending;

int vbpyEventEnd(vbpyEventData *d, void *cptr, bool dying, vbpyErr *err)
{
    PyObject *conn = d->conn;
    vbpyEventUntrack(d);   /* d may be freed by the call below: copy what it needs */
    if (dying)
        d->conn = NULL;    /* no reference to give back: the wrapper is being freed */
    vbpyDeregKind kind = d->kind;
    void *fn = vbpyResolveQuiet(d->dereg);
    int id = d->id, ret = -1;
    void (*ccb)(void) = d->ccb;
    void (*after)(PyObject *) = d->after;
    if (!fn)
        return -1;
    vbpy_ending = d;
    Py_BEGIN_ALLOW_THREADS
    switch (kind) {
    case VBPY_DEREG_ID:
        ret = ((__typeof__(virConnectDomainEventDeregisterAny) *)fn)(cptr, id);
        break;
    case VBPY_DEREG_CLOSE:
        ret = ((__typeof__(virConnectUnregisterCloseCallback) *)fn)(cptr, (virConnectCloseFunc)ccb);
        break;
    case VBPY_DEREG_LEGACY:
        ret = ((__typeof__(virConnectDomainEventDeregister) *)fn)(cptr,
                                                                 (virConnectDomainEventCallback)ccb);
        break;
    case VBPY_DEREG_ADM_CLOSE:
        ret = ((__typeof__(virAdmConnectUnregisterCloseCallback) *)fn)(cptr,
                                                                      (virAdmConnectCloseFunc)ccb);
        break;
    }
    if (ret == -1 && err)
        vbpyErrCapture(err);
    Py_END_ALLOW_THREADS
    if (vbpy_ending == d) {
        vbpy_ending = NULL;
        /* libvirt did not free it.  A close callback on a driver without
         * close callbacks (the test driver: registering "succeeds" and keeps
         * nothing; unregistering too): libvirt never calls the free callback,
         * so it is released here.  Event callbacks are freed by libvirt
         * (now, or later from its event loop). */
        if (ret == 0 && (kind == VBPY_DEREG_CLOSE || kind == VBPY_DEREG_ADM_CLOSE))
            vbpyEventFree(d);
    }
    if (after && !dying && ret == 0)
        after(conn);
    return ret;
}

vbpyEventData *vbpyEventFind(PyObject *conn, vbpyDeregKind kind)
{
    for (vbpyEventData *d = vbpy_tracked; d; d = d->next)
        if (d->conn == conn && d->kind == kind)
            return d;
    return NULL;
}

static void vbpyEventReleaseConn(PyObject *conn, void *cptr, bool dying)
{
    if (!cptr)
        return;
    for (;;) {
        /* from the start each time: libvirt's free callbacks unlink entries */
        vbpyEventData *d = vbpy_tracked;
        while (d && d->conn != conn)
            d = d->next;
        if (!d)
            break;
        vbpyEventEnd(d, cptr, dying, NULL);   /* failures ignored: the connection is going away */
    }
}

void vbpyEventFree(void *opaque)
{
    vbpyEventData *d = opaque;
    if (!d || !Py_IsInitialized())
        return;
    PyGILState_STATE st = PyGILState_Ensure();
    vbpyEventUntrack(d);
    if (vbpy_ending == d)
        vbpy_ending = NULL;
    Py_CLEAR(d->conn);
    Py_CLEAR(d->cb);
    Py_CLEAR(d->opaque);
    PyGILState_Release(st);
    free(d);
}

PyObject *vbpyEventObject(vbpyEventData *d, void *ptr)
{
    if (!ptr || !d->objcls)
        Py_RETURN_NONE;
    if (!d->objcls->ref) {
        if (!d->objcls->release)
            return NULL;
        return vbpyWrap(d->objcls, ptr, d->conn);
    }
    /* lent: libvirt keeps ptr alive until the callback returns; a libvirt
     * reference is taken only if the callback keeps the wrapper
     * (vbpyEventSettle).  The lent flag makes deallocation never release
     * the borrowed pointer, whenever it happens. */
    vbpyObject *o = PyObject_New(vbpyObject, d->objcls->type);
    if (!o)
        return NULL;
    o->ptr = ptr;
    o->cls = d->objcls;
    o->weakrefs = NULL;
    o->lent = 1;
    o->parent = d->conn;
    Py_XINCREF(d->conn);
    return (PyObject *)o;
}

void vbpyEventSettle(PyObject *obj)
{
    if (!obj || Py_TYPE(obj)->tp_dealloc != vbpyObject_dealloc)
        return;
    vbpyObject *o = (vbpyObject *)obj;
    if (!o->lent)
        return;
    o->lent = 0;
    if (!o->ptr)
        return;
    if (Py_REFCNT(obj) > 1) {
        Py_BEGIN_ALLOW_THREADS
        o->cls->ref(o->ptr);   /* kept by the callback: the wrapper owns a reference now */
        Py_END_ALLOW_THREADS
    } else {
        o->ptr = NULL;         /* only the caller's reference: going away, nothing to release */
    }
}

void vbpyEventCall(vbpyEventData *d, PyObject *args)
{
    PyObject *r = NULL;
    if (args) {
        /* a conversion that failed left a NULL item and an exception */
        bool complete = true;
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(args); i++)
            complete = complete && PyTuple_GET_ITEM(args, i);
        if (complete)
            r = PyObject_Call(d->cb, args, NULL);
        if (PyTuple_GET_SIZE(args) > 1)
            vbpyEventSettle(PyTuple_GET_ITEM(args, 1));   /* args holds one reference */
        Py_DECREF(args);
    }
    if (!r)
        PyErr_WriteUnraisable(d->cb);
    Py_XDECREF(r);
}

PyObject *vbpyGraphicsAddress(const virDomainEventGraphicsAddress *a)
{
    if (!a)
        Py_RETURN_NONE;
    return Py_BuildValue("{s:i,s:N,s:N}", "family", a->family, "node",
                         vbpyFromString(a->node, false), "service",
                         vbpyFromString(a->service, false));
}

PyObject *vbpyGraphicsSubject(const virDomainEventGraphicsSubject *s)
{
    if (!s)
        Py_RETURN_NONE;
    PyObject *list = PyList_New(s->nidentity);
    for (int i = 0; list && i < s->nidentity; i++) {
        PyObject *t = Py_BuildValue("(NN)", vbpyFromString(s->identities[i].type, false),
                                    vbpyFromString(s->identities[i].name, false));
        if (!t)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, t);
    }
    return list;
}

/* --------------------------------------------------------------- results */

void vbpyFreeStrings(char **arr, size_t n)
{
    for (size_t i = 0; arr && i < n; i++)
        free(arr[i]);
}

PyObject *vbpyWrapArray(const vbpyClass *cls, void **arr, size_t n, PyObject *parent)
{
    PyObject *list = PyList_New((Py_ssize_t)n);
    size_t i = 0;
    for (; list && i < n; i++) {
        PyObject *o = vbpyWrap(cls, arr[i], parent);   /* releases arr[i] on failure */
        if (!o) {
            Py_CLEAR(list);
            i++;
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, o);
    }
    /* what was not wrapped still belongs to us */
    if (cls->release && i < n) {
        Py_BEGIN_ALLOW_THREADS
        for (size_t k = i; k < n; k++)
            cls->release(arr[k]);
        Py_END_ALLOW_THREADS
    }
    free(arr);
    return list;
}

PyObject *vbpyStringList(char **arr, size_t n)
{
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *s = vbpyFromString(arr[i], false);
        if (!s) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, s);
    }
    vbpyFreeStrings(arr, n);
    free(arr);
    return list;
}

PyObject *vbpyIntList(int *arr, size_t n)
{
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *v = PyLong_FromLong(arr[i]);
        if (!v) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, v);
    }
    free(arr);
    return list;
}

PyObject *vbpyBytesFree(unsigned char *buf, size_t len)
{
    PyObject *r = PyBytes_FromStringAndSize((const char *)buf, (Py_ssize_t)len);
    explicit_bzero(buf, len);
    free(buf);
    return r;
}

PyObject *vbpyErrorTuple(virErrorPtr v)
{
    if (!v)
        Py_RETURN_NONE;
    /* no Py_BuildValue format to parse: this runs for every failed call.
     * libvirt often repeats the message as str1 ("Domain not found"): that
     * str is decoded once. */
    PyObject *msg = vbpyStrOrNone(v->message), *str1;
    if (msg && v->message && v->str1 && strcmp(v->message, v->str1) == 0) {
        str1 = msg;
        Py_INCREF(str1);
    } else {
        str1 = vbpyStrOrNone(v->str1);
    }
    return vbpyPackV(true, 9, PyLong_FromLong(v->code), PyLong_FromLong(v->domain), msg,
                     PyLong_FromLong(v->level), str1, vbpyStrOrNone(v->str2),
                     vbpyStrOrNone(v->str3), PyLong_FromLong(v->int1), PyLong_FromLong(v->int2));
}

PyObject *vbpyULLongList(unsigned long long *arr, size_t n)
{
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *v = PyLong_FromUnsignedLongLong(arr[i]);
        if (!v) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, v);
    }
    free(arr);
    return list;
}

/* A str from libvirt's UTF-8 text.  XML documents and names are nearly
 * always ASCII: one pass ORs the text 32 bytes at a time in two 16-byte
 * vectors (GCC/clang vector extension: SSE2 on x86-64, plain words
 * elsewhere) and a memcpy fills a 1-byte-kind str.  CPython's decoder checks
 * and copies a word at a time; callgrind on XMLDesc's 1 KB document:
 * docs/performance.md.  Anything else goes through the decoder, invalid
 * bytes kept as surrogates. */
typedef unsigned char vbpyBytes16 __attribute__((vector_size(16)));

static PyObject *vbpyStrFromUTF8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    vbpyBytes16 acc0 = { 0 }, acc1 = { 0 };
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        vbpyBytes16 w0, w1;
        memcpy(&w0, p + i, sizeof(w0));
        memcpy(&w1, p + i + 16, sizeof(w1));
        acc0 |= w0;
        acc1 |= w1;
    }
    acc0 |= acc1;
    uint64_t half[2];
    memcpy(half, &acc0, sizeof(half));
    uint64_t high = half[0] | half[1];
    for (; i < n; i++)
        high |= p[i];
    if (n > PY_SSIZE_T_MAX || (high & UINT64_C(0x8080808080808080)))
        return PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "surrogateescape");
    PyObject *r = PyUnicode_New((Py_ssize_t)n, 127);
    if (r)
        memcpy(PyUnicode_1BYTE_DATA(r), s, n);
    return r;
}

PyObject *vbpyFromString(char *s, bool owned)
{
    if (!s)
        Py_RETURN_NONE;
    PyObject *r = vbpyStrFromUTF8(s, strlen(s));
    if (owned)
        free(s);
    return r;
}

PyObject *vbpyPackV(bool as_tuple, size_t n, ...)
{
    PyObject *seq = as_tuple ? PyTuple_New((Py_ssize_t)n) : PyList_New((Py_ssize_t)n);
    bool ok = seq != NULL;
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        PyObject *v = va_arg(ap, PyObject *);
        if (!v)
            ok = false;
        else if (!seq)
            Py_DECREF(v);
        else if (as_tuple)
            PyTuple_SET_ITEM(seq, (Py_ssize_t)i, v);
        else
            PyList_SET_ITEM(seq, (Py_ssize_t)i, v);
    }
    va_end(ap);
    if (!ok)
        Py_CLEAR(seq);   /* NULL slots are fine for the dealloc */
    return seq;
}

PyObject *vbpyPack(PyObject **r, size_t n, bool as_tuple)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        ok = ok && r[i];
    PyObject *seq = ok ? (as_tuple ? PyTuple_New((Py_ssize_t)n) : PyList_New((Py_ssize_t)n)) : NULL;
    for (size_t i = 0; i < n; i++) {
        if (!seq)
            Py_XDECREF(r[i]);
        else if (as_tuple)
            PyTuple_SET_ITEM(seq, (Py_ssize_t)i, r[i]);
        else
            PyList_SET_ITEM(seq, (Py_ssize_t)i, r[i]);
    }
    return seq;
}

/* ----------------------------------------------------------------- module */

static int vbpyAddManifest(PyObject *module, const char *attr, const vbpyManifestEntry *e, size_t n)
{
    PyObject *d = PyDict_New();
    if (!d)
        return -1;
    for (size_t i = 0; i < n; i++) {
        PyObject *v = PyUnicode_FromString(e[i].pyname);
        if (!v || PyDict_SetItemString(d, e[i].cname, v) < 0) {
            Py_XDECREF(v);
            Py_DECREF(d);
            return -1;
        }
        Py_DECREF(v);
    }
    return vbpyModAdd(module, attr, d);
}

/* libvirt.so.0 and libvirt-admin.so.0 (which links it) each register the
 * GObject types virAdmConnect, virAdmServer and virAdmClient on their first
 * object; the second registration fails and the process crashes.  So each
 * module refuses to load where the other side is already in use: virtbind
 * when libvirt-admin.so.0 is loaded, virtbind_admin when libvirt.so.0 is
 * (by virtbind, libvirt-python or anything else). */
static int vbpyCheckExclusive(bool admin)
{
    const char *other = admin ? "libvirt.so.0" : "libvirt-admin.so.0";
    void *h = dlopen(other, RTLD_NOW | RTLD_NOLOAD);
    if (!h)
        return 0;
    dlclose(h);
    PyErr_Format(PyExc_ImportError,
                 "%s: %s is already loaded in this process. libvirt.so.0 and "
                 "libvirt-admin.so.0 both register the GObject types virAdmConnect, "
                 "virAdmServer and virAdmClient and the process crashes once both have "
                 "created objects, so %s cannot be used here: %s",
                 admin ? "virtbind_admin" : "virtbind", other,
                 admin ? "libvirt's admin API" : "libvirt's main API",
                 admin ? "use virtbind_admin in a process that does not import virtbind "
                         "or libvirt (python3-libvirt), e.g. a subprocess"
                       : "use virtbind in a process that does not import virtbind_admin, "
                         "e.g. a subprocess");
    return -1;
}

int vbpyModuleInit(PyObject *module, const vbpyModuleInfo *info)
{
    vbpy_info = info;
    if (vbpyCheckExclusive(info->admin) < 0)
        return -1;
    if (info->admin) {
        /* the admin library first (it brings libvirt.so.0, whose error
         * functions the runtime uses) */
        const char *apath = vbpyLibPath(VBPY_LIB_ADMIN);
        if (!vbpyLibHandle(VBPY_LIB_ADMIN)) {
            const char *why = dlerror();
            PyErr_Format(PyExc_ImportError, "virtbind_admin: cannot load %s: %s", apath,
                         why ? why : "?");
            return -1;
        }
        vbpySym *init = vbpyFindSym("virAdmInitialize");
        __typeof__(virAdmInitialize) *ainit = init ? vbpyResolveQuiet(init) : NULL;
        if (ainit && ainit() < 0) {
            PyErr_SetString(PyExc_ImportError, "virtbind_admin: virAdmInitialize failed");
            return -1;
        }
    }

    const char *path = vbpyLibPath(VBPY_LIB_MAIN);
    if (!vbpyLibHandle(VBPY_LIB_MAIN)) {
        const char *why = dlerror();
        PyErr_Format(PyExc_ImportError, "virtbind: cannot load %s: %s", path, why ? why : "?");
        return -1;
    }
    vbpy_copyLastError = vbpyRuntimeSym(info->sym_copy_last_error);
    vbpy_resetError = vbpyRuntimeSym(info->sym_reset_error);
    vbpy_tpClear = vbpyRuntimeSym(info->sym_tp_clear);
    if (!vbpy_str_err && !(vbpy_str_err = PyUnicode_InternFromString("err")))
        return -1;
    if (!vbpy_bufsize_error) {
        PyObject *bases = PyTuple_Pack(2, PyExc_ValueError, PyExc_OverflowError);
        vbpy_bufsize_error = bases ? PyErr_NewException(info->admin ? "virtbind_admin.BufferSizeError"
                                                                    : "virtbind.BufferSizeError",
                                                        bases, NULL)
                                   : NULL;
        Py_XDECREF(bases);
        if (!vbpy_bufsize_error)
            return -1;
    }
    __typeof__(virInitialize) *init = vbpyRuntimeSym(info->sym_initialize);
    if (init && init() < 0) {
        PyErr_SetString(PyExc_ImportError, "virtbind: virInitialize failed");
        return -1;
    }
    /* libvirt prints every error to stderr by default; errors become
     * exceptions here, so install a handler that does nothing. */
    __typeof__(virSetErrorFunc) *setErrorFunc = vbpyRuntimeSym(info->sym_set_error_func);
    if (setErrorFunc)
        setErrorFunc(NULL, vbpyNoopErrorFunc);

    if (!(vbpy_libvirtError = vbpyMakeErrorType()))
        return -1;
    Py_INCREF(vbpy_libvirtError);
    if (PyModule_AddObject(module, "libvirtError", vbpy_libvirtError) < 0) {
        Py_DECREF(vbpy_libvirtError);
        return -1;
    }

    for (size_t i = 0; i < info->nclasses; i++) {
        const vbpyClass *cls = info->classes[i];
        if (cls->release_sym)
            vbpyResolveQuiet(cls->release_sym);
        if (cls->ref_sym)
            vbpyResolveQuiet(cls->ref_sym);
        if (vbpyClassReady(cls) < 0)
            return -1;
        Py_INCREF(cls->type);
        if (PyModule_AddObject(module, cls->name, (PyObject *)cls->type) < 0) {
            Py_DECREF(cls->type);
            return -1;
        }
    }
    for (size_t i = 0; i < info->nints; i++)
        if (vbpyModAdd(module, info->ints[i].name, PyLong_FromLongLong(info->ints[i].value)) < 0)
            return -1;
    for (size_t i = 0; i < info->nstrs; i++)
        if (PyModule_AddStringConstant(module, info->strs[i].name, info->strs[i].value) < 0)
            return -1;

    if (vbpyAddManifest(module, "__virtbind_manifest__", info->manifest, info->nmanifest) < 0 ||
        vbpyAddManifest(module, "__virtbind_internal__", info->internal, info->ninternal) < 0)
        return -1;
    PyObject *skipped = PyTuple_New((Py_ssize_t)info->nskipped);
    PyObject *reasons = PyDict_New();
    if (!skipped || !reasons) {
        Py_XDECREF(skipped);
        Py_XDECREF(reasons);
        return -1;
    }
    for (size_t i = 0; i < info->nskipped; i++) {
        PyObject *n = PyUnicode_FromString(info->skipped[i].cname);
        PyObject *r = PyUnicode_FromString(info->skipped[i].reason);
        if (!n || !r || PyDict_SetItem(reasons, n, r) < 0) {
            Py_XDECREF(n);
            Py_XDECREF(r);
            Py_DECREF(skipped);
            Py_DECREF(reasons);
            return -1;
        }
        Py_DECREF(r);
        PyTuple_SET_ITEM(skipped, (Py_ssize_t)i, n);
    }
    if (vbpyModAdd(module, "__virtbind_skipped__", skipped) < 0) {
        Py_DECREF(reasons);
        return -1;
    }
    if (vbpyModAdd(module, "__virtbind_skip_reasons__", reasons) < 0)
        return -1;
    PyObject *consts = PyDict_New();
    for (size_t i = 0; consts && i < info->nskipped_consts; i++) {
        PyObject *r = PyUnicode_FromString(info->skipped_consts[i].reason);
        if (!r || PyDict_SetItemString(consts, info->skipped_consts[i].cname, r) < 0)
            Py_CLEAR(consts);
        Py_XDECREF(r);
    }
    if (vbpyModAdd(module, "__virtbind_skipped_constants__", consts) < 0)
        return -1;
    if (!info->admin && PyModule_AddFunctions(module, vbpy_runtime_functions) < 0)
        return -1;
    if (info->admin &&
        PyModule_AddStringConstant(module, "__virtbind_libvirt_admin_so__",
                                   vbpyLibPath(VBPY_LIB_ADMIN)) < 0)
        return -1;
    return PyModule_AddStringConstant(module, "__virtbind_libvirt_so__", path);
}
