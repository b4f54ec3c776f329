/* vb_tp_engine.c — the typed-parameter engine of libvirtbind: interprets the
 * generated virtbindTPStruct tables (see virtbind/tpengine.h) to unpack a
 * virTypedParameter array into a virtbind<Group>Params struct, pack it back,
 * and free it.
 *
 * Memory: strings and arrays inside a struct come from malloc (strdup,
 * realloc) and are released with free(); the extra list and packed arrays
 * are built with libvirt's virTypedParamsAdd* and released with
 * virTypedParamsFree(), exactly as libvirt documents for its own arrays. */
#if !defined(_POSIX_C_SOURCE) || _POSIX_C_SOURCE < 200809L
# undef _POSIX_C_SOURCE
# define _POSIX_C_SOURCE 200809L   /* strdup, strnlen */
#endif
#include "virtbind/tpengine.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest index accepted for an INDEXED field ("cputune.vcpupin%u"); a name
 * with a larger number is kept in extra instead of growing a huge array. */
#define VB_TP_MAX_INDEX 65535u

/* libvirt's virTypedParamsAdd* reset the thread's last error, which needs
 * libvirt's error machinery set up (virInitialize; idempotent, thread-safe),
 * or the first call may free garbage when no connection was opened yet. */
static int ensureLibvirt(void)
{
    return virInitialize();
}

static void *at(void *base, size_t off)
{
    return (char *)base + off;
}

static const void *cat(const void *base, size_t off)
{
    return (const char *)base + off;
}

static size_t elemSize(int type)
{
    switch (type) {
    case VIR_TYPED_PARAM_INT: return sizeof(int);
    case VIR_TYPED_PARAM_UINT: return sizeof(unsigned int);
    case VIR_TYPED_PARAM_LLONG: return sizeof(long long);
    case VIR_TYPED_PARAM_ULLONG: return sizeof(unsigned long long);
    case VIR_TYPED_PARAM_DOUBLE: return sizeof(double);
    case VIR_TYPED_PARAM_BOOLEAN: return sizeof(bool);
    case VIR_TYPED_PARAM_STRING: return sizeof(char *);
    default: return 0;
    }
}

/* Match NAME against an INDEXED pattern "prefix%usuffix".  The number must
 * be written canonically (no sign, no leading zero) so that packing the
 * index gives back the same name. */
static bool matchIndexed(const char *pattern, const char *name, unsigned int *idx)
{
    const char *pct = strstr(pattern, "%u");
    if (!pct)
        return false;
    size_t plen = (size_t)(pct - pattern);
    if (strncmp(name, pattern, plen) != 0)
        return false;
    const char *p = name + plen;
    if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
        return false;
    unsigned long v = 0;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (unsigned long)(*p - '0');
        if (v > VB_TP_MAX_INDEX)
            return false;
        p++;
    }
    if (strcmp(p, pct + 2) != 0)
        return false;
    *idx = (unsigned int)v;
    return true;
}

/* "prefix%usuffix" with IDX; false when it does not fit. */
static bool formatIndexed(const char *pattern, size_t idx, char *buf, size_t len)
{
    const char *pct = strstr(pattern, "%u");
    if (!pct)
        return false;
    int n = snprintf(buf, len, "%.*s%zu%s", (int)(pct - pattern), pattern, idx, pct + 2);
    return n > 0 && (size_t)n < len;
}

static const virtbindTPField *findField(const virtbindTPStruct *desc, const char *name,
                                        unsigned int *idx)
{
    for (size_t i = 0; i < desc->nfields; i++) {
        const virtbindTPField *f = &desc->fields[i];
        if (f->kind == VIRTBIND_TP_INDEXED) {
            if (matchIndexed(f->name, name, idx))
                return f;
        } else if (strcmp(f->name, name) == 0) {
            return f;
        }
    }
    return NULL;
}

