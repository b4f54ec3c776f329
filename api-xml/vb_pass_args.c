/* vb_pass_args.c — classification of every argument of every function and
 * callback type: role, direction, nullability, ownership of outputs, and
 * pointer+length pairs.  Rules read the C type first and the argument's doc
 * text second; the annotations file settles what neither can. */
#include "vb_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool vbIsInteger(vbTypeKind k)
{
    return k == VB_T_INT || k == VB_T_UINT || k == VB_T_LONG || k == VB_T_ULONG ||
           k == VB_T_LLONG || k == VB_T_ULLONG || k == VB_T_SIZE || k == VB_T_SSIZE;
}

static bool vbIsScalar(vbTypeKind k)
{
    return vbIsInteger(k) || k == VB_T_DOUBLE || k == VB_T_BOOL || k == VB_T_ENUM;
}

static bool vbMentions(const vbArg *arg, const char *word)
{
    return vbStrCaseStr(arg->info, word) != NULL;
}

/* A count-like name: nfoo, nr_foo, maxfoo, maplen, size, nbytes, foo_size. */
static bool vbCountName(const char *name)
{
    return (name[0] == 'n' && name[1] && name[1] != 'a') || vbStartsWith(name, "max") ||
           vbEndsWith(name, "len") || vbEndsWith(name, "size") || vbEndsWith(name, "Size") ||
           strcmp(name, "size") == 0;
}

static bool vbUsableCount(const vbArg *c)
{
    return vbIsInteger(c->ctype.kind) && c->ctype.depth <= 1 && c->role != VB_ROLE_LENGTH;
}

/* Does count name the array by convention: nfoo, nr_foo, maxfoo, foo_size? */
static bool vbCountNames(const char *count, const char *array)
{
    static const char *const forms[] = { "n%s", "nr_%s", "max%s", "%s_size", "%slen" };
    for (size_t k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
        char *want = vbPrintf(forms[k], array);
        bool same = strcasecmp(want, count) == 0;
        free(want);
        if (same)
            return true;
    }
    return false;
}

/* The integer argument that counts args[i]: one named after it anywhere,
 * else a count-like neighbour, after it first, then before it.  Counts
 * passed by pointer (int *nparams) qualify too. */
static int vbFindCount(const vbFunction *fn, size_t i)
{
    /* A count passed by pointer sizes a library-allocated array, a typed
     * parameter or struct array, never a plain int * (virDomainGetTime's
     * nseconds is a value, not the length of seconds). */
    const vbCType *t = &fn->args[i].ctype;
    bool scalar_array = t->depth == 1 && t->kind != VB_T_STRUCT && t->kind != VB_T_TYPED_PARAM;
    for (size_t j = 0; j < fn->nargs; j++) {
        if (j == i || !vbUsableCount(&fn->args[j]) || (scalar_array && fn->args[j].ctype.depth))
            continue;
        if (vbCountNames(fn->args[j].name, fn->args[i].name))
            return (int)j;
    }
    const size_t cand[2] = { i + 1, i - 1 };
    for (int k = 0; k < 2; k++) {
        size_t j = cand[k];
        if (j >= fn->nargs || (k == 1 && i == 0))
            continue;
        if (vbUsableCount(&fn->args[j]) && vbCountName(fn->args[j].name) &&
            !(scalar_array && fn->args[j].ctype.depth))
            return (int)j;
    }
    return -1;
}

static void vbPair(vbFunction *fn, size_t i, int count)
{
    fn->args[i].pair = count;
    if (count < 0)
        return;
    vbArg *c = &fn->args[count];
    if (c->role != VB_ROLE_LENGTH) {
        c->role = VB_ROLE_LENGTH;
        c->pair = (int)i;
        c->dir = c->ctype.depth ? VB_DIR_INOUT : VB_DIR_IN;
        c->why = "counts its neighbouring array";
    }
}

/* Pointer-to-scalar arrays are inputs (fd lists, key codes, page sizes)
 * unless the text says libvirt fills them. */
