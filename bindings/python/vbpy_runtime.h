/* vbpy_runtime.h — the hand-written runtime of virtbind's CPython extension.
 *
 * The generated module (build/python/gen/virtbind_gen.c, written by
 * virtbind-gen --python-out) holds one direct-call stub per libvirt function,
 * the symbol table, the class descriptors and the constant tables.  This
 * runtime provides what every stub shares:
 *
 *   - lazy symbol resolution: libvirt is dlopen()ed at import (never linked);
 *     a stub asks vbpyResolve() for its function and a missing symbol raises
 *     libvirtError(VIR_ERR_NO_SUPPORT, "virXxx requires libvirt >= X.Y.Z");
 *   - libvirtError with the libvirt-python 9-tuple `err` and its getters;
 *   - argument parsing (FASTCALL + keywords) and conversions that raise
 *     TypeError / OverflowError / ValueError instead of crashing;
 *   - object wrappers: one PyTypeObject per class, each instance holding the
 *     C pointer and a strong reference to its parent wrapper; tp_dealloc
 *     calls the class free function exactly once.
 *
 * Threading: libvirt calls run with the GIL released.  The last libvirt error
 * is thread-local, so a stub copies it (vbpyErrCapture) on the same thread,
 * immediately after the failed call and before the GIL is taken back. */
#ifndef VBPY_RUNTIME_H
#define VBPY_RUNTIME_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <libvirt/libvirt.h>
#include <libvirt/libvirt-admin.h>
#include <libvirt/libvirt-lxc.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>

#include <stdbool.h>

/* ----------------------------------------------------------- libraries */

typedef enum {
    VBPY_LIB_MAIN = 0,  /* libvirt.so.0        (env VIRTBIND_LIBVIRT_SO) */
    VBPY_LIB_QEMU,      /* libvirt-qemu.so.0   (env VIRTBIND_LIBVIRT_QEMU_SO) */
    VBPY_LIB_LXC,       /* libvirt-lxc.so.0    (env VIRTBIND_LIBVIRT_LXC_SO) */
    VBPY_LIB_ADMIN,     /* libvirt-admin.so.0  (env VIRTBIND_LIBVIRT_ADMIN_SO) */
    VBPY_LIB_COUNT
} vbpyLib;

/* One entry per C function the module may call, from the API XML. */
typedef struct {
    const char *name;     /* "virDomainGetInfo" */
    const char *version;  /* libvirt version that added it, "0.0.1" */
    vbpyLib lib;
    bool resolved;        /* dlsym was tried (addr may still be NULL) */
    void *addr;
} vbpySym;

/* The symbol's address, or NULL with libvirtError(VIR_ERR_NO_SUPPORT) set.
 * Call with the GIL held.  Inline: after the first call of a function its
 * address is there (the dlsym and the raise are out of line). */
void *vbpyResolveSlow(vbpySym *sym);
static inline void *vbpyResolve(vbpySym *sym)
{
    return sym->addr ? sym->addr : vbpyResolveSlow(sym);
}
/* Same without raising (used by tp_dealloc and by import). */
void *vbpyResolveQuiet(vbpySym *sym);
/* The table entry of a C function by name (the table is sorted), or NULL. */
vbpySym *vbpyFindSym(const char *name);
/* vbpyResolve by name: for hand-written stubs. */
#define VBPY_RESOLVE_NAMED(fn) ((__typeof__(fn) *)vbpyResolveNamed(#fn))
/* vbpyResolve(vbpyFindSym(name)), or vbpyMissing(name); name is a string
 * literal: the lookup is cached by its address (GIL held). */
void *vbpyResolveNamed(const char *name);
void *vbpyMissing(const char *name);
/* g_free of the GLib libvirt uses (free() without GLib). */
void (*vbpyGFree(void))(void *);

/* ------------------------------------------------------------- errors */

/* A copy of libvirt's thread-local last error, taken right after a failure. */
typedef struct {
    bool set;
    virError err;
} vbpyErr;