/* Store the value of P (of type TYPE) into SLOT; strings are copied. */
static int storeValue(int type, void *slot, const virTypedParameter *p)
{
    switch (type) {
    case VIR_TYPED_PARAM_INT: *(int *)slot = p->value.i; break;
    case VIR_TYPED_PARAM_UINT: *(unsigned int *)slot = p->value.ui; break;
    case VIR_TYPED_PARAM_LLONG: *(long long *)slot = p->value.l; break;
    case VIR_TYPED_PARAM_ULLONG: *(unsigned long long *)slot = p->value.ul; break;
    case VIR_TYPED_PARAM_DOUBLE: *(double *)slot = p->value.d; break;
    case VIR_TYPED_PARAM_BOOLEAN: *(bool *)slot = p->value.b != 0; break;
    case VIR_TYPED_PARAM_STRING: {
        char *s = strdup(p->value.s ? p->value.s : "");
        if (!s)
            return -1;
        *(char **)slot = s;
        break;
    }
    default:
        errno = EINVAL;
        return -1;
    }
    return 0;
}

/* Append NAME = *VALUE (of TYPE) to a libvirt-allocated array. */
static int addValue(virTypedParameterPtr *params, int *n, int *max, const char *name,
                    int type, const void *value)
{
    switch (type) {
    case VIR_TYPED_PARAM_INT:
        return virTypedParamsAddInt(params, n, max, name, *(const int *)value);
    case VIR_TYPED_PARAM_UINT:
        return virTypedParamsAddUInt(params, n, max, name, *(const unsigned int *)value);
    case VIR_TYPED_PARAM_LLONG:
        return virTypedParamsAddLLong(params, n, max, name, *(const long long *)value);
    case VIR_TYPED_PARAM_ULLONG:
        return virTypedParamsAddULLong(params, n, max, name,
                                       *(const unsigned long long *)value);
    case VIR_TYPED_PARAM_DOUBLE:
        return virTypedParamsAddDouble(params, n, max, name, *(const double *)value);
    case VIR_TYPED_PARAM_BOOLEAN:
        return virTypedParamsAddBoolean(params, n, max, name, *(const bool *)value ? 1 : 0);
    case VIR_TYPED_PARAM_STRING: {
        const char *s = *(const char *const *)value;
        if (!s) {
            errno = EINVAL;
            return -1;
        }
        return virTypedParamsAddString(params, n, max, name, s);
    }
    default:
        errno = EINVAL;
        return -1;
    }
}

/* Append a copy of P (whatever its type) to a libvirt-allocated array. */
static int addParam(virTypedParameterPtr *params, int *n, int *max, const virTypedParameter *p)
{
    switch (p->type) {
    case VIR_TYPED_PARAM_INT: return addValue(params, n, max, p->field, p->type, &p->value.i);
    case VIR_TYPED_PARAM_UINT: return addValue(params, n, max, p->field, p->type, &p->value.ui);
    case VIR_TYPED_PARAM_LLONG: return addValue(params, n, max, p->field, p->type, &p->value.l);
    case VIR_TYPED_PARAM_ULLONG: return addValue(params, n, max, p->field, p->type, &p->value.ul);
    case VIR_TYPED_PARAM_DOUBLE: return addValue(params, n, max, p->field, p->type, &p->value.d);
    case VIR_TYPED_PARAM_BOOLEAN: {
        bool b = p->value.b != 0;
        return addValue(params, n, max, p->field, p->type, &b);
    }
    case VIR_TYPED_PARAM_STRING: {
        const char *s = p->value.s ? p->value.s : "";
        return addValue(params, n, max, p->field, p->type, &s);
    }
    default:
        errno = EINVAL;
        return -1;
    }
}

/* Grow the array at *ARR (elements of ESZ bytes, *COUNT used) to NEWCOUNT
 * elements, zeroing the new ones; also the parallel bool array *SET if any. */
