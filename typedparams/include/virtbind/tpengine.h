/* virtbind/tpengine.h — the table-driven typed-parameter engine of libvirtbind.
 *
 * Every generated virtbind<Group>Params struct is described by a
 * virtbindTPStruct table (generated, see virtbind/typedparams.h); the three
 * functions below interpret such a table to convert between libvirt's
 * virTypedParameter arrays and the struct.  The generated per-group functions
 * (virtbindDomainMemoryParamsUnpack ...) are thin calls into them; the tables
 * are public so that tools and tests can walk every struct generically.
 *
 * Hand-written; part of virtbind (typedparams/). */
#ifndef VIRTBIND_TPENGINE_H
#define VIRTBIND_TPENGINE_H

#include <libvirt/libvirt.h>
#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a field is laid out in its struct. */
typedef enum {
    VIRTBIND_TP_SCALAR = 0, /* T name; bool name_set; */
    VIRTBIND_TP_MULTI,      /* repeatable field: T *name; size_t name_count; */
    VIRTBIND_TP_INDEXED     /* name is a pattern with one "%u": T *name;
                               [bool *name_set;] size_t name_count; the array
                               index is the number; absent entries are NULL
                               (strings) or have name_set[i] false (others) */
} virtbindTPFieldKind;

#define VIRTBIND_TP_NO_OFFSET ((size_t)-1)

typedef struct {
    const char *name;     /* libvirt field name ("hard_limit"), or the pattern
                             ("cputune.vcpupin%u") of an INDEXED field */
    const char *macro;    /* libvirt macro naming it (VIR_DOMAIN_MEMORY_HARD_LIMIT) */
    const char *member;   /* struct member ("hard_limit") */
    int type;             /* virTypedParameterType (VIR_TYPED_PARAM_ULLONG ...) */
    virtbindTPFieldKind kind;
    size_t value_offset;  /* SCALAR: the value; MULTI/INDEXED: the array pointer */
    size_t set_offset;    /* SCALAR: bool name_set; INDEXED non-string: bool *name_set;
                             otherwise VIRTBIND_TP_NO_OFFSET */
    size_t count_offset;  /* MULTI/INDEXED: size_t name_count; else VIRTBIND_TP_NO_OFFSET */
} virtbindTPField;

typedef struct {
    const char *group;    /* model group name ("DomainMemory") */
    const char *ctype;    /* C struct name ("virtbindDomainMemoryParams") */
    size_t size;          /* sizeof the struct */
    const virtbindTPField *fields;
    size_t nfields;
    size_t extra_offset;  /* virTypedParameterPtr extra; */
    size_t nextra_offset; /* int nextra; */
} virtbindTPStruct;

/* Fill *out (overwritten, not freed first: Clear it before reuse) from
 * params[0..nparams).  Known fields go to their members; everything else —
 * unknown names (newer libvirt), a value whose type differs from the
 * documented one, a repeated non-repeatable field — is copied to out->extra
 * so that Pack gives back every parameter.  Entries with an empty name
 * (unpopulated slots of a caller-allocated array) are skipped.
 * Returns 0, or -1 (errno set; *out left cleared) on bad arguments or
 * allocation failure. */
int virtbindTPUnpack(const virtbindTPStruct *desc, const virTypedParameter *params,
                     int nparams, void *out);

/* Build a new array from every set member (scalars with name_set true,
 * every element of a MULTI array, every present INDEXED entry) followed by
 * the extra entries.  Free the result with virTypedParamsFree(*params,
 * *nparams).  An empty struct gives *params == NULL, *nparams == 0.
 * Returns 0, or -1 (*params NULL, *nparams 0): a set string member that is
 * NULL (errno EINVAL), an extra entry of unknown type (EINVAL), a name too
 * long for libvirt (libvirt error set) or allocation failure. */
int virtbindTPPack(const virtbindTPStruct *desc, const void *in,
                   virTypedParameterPtr *params, int *nparams);

/* Free every string, array and the extra list, then zero the struct. */
void virtbindTPClear(const virtbindTPStruct *desc, void *obj);

/* The generated tables: every struct, sorted by group name. */
extern const virtbindTPStruct *const virtbindTPStructs[];
extern const size_t virtbindTPNStructs;
/* The table of a group ("DomainMemory"), or NULL. */
const virtbindTPStruct *virtbindTPStructFind(const char *group);

/* Every typed-parameter API (function or callback type) and the table of its
 * struct type virtbind<API without "vir">Params, sorted by API name. */
typedef struct {
    const char *api;            /* "virDomainGetBlockIoTune" */
    const char *ctype;          /* "virtbindDomainGetBlockIoTuneParams" */
    const virtbindTPStruct *desc;
} virtbindTPApi;
extern const virtbindTPApi virtbindTPApis[];
extern const size_t virtbindTPNApis;
/* The entry of API ("virDomainGetBlockIoTune"), or NULL. */
const virtbindTPApi *virtbindTPApiFind(const char *api);

#ifdef __cplusplus
}
#endif

#endif