/* Copy the calling thread's last libvirt error into *e (GIL not needed). */
void vbpyErrCapture(vbpyErr *e);
/* The hand-written stubs' call: run CALL (a statement, e.g. `ret = fn(dom,
 * &info)`) with the GIL released and, when FAILED (an expression over its
 * result) is then true, copy libvirt's error into ERR before the GIL is taken
 * back, on the failing thread (the generated stubs spell this out). */
#define VBPY_NOGIL(err, call, failed) \
    do {                              \
        Py_BEGIN_ALLOW_THREADS        \
        call;                         \
        if (failed)                   \
            vbpyErrCapture(&(err));   \
        Py_END_ALLOW_THREADS          \
    } while (0)
/* Raise libvirtError from *e (or "<cname>() failed" when no error was set),
 * release its strings, return NULL. */
PyObject *vbpyErrRaise(vbpyErr *e, const char *cname);
/* Raise libvirtError with an explicit code and message; returns NULL. */
PyObject *vbpyRaiseCode(int code, const char *msg);

extern PyObject *vbpy_libvirtError;
/* _set_error_classes({code: libvirtError subclass}): the class raised per code. */
PyObject *vbpySetErrorClasses(PyObject *self, PyObject *mapping);
/* registerErrorHandler: f(ctx, err) on every libvirt error; None: silence. */
int vbpySetErrorHandler(PyObject *f, PyObject *ctx);

/* ------------------------------------------------------------ classes */

typedef struct vbpyClass vbpyClass;

typedef struct {
    PyObject_HEAD
    void *ptr;               /* NULL once closed */
    PyObject *parent;        /* strong reference, or NULL for roots */
    const vbpyClass *cls;
    PyObject *weakrefs;      /* weak references (tp_weaklistoffset), as libvirt-python's classes */
    int lent;                /* ptr borrowed from an event callback: never released here
                              * (vbpyEventSettle takes a reference or clears ptr) */
} vbpyObject;

struct vbpyClass {
    const char *name;              /* "virDomain" */
    PyTypeObject *type;
    const vbpyClass *parent;       /* class this one keeps alive, or NULL */
    void (*release)(void *ptr);    /* calls <Class>Free / <Class>Close */
    vbpySym *release_sym;          /* resolved at import: release runs without the GIL */
    void (*ref)(void *ptr);        /* calls <Class>Ref (objects lent to callbacks) */
    vbpySym *ref_sym;
};

/* A generated class by name ("virDomainSnapshot"), or NULL. */
const vbpyClass *vbpyFindClass(const char *name);
/* Set an int class attribute (virStorageVol.streamBufSize). */
int vbpyClassAttr(const vbpyClass *cls, const char *name, long long value);
/* Fill the generic slots of a generated class type and ready it. */
int vbpyClassReady(const vbpyClass *cls);
/* Wrap a new reference: the wrapper owns ptr (released on dealloc, also on
 * failure here) and keeps parent alive.  Returns NULL with an exception. */
PyObject *vbpyWrap(const vbpyClass *cls, void *ptr, PyObject *parent);
/* The C pointer of self; raises libvirtError when the object was closed.
 * Inline: every method call asks for it (the raise is out of line). */
void *vbpySelfClosed(PyObject *self);
static inline void *vbpySelf(PyObject *self)
{
    void *ptr = ((vbpyObject *)self)->ptr;
    return ptr ? ptr : vbpySelfClosed(self);
}
/* Walk the parent chain of obj up to an instance of cls (borrowed), or NULL. */
PyObject *vbpyAncestor(PyObject *obj, const vbpyClass *cls);
/* Generated parent getters (dom.connect()) use this: a new reference. */
PyObject *vbpyGetAncestor(PyObject *self, const vbpyClass *cls);
/* close(): release the pointer now (once) and return the free function's
 * result; the wrapper is unusable afterwards. */
typedef int (*vbpyCloseFunc)(void *ptr);

/* -------------------------------------------------------- arguments */