static int growArray(void **arr, bool **set, size_t *count, size_t newcount, size_t esz)
{
    if (newcount <= *count)
        return 0;
    if (newcount > SIZE_MAX / esz) {
        errno = ENOMEM;
        return -1;
    }
    void *a = realloc(*arr, newcount * esz);
    if (!a)
        return -1;
    memset((char *)a + *count * esz, 0, (newcount - *count) * esz);
    *arr = a;
    if (set) {
        bool *s = realloc(*set, newcount * sizeof(bool));
        if (!s)
            return -1;   /* *arr is grown but *count unchanged: still consistent */
        memset(s + *count, 0, (newcount - *count) * sizeof(bool));
        *set = s;
    }
    *count = newcount;
    return 0;
}

/* Typed-parameter strings may hold secrets (the SEV launch secret, identity
 * fields): wipe them before the memory goes back to the allocator. */
static void freeWiped(char *s)
{
    if (!s)
        return;
    explicit_bzero(s, strlen(s));
    free(s);
}

void virtbindTPClear(const virtbindTPStruct *desc, void *obj)
{
    if (!desc || !obj)
        return;
    for (size_t i = 0; i < desc->nfields; i++) {
        const virtbindTPField *f = &desc->fields[i];
        if (f->kind == VIRTBIND_TP_SCALAR) {
            if (f->type == VIR_TYPED_PARAM_STRING)
                freeWiped(*(char **)at(obj, f->value_offset));
            continue;
        }
        void *arr = *(void **)at(obj, f->value_offset);
        size_t count = *(size_t *)at(obj, f->count_offset);
        if (f->type == VIR_TYPED_PARAM_STRING && arr) {
            for (size_t j = 0; j < count; j++)
                freeWiped(((char **)arr)[j]);
        }
        free(arr);
        if (f->set_offset != VIRTBIND_TP_NO_OFFSET)
            free(*(bool **)at(obj, f->set_offset));
    }
    virTypedParameterPtr extra = *(virTypedParameterPtr *)at(obj, desc->extra_offset);
    int nextra = *(int *)at(obj, desc->nextra_offset);
    if (extra)
        virTypedParamsFree(extra, nextra);
    memset(obj, 0, desc->size);
}

/* Keep a copy of P in the struct's extra list. */
static int keepExtra(const virtbindTPStruct *desc, void *out, int *maxextra,
                     const virTypedParameter *p)
{
    virTypedParameterPtr *extra = (virTypedParameterPtr *)at(out, desc->extra_offset);
    int *nextra = (int *)at(out, desc->nextra_offset);
    return addParam(extra, nextra, maxextra, p);
}

static int unpackOne(const virtbindTPStruct *desc, void *out, int *maxextra,
                     const virTypedParameter *p)
{
    char name[VIR_TYPED_PARAM_FIELD_LENGTH + 1];
    size_t nlen = strnlen(p->field, VIR_TYPED_PARAM_FIELD_LENGTH);
    memcpy(name, p->field, nlen);
    name[nlen] = '\0';
    if (nlen == 0)
        return 0;   /* an unpopulated slot */

    unsigned int idx = 0;
    const virtbindTPField *f = findField(desc, name, &idx);
    if (!f || f->type != p->type)
        return keepExtra(desc, out, maxextra, p);

    size_t esz = elemSize(f->type);
    switch (f->kind) {
    case VIRTBIND_TP_SCALAR: {
        bool *set = (bool *)at(out, f->set_offset);
        if (*set)   /* a repeated non-repeatable field: keep it, do not overwrite */
            return keepExtra(desc, out, maxextra, p);
        if (storeValue(f->type, at(out, f->value_offset), p) < 0)
            return -1;
        *set = true;
        return 0;
    }
    case VIRTBIND_TP_MULTI: {
        void **arr = (void **)at(out, f->value_offset);
        size_t *count = (size_t *)at(out, f->count_offset);
        size_t old = *count;
        if (growArray(arr, NULL, count, old + 1, esz) < 0)
            return -1;
        if (storeValue(f->type, (char *)*arr + old * esz, p) < 0) {
            *count = old;
            return -1;
        }
        return 0;
    }
    case VIRTBIND_TP_INDEXED: {
        void **arr = (void **)at(out, f->value_offset);
        size_t *count = (size_t *)at(out, f->count_offset);
        bool **set = f->set_offset == VIRTBIND_TP_NO_OFFSET
                         ? NULL : (bool **)at(out, f->set_offset);
        if (growArray(arr, set, count, (size_t)idx + 1, esz) < 0)
            return -1;
        void *slot = (char *)*arr + (size_t)idx * esz;
        bool present = set ? (*set)[idx] : *(char **)slot != NULL;
        if (present)
            return keepExtra(desc, out, maxextra, p);
        if (storeValue(f->type, slot, p) < 0)
            return -1;
        if (set)
            (*set)[idx] = true;
        return 0;
    }
    }
    errno = EINVAL;
    return -1;
}