static bool vbReadsAsInput(const vbArg *arg)
{
    static const char *const out_phrases[] = {
        "(OUT)", "collect", "store", "filled", "returned", "return value",
    };
    for (size_t i = 0; i < sizeof(out_phrases) / sizeof(out_phrases[0]); i++)
        if (vbMentions(arg, out_phrases[i]))
            return false;
    return true;
}

/* An array libvirt allocates and the caller frees. */
static void vbLibraryAllocated(vbArg *arg)
{
    arg->role = VB_ROLE_OUT_ARRAY;
    arg->dir = VB_DIR_OUT;
    arg->transfer = VB_TRANSFER_FULL;
}

static const char *vbRuleString(vbFunction *fn, size_t i)
{
    vbArg *arg = &fn->args[i];
    const vbCType *t = &arg->ctype;
    if (t->depth == 1 && t->is_const) {
        if (strcmp(arg->name, "data") == 0) {
            arg->role = VB_ROLE_BYTES;
            vbPair(fn, i, vbFindCount(fn, i));
            return "const char *data: a byte buffer with its length";
        }
        arg->role = VB_ROLE_STRING;
        return "const char *: input string";
    }
    if (t->depth == 1) {
        arg->dir = VB_DIR_OUT;
        if (vbMentions(arg, "VIR_UUID_STRING_BUFLEN")) {
            arg->role = VB_ROLE_OUT_STRING_BUF;
            arg->size = vbStrdup("VIR_UUID_STRING_BUFLEN");
            return "char *: caller buffer of VIR_UUID_STRING_BUFLEN";
        }
        arg->role = VB_ROLE_OUT_BYTES_BUF;
        vbPair(fn, i, vbFindCount(fn, i));
        return "char *: caller buffer filled by libvirt";
    }
    if (t->depth == 2 && t->is_const && !vbStrEq(arg->type, "char ** const")) {
        if (fn->kind == VB_FN_TYPED_PARAMS_HELPER && strcmp(arg->name, "value") == 0) {
            arg->role = VB_ROLE_OUT_STRING;
            arg->dir = VB_DIR_OUT;
            arg->transfer = VB_TRANSFER_NONE;
            return "const char **value: points into the typed-parameter array";
        }
        arg->role = VB_ROLE_STRING_ARRAY;
        vbPair(fn, i, vbFindCount(fn, i));
        return "const char **: input string array";
    }
    if (t->depth == 2) {
        int count = vbFindCount(fn, i);
        arg->dir = VB_DIR_OUT;
        if (count >= 0) {
            arg->role = VB_ROLE_OUT_NAME_ARRAY;
            arg->transfer = VB_TRANSFER_FULL;
            vbPair(fn, i, count);
            return "char **names + max: caller array filled with strings the caller frees";
        }
        arg->role = VB_ROLE_OUT_STRING;
        arg->transfer = VB_TRANSFER_FULL;
        return "char **: output string the caller frees";
    }
    if (t->depth == 3) {
        vbLibraryAllocated(arg);
        return "char ***: library-allocated string array, count is the return value";
    }
    return NULL;
}

static const char *vbRuleBytes(vbFunction *fn, size_t i)
{
    vbArg *arg = &fn->args[i];
    const vbCType *t = &arg->ctype;
    if (t->depth == 2) {
        vbLibraryAllocated(arg);
        return "unsigned char **: library-allocated byte array";
    }
    if (t->depth != 1)
        return NULL;
    bool fixed = vbMentions(arg, "VIR_UUID_BUFLEN") || strcmp(arg->name, "uuid") == 0;
    if (t->is_const || vbMentions(arg, "(IN)")) {
        arg->role = VB_ROLE_BYTES;
        if (fixed)
            arg->size = vbStrdup("VIR_UUID_BUFLEN");
        else
            vbPair(fn, i, vbFindCount(fn, i));
        return "unsigned char *: input bytes";
    }
    arg->role = VB_ROLE_OUT_BYTES_BUF;
    arg->dir = VB_DIR_OUT;
    if (fixed)
        arg->size = vbStrdup("VIR_UUID_BUFLEN");
    else
        vbPair(fn, i, vbFindCount(fn, i));
    return "unsigned char *: caller buffer filled by libvirt";
}