/* Match positional and keyword arguments to kwlist (nparams names).  out[i]
 * is a borrowed reference or NULL when not given.  Raises TypeError. */
int vbpyParseArgs(const char *fname, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                  const char *const *kwlist, Py_ssize_t nparams, Py_ssize_t nrequired,
                  PyObject **out);

/* Conversions; o may be NULL (argument omitted): the default is used. */
int vbpyToInt(PyObject *o, const char *arg, int *out);
int vbpyToUInt(PyObject *o, const char *arg, unsigned int *out);
int vbpyToLong(PyObject *o, const char *arg, long *out);
int vbpyToULong(PyObject *o, const char *arg, unsigned long *out);
int vbpyToLLong(PyObject *o, const char *arg, long long *out);
int vbpyToULLong(PyObject *o, const char *arg, unsigned long long *out);
int vbpyToSize(PyObject *o, const char *arg, size_t *out);
int vbpyToDouble(PyObject *o, const char *arg, double *out);
/* Buffers whose size the caller chooses (blockPeek, memoryPeek, stream
 * recv ...) are at most VBPY_BUFFER_MAX bytes: libvirt's RPC message limit
 * (VIR_NET_MESSAGE_MAX, 32 MiB), so no remote reply can fill more. */
#define VBPY_BUFFER_MAX (32 * 1024 * 1024)
/* A count of elem-byte items for such a buffer: int; negative ->
 * ValueError; more than VBPY_BUFFER_MAX bytes -> OverflowError. */
int vbpyToBufLen(PyObject *o, const char *arg, size_t elem, size_t *out);
int vbpyToBool(PyObject *o, const char *arg, bool *out);
/* str (UTF-8, no NUL); None only when nullable; omitted gives NULL. */
int vbpyToString(PyObject *o, const char *arg, bool nullable, const char **out);
/* bytes (any buffer); with need >= 0 its length must be exactly need
 * (ValueError otherwise). */
int vbpyToBytes(PyObject *o, const char *arg, Py_ssize_t need, const void **buf, Py_ssize_t *len);
/* A typed-parameter field the model knows: its name, virTypedParameterType
 * (0: unknown, the Python value's type decides), whether it may repeat (a
 * list value gives one entry per item), whether name is a printf format. */
typedef struct {
    const char *name;
    int type;
    bool multi;
    bool format;
} vbpyTPField;

typedef struct {
    const char *name;          /* "DomainBlkio" */
    const vbpyTPField *fields; /* sorted by name */
    size_t nfields;
} vbpyTPGroup;

/* dict -> typed parameters (allocated here: release with vbpyTPRelease).
 * With a group, keys must be its fields (LookupError otherwise) unless it has
 * format fields; values must fit the field's type. */
int vbpyTPFromDict(PyObject *o, const char *arg, const vbpyTPGroup *group,
                   virTypedParameterPtr *params, int *nparams);
void vbpyTPRelease(virTypedParameterPtr params, int nparams);
/* Typed parameters filled by libvirt -> dict; then virTypedParamsFree (lib
 * allocated: the array too) or virTypedParamsClear + free (caller array). */
PyObject *vbpyTPToDict(virTypedParameterPtr params, int nparams, bool lib_allocated);
/* Generated getters first fetch into a stack array of VBPY_TP_STACK entries
 * (no size probe); only a full array makes them probe and fetch again. */
#define VBPY_TP_STACK 16
/* vbpyTPToDict(params, nparams, false) for an array that may be `stack`
 * (then cleared, not freed). */
PyObject *vbpyTPToDictFree(virTypedParameterPtr params, int nparams, virTypedParameterPtr stack);
/* virTypedParamsClear, callable without the GIL (resolved at import). */
void vbpyTPClearNoGIL(virTypedParameterPtr params, int nparams);

/* A list/tuple of str -> a malloc'd array of strdup'd strings (an empty
 * list, or None when nullable, gives NULL, 0); release with
 * vbpyFreeStringArray. */
