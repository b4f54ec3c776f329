/* vbapi.h — the public interface of the api-xml library: the in-memory model of
 * libvirt's four API XML files, the classification facts derived from them, and
 * the entry points that load, classify, check and dump that model.
 *
 * Ownership: everything reachable from a vbModel is owned by it and released by
 * vbModelFree().  Strings are NUL-terminated UTF-8 copies of the XML text.
 * Indexes (int) refer into the model's arrays; -1 means "none". */
#ifndef VBAPI_H
#define VBAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* ------------------------------------------------------------------ sources */

typedef enum {
    VB_SRC_MAIN = 0, /* libvirt-api.xml */
    VB_SRC_QEMU,     /* libvirt-qemu-api.xml */
    VB_SRC_LXC,      /* libvirt-lxc-api.xml */
    VB_SRC_ADMIN,    /* libvirt-admin-api.xml */
    VB_SRC_COUNT
} vbSource;

const char *vbSourceName(vbSource src);   /* "main", "qemu", "lxc", "admin" */

/* Where the four XML files are.  vbPathsDiscover() fills unset entries from
 * the environment (VIRTBIND_API_XML, VIRTBIND_QEMU_API_XML,
 * VIRTBIND_LXC_API_XML, VIRTBIND_ADMIN_API_XML) and then from pkg-config. */
typedef struct {
    char *path[VB_SRC_COUNT];
    char *annotations;   /* VIRTBIND_ANNOTATIONS or the built-in default */
} vbPaths;

int vbPathsDiscover(vbPaths *paths, char **err);
void vbPathsClear(vbPaths *paths);

/* ----------------------------------------------------------------- C types */

/* What a C type string from the XML means, after typedefs are followed. */
typedef enum {
    VB_T_UNKNOWN = 0,
    VB_T_VOID,
    VB_T_CHAR,        /* char (strings when pointed to) */
    VB_T_UCHAR,       /* unsigned char (bytes when pointed to) */
    VB_T_INT,
    VB_T_UINT,
    VB_T_LONG,
    VB_T_ULONG,
    VB_T_LLONG,
    VB_T_ULLONG,
    VB_T_SIZE,        /* size_t */
    VB_T_SSIZE,       /* ssize_t */
    VB_T_DOUBLE,
    VB_T_BOOL,
    VB_T_ENUM,        /* a libvirt enum typedef used by value */
    VB_T_OBJECT,      /* an opaque libvirt object (virDomain ...) */
    VB_T_STRUCT,      /* a libvirt struct with public fields */
    VB_T_TYPED_PARAM, /* virTypedParameter */
    VB_T_FUNCTYPE,    /* a callback type */
    VB_T_COUNT
} vbTypeKind;

const char *vbTypeKindName(vbTypeKind kind);

typedef struct {
    vbTypeKind kind;
    int depth;        /* pointer depth after typedef expansion: virDomainPtr * -> 2 */
    bool is_const;    /* const appears anywhere in the spelling */
    char *base;       /* base name after expansion: "virDomain", "int", "virDomainInfo" */
    int ref;          /* class index (OBJECT), struct index (STRUCT), functype index (FUNCTYPE), typedef index (ENUM); else -1 */
    char *array;      /* fixed array length of a struct field ("VIR_UUID_BUFLEN", "32"), or NULL */
} vbCType;

/* ------------------------------------------------------ classification enums */

typedef enum { VB_DIR_IN = 0, VB_DIR_OUT, VB_DIR_INOUT } vbDirection;
const char *vbDirectionName(vbDirection dir);

/* Who owns what crosses the boundary (GObject-Introspection's "transfer"). */
typedef enum {
    VB_TRANSFER_NONE = 0,  /* borrowed: valid while its owner lives; copy, never free */
    VB_TRANSFER_STATIC,    /* static storage in libvirt; copy, never free */
    VB_TRANSFER_FULL,      /* the caller owns it and must free/unref it */
    VB_TRANSFER_CONTAINER  /* caller frees the array but not its elements */
} vbTransfer;
const char *vbTransferName(vbTransfer t);