int virtbindTPUnpack(const virtbindTPStruct *desc, const virTypedParameter *params,
                     int nparams, void *out)
{
    if (!desc || !out) {
        errno = EINVAL;
        return -1;
    }
    memset(out, 0, desc->size);
    if (nparams < 0 || (nparams > 0 && !params)) {
        errno = EINVAL;
        return -1;
    }
    if (ensureLibvirt() < 0)
        return -1;
    int maxextra = 0;
    for (int i = 0; i < nparams; i++) {
        if (unpackOne(desc, out, &maxextra, &params[i]) < 0) {
            int saved = errno;
            virtbindTPClear(desc, out);
            errno = saved ? saved : ENOMEM;
            return -1;
        }
    }
    return 0;
}

int virtbindTPPack(const virtbindTPStruct *desc, const void *in,
                   virTypedParameterPtr *params, int *nparams)
{
    if (!params || !nparams) {
        errno = EINVAL;
        return -1;
    }
    *params = NULL;
    *nparams = 0;
    if (!desc || !in) {
        errno = EINVAL;
        return -1;
    }
    if (ensureLibvirt() < 0)
        return -1;
    virTypedParameterPtr tp = NULL;
    int n = 0, max = 0;
    char name[VIR_TYPED_PARAM_FIELD_LENGTH + 32];

    for (size_t i = 0; i < desc->nfields; i++) {
        const virtbindTPField *f = &desc->fields[i];
        size_t esz = elemSize(f->type);
        if (f->kind == VIRTBIND_TP_SCALAR) {
            if (!*(const bool *)cat(in, f->set_offset))
                continue;
            if (addValue(&tp, &n, &max, f->name, f->type, cat(in, f->value_offset)) < 0)
                goto error;
            continue;
        }
        const char *arr = *(const char *const *)cat(in, f->value_offset);
        size_t count = *(const size_t *)cat(in, f->count_offset);
        const bool *set = f->set_offset == VIRTBIND_TP_NO_OFFSET
                              ? NULL : *(const bool *const *)cat(in, f->set_offset);
        if (count && !arr) {
            errno = EINVAL;
            goto error;
        }
        for (size_t j = 0; j < count; j++) {
            const void *slot = arr + j * esz;
            if (f->kind == VIRTBIND_TP_MULTI) {
                if (addValue(&tp, &n, &max, f->name, f->type, slot) < 0)
                    goto error;
                continue;
            }
            bool present = f->type == VIR_TYPED_PARAM_STRING
                               ? *(const char *const *)slot != NULL
                               : (set && set[j]);
            if (!present)
                continue;
            if (!formatIndexed(f->name, j, name, sizeof(name))) {
                errno = EINVAL;
                goto error;
            }
            if (addValue(&tp, &n, &max, name, f->type, slot) < 0)
                goto error;
        }
    }

    const virTypedParameter *extra = *(const virTypedParameter *const *)cat(in, desc->extra_offset);
    int nextra = *(const int *)cat(in, desc->nextra_offset);
    if (nextra > 0 && !extra) {
        errno = EINVAL;
        goto error;
    }
    for (int i = 0; i < nextra; i++) {
        if (addParam(&tp, &n, &max, &extra[i]) < 0)
            goto error;
    }
    *params = tp;
    *nparams = n;
    return 0;

error: {
        int saved = errno;
        if (tp)
            virTypedParamsFree(tp, n);
        errno = saved;
        return -1;
    }
}