int vbpyToStringArray(PyObject *o, const char *arg, bool nullable, char ***out, Py_ssize_t *n);
void vbpyFreeStringArray(char **arr, Py_ssize_t n);

/* A list/tuple of int -> a malloc'd int (or unsigned int) array; an empty
 * list gives NULL, 0; release with free(). */
int vbpyToIntArray(PyObject *o, const char *arg, bool is_unsigned, void **out, Py_ssize_t *n);

/* The number of host CPUs, from the connection obj belongs to
 * (virNodeGetCPUMap); -1 with an exception. */
int vbpyHostCPUs(PyObject *obj);
/* A tuple of booleans -> a malloc'd CPU map of VIR_CPU_MAPLEN(host CPUs)
 * bytes (libvirt-python's rules: a tuple is required, items are truth
 * values, items past the host's CPU count are ignored). */
int vbpyToCpumap(PyObject *o, const char *arg, PyObject *self, unsigned char **map,
                 Py_ssize_t *maplen);
/* A CPU map -> a tuple of ncpus booleans. */
PyObject *vbpyCpumapTuple(const unsigned char *map, int ncpus);

/* An instance of cls; None only when nullable. */
int vbpyToObject(PyObject *o, const char *arg, const vbpyClass *cls, bool nullable, void **out);

/* -------------------------------------------------------- results */

/* Steal n results (any may be NULL: then all are released and NULL is
 * returned) into a tuple, or a list when as_list. */
PyObject *vbpyPack(PyObject **r, size_t n, bool as_tuple);
/* The same for n PyObject * arguments (struct results, the error tuple). */
PyObject *vbpyPackV(bool as_tuple, size_t n, ...);

/* Lists that take ownership of a C array and its elements (freed here, also
 * on failure): wrappers of cls with parent, strings, ints. */
PyObject *vbpyWrapArray(const vbpyClass *cls, void **arr, size_t n, PyObject *parent);
PyObject *vbpyStringList(char **arr, size_t n);
PyObject *vbpyIntList(int *arr, size_t n);
PyObject *vbpyULLongList(unsigned long long *arr, size_t n);
/* free() the first n strings of arr (not arr itself). */
void vbpyFreeStrings(char **arr, size_t n);

/* bytes from a buffer libvirt allocated; the buffer is wiped and freed. */
PyObject *vbpyBytesFree(unsigned char *buf, size_t len);
/* A libvirt error as libvirt-python's 9-tuple, None for NULL. */
PyObject *vbpyErrorTuple(virErrorPtr e);

/* Decode a C string (NULL gives None); frees it when owned. */
PyObject *vbpyFromString(char *s, bool owned);

/* ------------------------------------------------------------ events */

/* How a tracked registration is ended (vbpyEventTrack). */
typedef enum {
    VBPY_DEREG_ID = 1,     /* fn(conn, callbackID): <Family>EventDeregisterAny, QEMU monitor */
    VBPY_DEREG_CLOSE,      /* virConnectUnregisterCloseCallback(conn, ccb) */
    VBPY_DEREG_LEGACY,     /* virConnectDomainEventDeregister(conn, ccb) */
    VBPY_DEREG_ADM_CLOSE,  /* virAdmConnectUnregisterCloseCallback(conn, ccb) */
} vbpyDeregKind;

/* What libvirt holds for one registered callback (its opaque). */
typedef struct vbpyEventData {
    PyObject *conn;             /* the virConnect wrapper registered on */
    const vbpyClass *objcls;    /* class of the event's object */
    PyObject *cb;
    PyObject *opaque;
    /* a registration on a connection, tracked until libvirt frees it (GIL) */
    struct vbpyEventData *prev, *next;
    bool tracked;
    vbpyDeregKind kind;
    vbpySym *dereg;             /* the deregistration function */
    int id;                     /* VBPY_DEREG_ID: the callback ID */
    void (*ccb)(void);          /* the other kinds: the C callback registered */
    void (*after)(PyObject *conn);   /* called (GIL held) after close deregistered it */
} vbpyEventData;