static const char *vbRuleScalarPointer(vbFunction *fn, size_t i)
{
    vbArg *arg = &fn->args[i];
    const vbCType *t = &arg->ctype;
    if (t->depth == 2) {
        vbLibraryAllocated(arg);
        vbPair(fn, i, vbFindCount(fn, i));
        return "T **: library-allocated array the caller frees";
    }
    if (t->depth != 1)
        return NULL;
    int count = vbFindCount(fn, i);
    if (count >= 0 && !vbCountName(arg->name)) {
        bool in = vbReadsAsInput(arg);
        arg->role = in ? VB_ROLE_INT_ARRAY : VB_ROLE_OUT_INT_ARRAY;
        arg->dir = in ? VB_DIR_IN : VB_DIR_OUT;
        vbPair(fn, i, count);
        return in ? "T * + count: input array" : "T * + count: caller array filled by libvirt";
    }
    arg->role = VB_ROLE_OUT_SCALAR;
    if (fn->kind == VB_FN_TYPED_PARAMS_HELPER && strcmp(arg->name, "maxparams") == 0) {
        arg->dir = VB_DIR_INOUT;
        return "int *maxparams: the array's capacity, grown by libvirt";
    }
    arg->dir = VB_DIR_OUT;
    return "T *: a single value filled by libvirt";
}

static const char *vbRuleStruct(vbModel *m, vbFunction *fn, size_t i)
{
    vbArg *arg = &fn->args[i];
    const vbCType *t = &arg->ctype;
    if (vbStrEq(t->base, "virError") && t->depth == 1) {
        bool out = strcmp(arg->name, "to") == 0;
        arg->role = out ? VB_ROLE_ERROR_OUT : VB_ROLE_ERROR_IN;
        arg->dir = out ? VB_DIR_OUT : VB_DIR_IN;
        return out ? "virErrorPtr to: copy destination" : "virErrorPtr: an error to read or free";
    }
    if (vbStrEq(t->base, "virConnectAuth") && t->depth == 1) {
        arg->role = VB_ROLE_AUTH;
        return "virConnectAuthPtr: credentials callback table";
    }
    if (vbStrEq(t->base, "virDomainStatsRecord")) {
        arg->role = t->depth == 3 ? VB_ROLE_STATS_OUT : VB_ROLE_STATS_IN;
        arg->dir = t->depth == 3 ? VB_DIR_OUT : VB_DIR_IN;
        arg->transfer = VB_TRANSFER_FULL;
        return "domain stats records (virDomainStatsRecordListFree)";
    }
    if (t->depth == 1 && t->ref >= 0) {
        char *freer = vbPrintf("%sFree", m->structs[t->ref].name);
        bool frees = strcmp(fn->name, freer) == 0;
        free(freer);
        if (frees) {
            m->structs[t->ref].free_fn = vbModelFindFunction(m, fn->name);
            arg->role = VB_ROLE_STRUCT_IN;
            arg->transfer = VB_TRANSFER_FULL;
            return "<Struct>Free: releases one library-allocated record";
        }
    }
    if (t->depth == 1) {
        int count = vbFindCount(fn, i);
        arg->dir = VB_DIR_OUT;
        if (count >= 0 && vbIsInteger(fn->args[count].ctype.kind) &&
            fn->args[count].ctype.kind == VB_T_SIZE) {
            arg->role = VB_ROLE_OUT_STRUCT;
            vbPair(fn, i, count);
            arg->size = vbStrdup("sizeof");
            return "struct * + size_t: caller struct, size passed for versioning";
        }
        if (count >= 0) {
            arg->role = VB_ROLE_OUT_STRUCT_ARRAY;
            vbPair(fn, i, count);
            return "struct * + count: caller array of structs filled by libvirt";
        }
        arg->role = VB_ROLE_OUT_STRUCT;
        return "struct *: caller struct filled by libvirt";
    }
    if (t->depth == 2 || t->depth == 3) {
        vbLibraryAllocated(arg);
        return "struct ** / ***: library-allocated array, count is the return value";
    }
    return NULL;
}