/* What an argument is for; the generator picks its conversion from this. */
typedef enum {
    VB_ROLE_UNSET = 0,
    VB_ROLE_SELF,           /* the object the method is called on */
    VB_ROLE_SCALAR,         /* int/long/double/... by value */
    VB_ROLE_FLAGS,          /* unsigned int flags */
    VB_ROLE_STRING,         /* const char * input */
    VB_ROLE_STRING_ARRAY,   /* const char ** input, paired with a count */
    VB_ROLE_BYTES,          /* const unsigned char * / buffer input, maybe paired */
    VB_ROLE_OBJECT,         /* another libvirt object, input */
    VB_ROLE_OBJECT_ARRAY,   /* NULL-terminated or counted object array, input */
    VB_ROLE_INT_ARRAY,      /* int/uint/ullong array input paired with a count */
    VB_ROLE_LENGTH,         /* the count/size of another argument (see pair) */
    VB_ROLE_OUT_SCALAR,     /* int * etc. filled by libvirt */
    VB_ROLE_OUT_STRING,     /* char ** filled with a string the caller frees */
    VB_ROLE_OUT_STRING_BUF, /* char * caller buffer of fixed size (UUID string) */
    VB_ROLE_OUT_BYTES_BUF,  /* unsigned char * / void * caller buffer */
    VB_ROLE_OUT_STRUCT,     /* struct pointer filled by libvirt (virDomainInfoPtr) */
    VB_ROLE_STRUCT_IN,      /* struct pointer read or released by libvirt (virDomainFSInfoFree) */
    VB_ROLE_OUT_STRUCT_ARRAY,/* caller-allocated struct array paired with a count */
    VB_ROLE_OUT_ARRAY,      /* library-allocated array (T ***, T **) */
    VB_ROLE_OUT_NAME_ARRAY, /* caller-allocated char ** names array + max count */
    VB_ROLE_OUT_INT_ARRAY,  /* caller-allocated int/ullong array + count */
    VB_ROLE_TYPED_PARAMS,   /* virTypedParameterPtr (see vbFunction.tp_kind) */
    VB_ROLE_CALLBACK,       /* a function pointer the caller supplies */
    VB_ROLE_OPAQUE,         /* void *opaque handed back to a callback */
    VB_ROLE_FREE_FUNC,      /* virFreeCallback releasing the opaque */
    VB_ROLE_AUTH,           /* virConnectAuthPtr */
    VB_ROLE_ERROR_OUT,      /* virErrorPtr to copy into */
    VB_ROLE_ERROR_IN,       /* virErrorPtr to read, reset or free */
    VB_ROLE_STATS_OUT,      /* virDomainStatsRecordPtr ** */
    VB_ROLE_STATS_IN,       /* virDomainStatsRecordPtr * (list free) */
    VB_ROLE_COUNT
} vbArgRole;
const char *vbArgRoleName(vbArgRole role);

typedef enum {
    VB_RET_VOID = 0,
    VB_RET_STATUS,       /* int: 0 ok, -1 error */
    VB_RET_INT,          /* int/long value: -1 error (counts, booleans, ids) */
    VB_RET_ULONG_ZERO_ERR,/* unsigned value, 0 means error */
    VB_RET_ULLONG,       /* unsigned long long, no error value */
    VB_RET_STRING,       /* char * / const char *; NULL error; see transfer */
    VB_RET_BYTES,        /* unsigned char * with a length out-argument */
    VB_RET_OBJECT,       /* object pointer; NULL error; see transfer */
    VB_RET_ERROR,        /* virErrorPtr */
    VB_RET_TYPED_PARAM,  /* virTypedParameterPtr into an array (borrowed) */
    VB_RET_COUNT
} vbReturnKind;
const char *vbReturnKindName(vbReturnKind k);

typedef enum {
    VB_FN_MODULE = 0,    /* not tied to an object */
    VB_FN_METHOD,        /* method of cls, arg self_arg is self */
    VB_FN_CONSTRUCTOR,   /* returns a new cls object (lookup/create/define/open) */
    VB_FN_REF,           /* <Class>Ref */
    VB_FN_FREE,          /* <Class>Free */
    VB_FN_PARENT_GETTER, /* <Class>Get<Parent>: borrowed parent pointer */
    VB_FN_EVENT_REGISTER,
    VB_FN_EVENT_DEREGISTER,
    VB_FN_TYPED_PARAMS_HELPER, /* virTypedParams* */
    VB_FN_KIND_COUNT
} vbFuncKind;
const char *vbFuncKindName(vbFuncKind k);

typedef enum {
    VB_TP_NONE = 0,
    VB_TP_INPUT,          /* params + nparams given by the caller */
    VB_TP_CALLER_ALLOC,   /* caller array + int *nparams (two-call size probe) */
    VB_TP_LIB_ALLOC,      /* virTypedParameterPtr *params allocated by libvirt */
    VB_TP_STATS,          /* virDomainStatsRecord arrays */
    VB_TP_HELPER,         /* virTypedParams* manipulation helpers */
    VB_TP_CALLBACK        /* an event callback carrying typed params */
} vbTypedParamUse;
const char *vbTypedParamUseName(vbTypedParamUse u);