/* After an event callback returned, for the object vbpyEventObject lent it:
 * a wrapper still referenced elsewhere than by the caller's single reference
 * takes a libvirt reference of its own; otherwise its pointer is cleared
 * (libvirt's, released by libvirt).  No-op for anything else. */
void vbpyEventSettle(PyObject *obj);

vbpyEventData *vbpyEventDataNew(PyObject *conn, const vbpyClass *objcls, PyObject *cb,
                                PyObject *opaque);
/* virFreeCallback: libvirt is done with the registration (takes the GIL). */
void vbpyEventFree(void *opaque);
/* After a successful registration on d->conn (GIL held): remember how to end
 * it, so that closing the connection ends it (vbpyEventReleaseAll). */
void vbpyEventTrack(vbpyEventData *d, vbpyDeregKind kind, vbpySym *dereg, int id,
                    void (*ccb)(void), void (*after)(PyObject *conn));
/* Deregister every tracked registration of the connection wrapper conn
 * (C pointer cptr), each with the GIL released around the libvirt call;
 * libvirt then calls vbpyEventFree, which releases the callback and opaque
 * once.  Failures are ignored (the connection is going away).  Called by
 * close() before virConnectClose and by deallocation. */
void vbpyEventReleaseAll(PyObject *conn, void *cptr);
/* End one tracked registration (GIL held; released around the libvirt
 * call): libvirt's result, its error copied into *err (may be NULL) on -1.
 * dying: its wrapper is being deallocated. */
int vbpyEventEnd(vbpyEventData *d, void *cptr, bool dying, vbpyErr *err);
/* The tracked registration of kind on conn (close callbacks), or NULL. */
vbpyEventData *vbpyEventFind(PyObject *conn, vbpyDeregKind kind);
/* A new wrapper of an object libvirt lends to a callback (referenced). */
PyObject *vbpyEventObject(vbpyEventData *d, void *ptr);
/* Call d->cb(*args) (steals args; NULL: an exception is set); exceptions in
 * the callback are reported as unraisable.  GIL held. */
void vbpyEventCall(vbpyEventData *d, PyObject *args);
/* Graphics event payloads: {'family', 'node', 'service'} and
 * [(type, name)], as libvirt-python. */
PyObject *vbpyGraphicsAddress(const virDomainEventGraphicsAddress *a);
PyObject *vbpyGraphicsSubject(const virDomainEventGraphicsSubject *s);
/* The dict key for a libvirt field name (char[80], read up to 79 bytes even
 * without a NUL): an interned str from a cache (borrowed), NULL on error. */
PyObject *vbpyFieldKey(const char *field);
/* Typed parameters libvirt keeps ownership of -> dict. */
PyObject *vbpyTPToDictBorrowed(virTypedParameterPtr params, int nparams);

/* ------------------------------------------------------------ module */

typedef struct { const char *name; long long value; } vbpyIntConst;
typedef struct { const char *name; const char *value; } vbpyStrConst;
typedef struct { const char *cname; const char *pyname; } vbpyManifestEntry;
typedef struct { const char *cname; const char *reason; } vbpySkipEntry;

typedef struct {
    vbpySym *syms;
    size_t nsyms;
    const vbpyClass *const *classes;
    size_t nclasses;
    const vbpyIntConst *ints;
    size_t nints;
    const vbpyStrConst *strs;
    size_t nstrs;
    const vbpyManifestEntry *manifest;
    size_t nmanifest;
    const vbpyManifestEntry *internal;  /* used by the runtime, not callable */
    size_t ninternal;
    const vbpySkipEntry *skipped;
    size_t nskipped;
    const vbpySkipEntry *skipped_consts;  /* enum constants / macros left out */
    size_t nskipped_consts;
    /* virtbind_admin (libvirt-admin.so.0) rather than virtbind._virtbind: the
     * two refuse to load in a process where the other's library is loaded */
    bool admin;
    /* symbols the runtime itself uses (indexes into syms, -1 when absent) */
    int sym_copy_last_error;     /* virCopyLastError */
    int sym_reset_error;         /* virResetError */
    int sym_set_error_func;      /* virSetErrorFunc */
    int sym_initialize;          /* virInitialize */
    int sym_tp_clear;            /* virTypedParamsClear */
    int sym_tp_free;             /* virTypedParamsFree */
} vbpyModuleInfo;