static const char *vbRuleTypedParams(vbFunction *fn, size_t i)
{
    vbArg *arg = &fn->args[i];
    arg->role = VB_ROLE_TYPED_PARAMS;
    int count = vbFindCount(fn, i);
    if (fn->kind == VB_FN_TYPED_PARAMS_HELPER) {
        arg->dir = arg->ctype.depth == 2 ? VB_DIR_INOUT : VB_DIR_IN;
        if (count >= 0)
            vbPair(fn, i, count);
        return "virTypedParams* helper array";
    }
    if (arg->ctype.depth == 2) {
        arg->dir = VB_DIR_OUT;
        arg->transfer = VB_TRANSFER_FULL;
        vbPair(fn, i, count);
        if (count >= 0)
            fn->args[count].dir = VB_DIR_OUT;
        return "virTypedParameterPtr *: library-allocated (virTypedParamsFree)";
    }
    vbPair(fn, i, count);
    if (count >= 0 && fn->args[count].ctype.depth == 1) {
        arg->dir = VB_DIR_OUT;
        fn->args[count].dir = VB_DIR_INOUT;
        return "virTypedParameterPtr + int *: caller-allocated, size probed with NULL";
    }
    return "virTypedParameterPtr + int: input parameters";
}

static const char *vbRuleArg(vbModel *m, vbFunction *fn, size_t i)
{
    vbArg *arg = &fn->args[i];
    const vbCType *t = &arg->ctype;
    if ((int)i == fn->self_arg) {
        arg->role = VB_ROLE_SELF;
        return "the object the function belongs to";
    }
    switch (t->kind) {
    case VB_T_FUNCTYPE:
        if (t->depth)
            return NULL;
        arg->role = vbStrEq(arg->type, "virFreeCallback") ? VB_ROLE_FREE_FUNC : VB_ROLE_CALLBACK;
        arg->nullable = arg->role == VB_ROLE_FREE_FUNC || vbMentions(arg, "NULL");
        return arg->role == VB_ROLE_FREE_FUNC ? "virFreeCallback: releases the opaque"
                                              : "function pointer supplied by the caller";
    case VB_T_VOID:
        if (t->depth != 1)
            return NULL;
        if (strcmp(arg->name, "buffer") == 0) {
            arg->role = VB_ROLE_OUT_BYTES_BUF;
            arg->dir = VB_DIR_OUT;
            vbPair(fn, i, vbFindCount(fn, i));
            return "void *buffer: caller buffer filled by libvirt";
        }
        arg->role = VB_ROLE_OPAQUE;
        arg->nullable = true;
        return "void *: opaque user data handed back to a callback";
    case VB_T_OBJECT:
        if (t->depth == 1) {
            arg->role = VB_ROLE_OBJECT;
            arg->nullable = vbMentions(arg, "NULL") || vbMentions(arg, "optional");
            /* event filters: "If @dom is NULL, then events will be monitored for any domain" */
            char *filter = vbPrintf("@%s is NULL", arg->name);
            if (vbStrCaseStr(fn->info, filter))
                arg->nullable = true;
            free(filter);
            return "object input";
        }
        if (t->depth == 2) {
            arg->role = VB_ROLE_OBJECT_ARRAY;
            return "NULL-terminated object array input";
        }
        if (t->depth == 3) {
            vbLibraryAllocated(arg);
            arg->nullable = vbMentions(arg, "NULL");
            return "T ***: library-allocated object array, count is the return value";
        }
        return NULL;
    case VB_T_CHAR:
        return vbRuleString(fn, i);
    case VB_T_UCHAR:
        return vbRuleBytes(fn, i);
    case VB_T_STRUCT:
        return vbRuleStruct(m, fn, i);
    case VB_T_TYPED_PARAM:
        return vbRuleTypedParams(fn, i);
    default:
        break;
    }
    if (vbIsScalar(t->kind)) {
        if (t->depth == 0) {
            if (arg->role == VB_ROLE_LENGTH)
                return arg->why;
            arg->role = strcmp(arg->name, "flags") == 0 ? VB_ROLE_FLAGS : VB_ROLE_SCALAR;
            return arg->role == VB_ROLE_FLAGS ? "unsigned int flags" : "value input";
        }
        if (arg->role == VB_ROLE_LENGTH)
            return arg->why;
        return vbRuleScalarPointer(fn, i);
    }
    return NULL;
}

