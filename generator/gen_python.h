/* gen_python.h — the CPython backend of virtbind-gen. */
#ifndef GEN_PYTHON_H
#define GEN_PYTHON_H

#include "vbapi.h"

/* Write DIR/virtbind_gen.c (the generated half of the `virtbind` extension;
 * the other half is bindings/python/vbpy_runtime.c).  Returns 0, or -1 with
 * *err set (caller frees). */
int vbGenPython(const vbModel *m, const char *outdir, char **err);

/* libvirt-python's method name for function fn hosted by class host (-1 for
 * module level): its nameFixup rules, expressed as data in
 * gen_python_names.c.  Returns a malloc'd string. */
char *vbPyMethodName(const vbModel *m, int fn, int host);

/* Parent-getter name: virDomainGetConnect -> "connect". malloc'd. */
char *vbPyGetterName(const vbModel *m, int fn);

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

/* libvirt-python's "return None instead of raising" functions. */
bool vbPyNoExcept(const char *cname);

#endif