typedef enum {
    VB_TPT_UNKNOWN = 0,
    VB_TPT_INT = 1, VB_TPT_UINT, VB_TPT_LLONG, VB_TPT_ULLONG, VB_TPT_DOUBLE,
    VB_TPT_BOOLEAN, VB_TPT_STRING
} vbTypedParamType;   /* values match libvirt's virTypedParameterType */
const char *vbTypedParamTypeName(vbTypedParamType t);

/* -------------------------------------------------------------- the items */

typedef struct {
    char *name;
    char *type;       /* C spelling as in the XML */
    char *info;
    vbCType ctype;
    /* classification */
    vbArgRole role;
    vbDirection dir;
    bool nullable;    /* NULL/None accepted */
    bool optional;    /* info says "optional": a binding may default it */
    int pair;         /* LENGTH <-> array partner index, else -1 */
    vbTransfer transfer; /* for outputs */
    char *size;       /* fixed buffer size or size rule: "VIR_UUID_BUFLEN", "sizeof", "maplen*maxinfo" */
    bool annotated;   /* the annotations file set something here */
    const char *why;  /* the rule or annotation reason that decided the role (owned by the model) */
} vbArg;

typedef struct {
    char *type;
    char *info;
    vbCType ctype;
    vbReturnKind kind;
    vbTransfer transfer;
    int length_arg;   /* BYTES: out-argument holding the length */
    const char *why;
} vbReturn;

typedef struct {
    char *name;
    char *file;       /* the header it comes from (libvirt-domain ...) */
    char *module;
    char *version;    /* libvirt version that added it */
    char *info;
    vbSource src;
    int line;         /* line in its XML */
    vbReturn ret;
    vbArg *args;
    size_t nargs;
    /* classification */
    vbFuncKind kind;
    int cls;          /* owning class or -1 */
    int self_arg;     /* index of self in args or -1 */
    int returns_cls;  /* class of a returned object or -1 */
    vbTypedParamUse tp_use;
    int tp_params_arg;  /* the virTypedParameterPtr argument or -1 */
    int tp_count_arg;   /* its count argument or -1 */
    int tp_group;       /* typed-param group (fields) or -1 */
    int event_family;   /* for (de)register functions: index into model->families */
    bool is_functype;   /* entries of model->functypes */
} vbFunction;

typedef struct {
    char *name;
    char *file;
    char *version;
    char *info;
    char *raw_value;  /* the value attribute as written */
    long long value;  /* resolved value */
    char *type;       /* enum typedef name it belongs to */
    vbSource src;
    int line;
    bool symbolic;    /* raw_value named another constant */
    bool is_last;     /* a _LAST sentinel */
    bool bitshift;    /* the XML gives value_bitshift=: written as 1 << n (a flag bit) */
} vbEnumConst;

typedef struct {
    char *name;
    char *file;
    char *version;
    char *info;
    char *string;     /* string= attribute, or NULL */
    char *raw;        /* raw= attribute, or NULL */
    char **params;    /* function-like macro parameter names */
    size_t nparams;
    vbSource src;
    int line;
    /* classification: a typed-parameter field name */
    int tp_group;     /* -1 when not a field */
    vbTypedParamType tp_type;
    bool tp_multi;    /* may repeat (VIR_MIGRATE_PARAM_MIGRATE_DISKS) */
    bool tp_format;   /* name is a printf format (cputune.vcpupin%u) */
    const char *tp_type_why; /* "text: ..." rule or annotation reason */
} vbMacro;

typedef struct {
    char *name;
    char *type;
    char *info;
    vbCType ctype;
} vbField;

typedef struct {
    char *name;
    char *file;
    char *version;
    char *type;       /* "struct _virDomainInfo" */
    char *info;
    vbSource src;
    int line;
    vbField *fields;
    size_t nfields;
    bool opaque;      /* no fields: a handle type */
    int free_fn;      /* <Struct>Free releasing one library-allocated record, or -1 */
} vbStruct;

typedef struct {
    char *name;
    char *file;
    char *version;
    char *type;       /* "enum", "virDomain *", "struct _virDomain" ... */
    char *info;
    vbSource src;
    int line;
} vbTypedef;