/* Apply an "arg FUNC.NAME key=value" annotation over the derived facts. */
static void vbApplyArgAnnotation(vbModel *m, vbFunction *fn, size_t i, vbAnnotations *a)
{
    vbArg *arg = &fn->args[i];
    char *subject = vbPrintf("%s.%s", fn->name, arg->name);
    vbAnnotation *an = vbAnnotationsFind(a, "arg", subject);
    free(subject);
    if (!an)
        return;
    for (size_t k = 0; k < an->nkv; k++) {
        const char *key = an->keys[k], *val = an->values[k];
        if (strcmp(key, "dir") == 0) {
            arg->dir = strcmp(val, "out") == 0 ? VB_DIR_OUT
                     : strcmp(val, "inout") == 0 ? VB_DIR_INOUT : VB_DIR_IN;
        } else if (strcmp(key, "role") == 0) {
            vbArgRole r = VB_ROLE_UNSET;
            for (int x = 0; x < VB_ROLE_COUNT; x++)
                if (strcmp(vbArgRoleName((vbArgRole)x), val) == 0)
                    r = (vbArgRole)x;
            if (r == VB_ROLE_UNSET)
                vbModelUnclassified(m, fn->src, fn->line, "%s.%s: annotation role=%s is unknown",
                                    fn->name, arg->name, val);
            arg->role = r;
        } else if (strcmp(key, "pair") == 0) {
            int j = -1;
            for (size_t x = 0; x < fn->nargs; x++)
                if (strcmp(fn->args[x].name, val) == 0)
                    j = (int)x;
            if (j < 0) {
                vbModelUnclassified(m, fn->src, fn->line, "%s.%s: annotation pair=%s names no argument",
                                    fn->name, arg->name, val);
                continue;
            }
            vbPair(fn, i, j);
        } else if (strcmp(key, "size") == 0) {
            free(arg->size);
            arg->size = vbStrdup(val);
        } else if (strcmp(key, "nullable") == 0) {
            arg->nullable = strcmp(val, "yes") == 0;
        } else if (strcmp(key, "transfer") == 0) {
            arg->transfer = strcmp(val, "full") == 0 ? VB_TRANSFER_FULL : VB_TRANSFER_NONE;
        } else {
            vbModelUnclassified(m, fn->src, fn->line, "%s.%s: unknown annotation key '%s'",
                                fn->name, arg->name, key);
        }
    }
    arg->why = an->reason;
    arg->annotated = true;
}

/* Is p (inside text) a mention of argument NAME (LEN bytes): "@name",
 * "'name'", or, for a CAMEL name (an upper-case letter: srcSpec is not an
 * English word), the bare name as a whole word?  Returns the mention's
 * length, 0 if none. */