/* Everything PyInit_virtbind does after PyModule_Create. */
int vbpyModuleInit(PyObject *module, const vbpyModuleInfo *info);

/* Hand-written stubs (bindings/python/vbpy_overrides.c), one per C function
 * whose libvirt-python shape the generator does not derive. */
#define VBPY_HW(cname) \
    PyObject *vbpy_hw_##cname(PyObject *self, PyObject *const *args, Py_ssize_t nargs, \
                              PyObject *kwnames)
VBPY_HW(virAdmConnectRegisterCloseCallback);
VBPY_HW(virAdmConnectUnregisterCloseCallback);
VBPY_HW(virConnectDomainEventDeregister);
VBPY_HW(virConnectDomainQemuMonitorEventRegister);
VBPY_HW(virConnectDomainEventRegister);
VBPY_HW(virConnectGetAllDomainStats);
VBPY_HW(virConnectOpenAuth);
VBPY_HW(virConnectRegisterCloseCallback);
VBPY_HW(virConnectUnregisterCloseCallback);
VBPY_HW(virDomainGetBlockJobInfo);
VBPY_HW(virDomainGetCPUStats);
VBPY_HW(virDomainGetDiskErrors);
VBPY_HW(virDomainGetEmulatorPinInfo);
VBPY_HW(virDomainGetFSInfo);
VBPY_HW(virDomainGetIOThreadInfo);
VBPY_HW(virDomainGetJobStats);
VBPY_HW(virDomainGetSchedulerParameters);
VBPY_HW(virDomainGetSchedulerParametersFlags);
VBPY_HW(virDomainGetSecurityLabel);
VBPY_HW(virDomainGetSecurityLabelList);
VBPY_HW(virDomainGetTime);
VBPY_HW(virDomainGetVcpuPinInfo);
VBPY_HW(virDomainGetVcpus);
VBPY_HW(virDomainInterfaceAddresses);
VBPY_HW(virDomainListGetStats);
VBPY_HW(virDomainLxcEnterNamespace);
VBPY_HW(virDomainLxcEnterSecurityLabel);
VBPY_HW(virDomainQemuMonitorCommandWithFiles);
VBPY_HW(virDomainMemoryStats);
VBPY_HW(virDomainRevertToSnapshot);
VBPY_HW(virDomainSetTime);
VBPY_HW(virEventAddHandle);
VBPY_HW(virEventAddTimeout);
VBPY_HW(virEventRegisterImpl);
VBPY_HW(virGetVersion);
VBPY_HW(virNetworkGetDHCPLeases);
VBPY_HW(virNodeAllocPages);
VBPY_HW(virNodeGetCPUMap);
VBPY_HW(virNodeGetCPUStats);
VBPY_HW(virNodeGetFreePages);
VBPY_HW(virNodeGetMemoryStats);
VBPY_HW(virNodeGetInfo);
VBPY_HW(virNodeGetSecurityModel);
VBPY_HW(virSetErrorFunc);
VBPY_HW(virStreamEventAddCallback);
VBPY_HW(virStreamRecv);
VBPY_HW(virStreamRecvAll);
VBPY_HW(virStreamRecvFlags);
VBPY_HW(virStreamSendAll);
VBPY_HW(virStreamSparseRecvAll);
VBPY_HW(virStreamSparseSendAll);

/* Runtime module functions that bind no libvirt function
 * (_eventInvokeHandleCallback ...), added at import. */
extern PyMethodDef vbpy_runtime_functions[];

#define VBPY_FASTCALL(fn) ((PyCFunction)(void (*)(void))(fn))

#endif