/* An object class: an opaque struct with a Ptr typedef. */
typedef struct {
    char *name;       /* "virDomain" */
    char *ptr_type;   /* "virDomainPtr" */
    vbSource src;
    int parent;       /* class kept alive by this one, -1 for roots */
    int ref_fn;       /* function indexes, -1 if none */
    int free_fn;
    int nmethods;
    int nconstructors;
} vbClass;

/* A typed-parameter group: the field macros one or more APIs share. */
typedef struct {
    char *name;       /* "DomainBlkio" */
    char *prefix;     /* macro prefix "VIR_DOMAIN_BLKIO_" */
    char **apis;      /* function names using these fields */
    size_t napis;
    int *fields;      /* macro indexes */
    size_t nfields;
    size_t cap_fields;
    vbTypedParamType default_type; /* for fields whose text states none (annotation) */
    const char *why;
} vbTypedParamGroup;

/* A typed parameter documented only in a function's prose (fields=prose)
 * whose text states no type: the type comes from a `prose FUNC:NAME type=T`
 * annotation.  NAME is the documented name ("fs.<num>.total-bytes"). */
typedef struct {
    char *fn;
    char *name;
    vbTypedParamType type;
    const char *why;
} vbProseType;

/* An event family: one (de)register pair and its ID enum. */
typedef struct {
    char *name;          /* "Domain", "Network", ..., "QemuMonitor" */
    int register_fn;     /* virConnect<X>EventRegisterAny */
    int deregister_fn;
    int object_class;    /* class the events are about */
    char *id_enum_type;  /* "virDomainEventID"; NULL for qemu monitor */
} vbEventFamily;

typedef struct {
    int enum_const;      /* VIR_DOMAIN_EVENT_ID_LIFECYCLE */
    int family;
    int functype;        /* index into model->functypes */
    int tp_group;        /* typed params carried, or -1 */
} vbEventId;

/* ------------------------------------------------------------- the model */

typedef struct {
    char *path;
    char *message;       /* "file:line: what" */
} vbDiag;

typedef struct vbModel {
    char *paths[VB_SRC_COUNT];
    vbFunction *functions;  size_t nfunctions;
    vbFunction *functypes;  size_t nfunctypes;
    vbEnumConst *enums;     size_t nenums;
    vbMacro *macros;        size_t nmacros;
    vbStruct *structs;      size_t nstructs;
    vbTypedef *typedefs;    size_t ntypedefs;
    vbTypedef *variables;   size_t nvariables;  /* exported variables (virConnectAuthPtrDefault) */
    vbClass *classes;       size_t nclasses;
    vbTypedParamGroup *tp_groups; size_t ntp_groups;
    vbProseType *prose_types; size_t nprose_types;   /* sorted by fn, then name */
    vbEventFamily *families; size_t nfamilies;
    vbEventId *events;      size_t nevents;
    /* what classification could not decide; empty when the model is complete */
    vbDiag *unclassified;   size_t nunclassified;  size_t cap_unclassified;
    char *annotations_path;
    size_t nannotations;
    struct vbAnnotationsStore *annotations; /* kept so every 'why' stays valid */
} vbModel;

/* Load the four files (any path may be NULL to skip that file).  On failure
 * returns NULL and sets *err to "path:line: message" (caller frees). */
vbModel *vbModelLoad(const vbPaths *paths, char **err);
void vbModelFree(vbModel *model);

/* Read the annotations file and run every classification pass.  Returns 0
 * on success (the model may still hold unclassified items: see
 * model->unclassified), -1 on a hard error (bad annotations file) with *err. */
int vbModelClassify(vbModel *model, const char *annotations_path, char **err);

/* Lookups by name; -1 when absent. */
int vbModelFindFunction(const vbModel *m, const char *name);
int vbModelFindFunctype(const vbModel *m, const char *name);
int vbModelFindEnum(const vbModel *m, const char *name);
int vbModelFindMacro(const vbModel *m, const char *name);
int vbModelFindStruct(const vbModel *m, const char *name);
int vbModelFindTypedef(const vbModel *m, const char *name);
int vbModelFindClass(const vbModel *m, const char *name);
/* the annotated type of prose field NAME of FN, VB_TPT_UNKNOWN when none */
vbTypedParamType vbModelProseType(const vbModel *m, const char *fn, const char *name);

/* Write the classified model as stable, sorted JSON (see docs/ir-schema.md). */
int vbModelWriteIR(const vbModel *m, FILE *out);

/* Print every unclassified or ambiguous item; returns their number. */
size_t vbModelReportUnclassified(const vbModel *m, FILE *out);

#endif
