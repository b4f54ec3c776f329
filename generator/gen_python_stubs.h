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
    const char *raw;     /* a hand-written stub text instead (overloads) */
} vbPyStubFn;

/* gen_python_typed.c: the typed-parameter classes and typed helpers
 * (typed.py and typed.pyi); FNS has one entry per model function. */
void vbPyTypedModule(const vbModel *m, const vbPyStubFn *fns, vbBuf *py, vbBuf *pyi);
/* Header comment lines ("# ...") naming the generator and the inputs. */
void vbPyStubHeader(const vbModel *m, vbBuf *b, const char *file, const char *what);

#endif
