/* gen_cshim.h — the C backend of virtbind-gen (`--cshim-out DIR`): writes the
 * generated half of libvirtbind — typed-parameter structs, tables and typed
 * wrappers (gen_cshim_tp.c) and typed event registration (gen_cshim_events.c).
 * The hand-written half (the engine) lives in typedparams/. */
#ifndef GEN_CSHIM_H
#define GEN_CSHIM_H

#include "vbapi.h"
#include "vb_util.h"

/* Write DIR/typedparams.h, DIR/typedparams.c, DIR/events.h, DIR/events.c.
 * Returns 0, or -1 with a message on stderr. */
int vbGenCShim(const vbModel *m, const char *dir);

/* internal to the backend */
void vbCShimHeaderComment(vbBuf *b, const vbModel *m, const char *file, const char *what);
int vbCShimWriteFile(const char *dir, const char *name, vbBuf *b);
/* append the C declaration "TYPE NAME" ("const char *disk") */
void vbCShimArgDecl(vbBuf *b, const char *type, const char *name);
int vbCShimTypedParams(const vbModel *m, vbBuf *h, vbBuf *c);
int vbCShimEvents(const vbModel *m, vbBuf *h, vbBuf *c);

#endif
