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

/* one generated struct: a model group, or the synthetic DomainStats group
 * whose fields come from prose (gen_cshim_stats.c; then owned == true and
 * g, every mc and the members belong to the group) */
typedef struct {
    const vbMacro *mc;    /* string, name (macro, or the stats group constant),
                             tp_type, tp_multi, tp_format */
    char *member;
    int nholes;           /* prose fields: placeholders in the name (0, 1, 2) */
} tpField;

typedef struct {
    const vbTypedParamGroup *g;
    char *ctype;          /* virtbindDomainMemoryParams */
    tpField *fields;      /* sorted by macro name, then field name */
    size_t nfields;
    bool owned;           /* synthetic: g and the macros are allocated */
} tpGroup;

/* Fill TG with the domain stats record fields parsed from the doc text of
 * virConnectGetAllDomainStats; -1 when the model has no such function.
 * MAXHOLES: fields with more placeholders (<num>) are left out (the C
 * structs take 1; the Python record views 2). */
int vbCShimStatsGroup(const vbModel *m, int maxholes, tpGroup *tg);
/* The same parser for one function FN's doc text, as group NAME of APIS. */
int vbCShimProseGroup(const vbModel *m, const char *fn, const char *name,
                      const char *const *apis, size_t napis, int maxholes, tpGroup *tg);
/* A group for every other function whose fields are documented only in
 * prose (guest info, guest vcpus): *out is allocated, the count returned;
 * release each with vbCShimStatsGroupFree + members/fields/ctype, then *out. */
size_t vbCShimProseOthers(const vbModel *m, int maxholes, tpGroup **out);
void vbCShimStatsGroupFree(tpGroup *tg);
/* virtbindDomainStatsRecord and its list free function */
void vbCShimStatsRecordType(const tpGroup *tg, vbBuf *h, vbBuf *c);
/* a stats wrapper (virConnectGetAllDomainStats, virDomainListGetStats);
 * -1 when FN does not have the expected shape (nothing written) */
int vbCShimStatsWrapper(const vbFunction *fn, const tpGroup *tg, vbBuf *h, vbBuf *c);
void vbCShimHeaderComment(vbBuf *b, const vbModel *m, const char *file, const char *what);
int vbCShimWriteFile(const char *dir, const char *name, vbBuf *b);
/* append the C declaration "TYPE NAME" ("const char *disk") */
void vbCShimArgDecl(vbBuf *b, const char *type, const char *name);
int vbCShimTypedParams(const vbModel *m, vbBuf *h, vbBuf *c);
int vbCShimEvents(const vbModel *m, vbBuf *h, vbBuf *c);

#endif
