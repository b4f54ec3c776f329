/* gen_python_aio.h — what `virtbind-gen --python-stubs-out DIR` writes for
 * virtbind.aio (the asyncio layer, bindings/python/virtbind/aio.py):
 *   DIR/virtbind/_aio_model.py  the model's facts the runtime needs: which
 *                               methods stay synchronous, one NamedTuple
 *                               record per event ID, the event table
 *   DIR/virtbind/aio.pyi        the async wrapper classes, typed from the
 *                               same per-function data as __init__.pyi
 * (generator/gen_python_aio.c; called from gen_python_stubs.c). */
#ifndef GEN_PYTHON_AIO_H
#define GEN_PYTHON_AIO_H

#include "gen_python_stubs.h"

/* FNS: one entry per model function (as vbPyTypedModule gets them); ORDER:
 * the N bound ones sorted by Python name. */
void vbPyAioModule(const vbModel *m, const vbPyStubFn *fns, const int *order, size_t n,
                   vbBuf *model_py, vbBuf *pyi);

#endif
