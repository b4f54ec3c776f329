/* gen_python.h — the CPython backend of virtbind-gen. */
#ifndef GEN_PYTHON_H
#define GEN_PYTHON_H

#include "vbapi.h"

/* Write DIR/virtbind_gen.c (the generated half of the extension
 * virtbind._virtbind; the other half is bindings/python/vbpy_runtime.c) and
 * DIR/virtbind_admin_gen.c (the module virtbind_admin: libvirt's admin API,
 * which cannot share a process with the main API).  Returns 0, or -1 with
 * *err set (caller frees). */
int vbGenPython(const vbModel *m, const char *outdir, char **err);

/* libvirt-python's method name for function fn hosted by class host (-1 for
 * module level): its nameFixup rules, expressed as data in
 * gen_python_names.c.  Returns a malloc'd string. */
char *vbPyMethodName(const vbModel *m, int fn, int host);

/* Parent-getter name: virDomainGetConnect -> "connect". malloc'd. */
char *vbPyGetterName(const vbModel *m, int fn);

/* Main-API functions the admin module binds as well (the event loop). */
bool vbPyAdminAlsoBinds(const char *cname);

/* Why a function is deliberately left out for now, or NULL. */
const char *vbPyDeferredReason(const char *cname);

/* Functions with a hand-written runtime stub (vbpy_hw_<C name>): their
 * Python signature, or NULL. */
const char *vbPyHandwritten(const char *cname);
/* The class libvirt-python puts a hand-written function on, when not the
 * model's (virDomainRevertToSnapshot: virDomain), or NULL. */
const char *vbPyHandwrittenHost(const char *cname);

/* Apply libvirt-python's parameter name / default for C argument arg of
 * cname, if it differs; returns whether an override exists. */
bool vbPyArgOverride(const char *cname, const char *arg, const char **pyname, bool *has_default);

typedef struct {
    const char *cls;       /* NULL: every class that has the ancestor */
    const char *pyname;
    const char *ancestor;
} vbPyAccessor;
extern const vbPyAccessor vbPyAccessors[];

typedef struct {
    const char *cls;
    const char *name;
    long long value;
} vbPyClassAttr;
extern const vbPyClassAttr vbPyClassAttrs[];

/* A list's count libvirt-python keeps as a parameter (sendKey's nkeycodes). */
bool vbPyVisibleCount(const char *cname, const char *arg);

/* The module's constants, as the extension defines them (for the .pyi
 * stubs too): enum constants are ints unless vbPyEnumDropped (a _LAST
 * sentinel, listed in __virtbind_skipped_constants__ with vbPyLastReason);
 * a macro is a str (string macros), an int (object-like macros whose raw
 * text the generator evaluates: literals, parentheses, + and *, names of
 * other macros and enum constants; *value), a Python function (the
 * function-like macros of virtbind/_macros.py; *signature is its typed
 * Python signature, "(cpu: int) -> int"), or left out (*reason, malloc'd;
 * listed in __virtbind_skipped_constants__). */
typedef enum {
    VB_PY_CONST_INT,
    VB_PY_CONST_STR,
    VB_PY_CONST_FUNC,
    VB_PY_CONST_SKIPPED,
} vbPyConstKind;
vbPyConstKind vbPyMacroConstant(const vbModel *m, size_t macro, long long *value,
                                const char **signature, char **reason);
bool vbPyEnumDropped(const vbModel *m, size_t e);

/* Function-like macros implemented in Python (virtbind/_macros.py): their
 * typed Python signature, or NULL. */
const char *vbPyMacroFunction(const char *name);
/* Macros with no Python meaning (C casts, struct-name aliases). */
bool vbPyMacroNoMeaning(const vbModel *m, const vbMacro *mc);
extern const char vbPyMacroNoMeaningReason[];
/* The reason a dropped _LAST sentinel gets. */
extern const char vbPyLastReason[];

/* libvirt-python's "return None instead of raising" functions. */
bool vbPyNoExcept(const char *cname);

#endif
