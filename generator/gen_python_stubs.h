/* gen_python_stubs.h — typing for the `virtbind` Python package:
 * `virtbind-gen --python-stubs-out DIR` writes
 *   DIR/virtbind/__init__.pyi   every module function, class, method and constant
 *   DIR/virtbind/typed.py       typed-parameter classes + typed snake_case helpers
 *   DIR/virtbind/typed.pyi      their precise types
 *   DIR/compat/libvirt.pyi, libvirt_qemu.pyi, libvirt_lxc.pyi   re-exports
 * (generator/gen_python_stubs.c, generator/gen_python_typed.c). */
#ifndef GEN_PYTHON_STUBS_H
#define GEN_PYTHON_STUBS_H

#include "vbapi.h"
#include "vb_util.h"

/* Returns 0, or -1 with *err set (caller frees). */
int vbGenPythonStubs(const vbModel *m, const char *outdir, char **err);

/* One bound Python callable as the stubs type it. */
typedef struct {
    char *name;
    char *type;
    const char *deflt;   /* "0", "None" or NULL */
    char *enum_type;     /* the .pyi's type when the XML ties it to enum types
                          * ("Union[int, DomainXMLFlags]"), else NULL: type */
} vbPyStubParam;

typedef struct {
    int fn;              /* model function */
    bool bound;
    bool event_register;
    int host;            /* class, -1 module */
    char *pyname;
    vbPyStubParam *params;
    size_t nparams;
    char *ret;
    char *enum_ret;      /* virtbind's .pyi result when the XML ties an int
                          * result to an enum type ("CPUCompareResult"; the
                          * package converts it), else NULL: ret */
    const char *raw;     /* a hand-written stub text instead (overloads) */
} vbPyStubFn;

/* gen_python_typed.c: the typed-parameter classes and typed helpers
 * (typed.py and typed.pyi); FNS has one entry per model function. */
void vbPyTypedModule(const vbModel *m, const vbPyStubFn *fns, vbBuf *py, vbBuf *pyi);
/* virtbind/_typed_methods.py: the typed helpers per class, installed as lazy
 * methods by `import virtbind`. */
void vbPyTypedMethodsModule(const vbModel *m, const vbPyStubFn *fns, vbBuf *py);
/* the typed helpers of class CLS as method stubs (4-space indented lines);
 * ASYNC: as coroutines (virtbind.aio's wrapper classes, aio.pyi) */
void vbPyTypedClassStubs(const vbModel *m, const vbPyStubFn *fns, int cls, bool async, vbBuf *b);
/* Header comment lines ("# ...") naming the generator and the inputs. */
void vbPyStubHeader(const vbModel *m, vbBuf *b, const char *file, const char *what);

/* gen_python_enums.c: one IntEnum / IntFlag class per enum type. */
typedef struct {
    const char *ctype;   /* "virDomainState" (the model's) */
    char *pyname;        /* "DomainState" */
    bool flags;          /* IntFlag, else IntEnum */
    const char *why;     /* the rule that decided flags */
    vbSource src;
    int first;           /* a constant of the type (any, _LAST included) */
    int *members;        /* model enum indexes without _LAST, by value then name */
    char **mnames;       /* Python member names, parallel to members */
    size_t nmembers;
} vbPyEnumType;

typedef struct {
    vbPyEnumType *t;     /* sorted by C type name */
    size_t n;
} vbPyEnumTypes;

void vbPyEnumTypesBuild(const vbModel *m, vbPyEnumTypes *out);
void vbPyEnumTypesClear(vbPyEnumTypes *ts);
int vbPyEnumTypeFind(const vbPyEnumTypes *ts, const char *ctype);
/* "Union[BASE, A, B]" (or "A" / "Union[A, B]" without BASE) for the enum
 * types an info text names (admin: the admin XML's types, else the others'),
 * or NULL.  malloc'd. */
char *vbPyEnumUnion(const vbPyEnumTypes *ts, const char *info, bool admin, const char *base);
/* The enum type an int result is tied to (its info names one), or -1. */
int vbPyEnumReturn(const vbModel *m, const vbPyEnumTypes *ts, int fn);
/* Writes virtbind/enums.py(.pyi), virtbind_admin_enums.py(.pyi),
 * virtbind/errors.py(.pyi) and virtbind/_apiversions.py under OUTDIR. */
int vbPyEnumsWrite(const vbModel *m, const vbPyEnumTypes *ts, const char *outdir,
                   int (*write)(const char *dir, const char *name, vbBuf *b, char **err), char **err);

#endif