static size_t vbArgMention(const char *text, const char *p, const char *name, size_t len,
                           bool camel)
{
    const char *word = p;
    if (*p == '@' || *p == '\'')
        word = p + 1;
    else if (!camel || (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_')))
        return 0;
    if (strncmp(word, name, len) != 0)
        return 0;
    char after = word[len];
    if (*p == '\'')
        return after == '\'' ? len + 2 : 0;
    return isalnum((unsigned char)after) || after == '_' ? 0 : (size_t)(word - p) + len;
}

/* Whether a sentence of the function's text mentions argument NAME together
 * with NULL (not "NULL terminated") or "optional", e.g. virDomainGetMetadata:
 * "parameter @uri must be set to ..., otherwise must be NULL";
 * virNodeNumOfDevices: "If the optional 'cap' argument is non-NULL";
 * virConnectFindStoragePoolSources: "The srcSpec (optional for some storage
 * pool types ...)".  Such prose may make a string input nullable where the
 * argument's own text does not say so; it is too loose to decide alone, so
 * the check below asks for a reviewed annotation. */
static bool vbProseNamesNull(const vbFunction *fn, const char *name)
{
    if (!fn->info)
        return false;
    size_t len = strlen(name);
    bool camel = false;
    for (const char *c = name; *c; c++)
        camel |= isupper((unsigned char)*c) != 0;
    for (const char *p = fn->info; *p; p++) {
        if (!vbArgMention(fn->info, p, name, len, camel))
            continue;
        /* the sentence: from after the last ". " / ".\n" / blank line before the
         * mention to the next one after it */
        const char *start = p, *end = p;
        while (start > fn->info + 1 && !(isspace((unsigned char)start[-1]) &&
                                         (start[-2] == '.' || start[-2] == '\n')))
            start--;
        while (*end && !((end[0] == '.' && (isspace((unsigned char)end[1]) || !end[1])) ||
                         (end[0] == '\n' && end[1] == '\n')))
            end++;
        for (const char *q = start; q < end; q++) {
            if (strncmp(q, "NULL", 4) == 0 && !vbStartsWith(q + 4, " terminated") &&
                !vbStartsWith(q + 4, "-terminated"))
                return true;
            if (strncasecmp(q, "optional", 8) == 0 && !isalpha((unsigned char)q[8]))
                return true;   /* not "optionally" */
        }
    }
    return false;
}

static void vbClassifyCallableArgs(vbModel *m, vbFunction *fn, vbAnnotations *a)
{
    for (size_t i = 0; i < fn->nargs; i++) {
        vbArg *arg = &fn->args[i];
        arg->optional = (arg->info && (strncasecmp(arg->info, "optional", 8) == 0 ||
                                      strncasecmp(arg->info, "(optional)", 10) == 0));
        if ((int)i == fn->self_arg || !arg->ctype.depth)
            continue;
        if (arg->ctype.kind == VB_T_CHAR && arg->ctype.depth == 1 && arg->ctype.is_const)
            arg->nullable = vbMentions(arg, "NULL") || arg->optional;
        if (arg->optional || vbMentions(arg, "or NULL") || vbMentions(arg, "can be NULL") ||
            vbMentions(arg, "may be NULL") || vbMentions(arg, "pass NULL"))
            arg->nullable = true;
    }
    for (size_t i = 0; i < fn->nargs; i++) {
        vbArg *arg = &fn->args[i];
        if (arg->role != VB_ROLE_UNSET && arg->role != VB_ROLE_LENGTH)
            continue;
        const char *why = vbRuleArg(m, fn, i);
        if (why && !arg->why)
            arg->why = why;
    }
    for (size_t i = 0; i < fn->nargs; i++)
        vbApplyArgAnnotation(m, fn, i, a);
    for (size_t i = 0; i < fn->nargs; i++) {
        vbArg *arg = &fn->args[i];
        if (arg->ctype.kind == VB_T_CHAR && arg->dir == VB_DIR_IN && !arg->nullable &&
            !arg->annotated && vbProseNamesNull(fn, arg->name))
            vbModelUnclassified(m, fn->src, fn->line,
                                "%s argument '%s': the function's text names it beside NULL or "
                                "'optional'; annotate nullable=yes or nullable=no with the reason",
                                fn->name, arg->name);
        if (arg->role == VB_ROLE_UNSET)
            vbModelUnclassified(m, fn->src, fn->line, "%s argument '%s' (%s): no rule gives its role",
                                fn->name, arg->name, arg->type);
    }
}

void vbClassifyArguments(vbModel *m, vbAnnotations *a)
{
    for (size_t i = 0; i < m->nfunctions; i++)
        vbClassifyCallableArgs(m, &m->functions[i], a);
    for (size_t i = 0; i < m->nfunctypes; i++)
        vbClassifyCallableArgs(m, &m->functypes[i], a);
}
