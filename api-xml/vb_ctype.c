/* vb_ctype.c — turns the C type spellings of the XML ("const char *",
 * "virDomainPtr **", "unsigned long long int") into a vbCType by following
 * libvirt's typedefs down to a scalar, object, struct, enum or callback. */
#include "vb_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *spelling;
    vbTypeKind kind;
} vbScalars[] = {
    { "void", VB_T_VOID },
    { "char", VB_T_CHAR },
    { "signed char", VB_T_CHAR },
    { "unsigned char", VB_T_UCHAR },
    { "short", VB_T_INT },             /* promoted; only struct fields use it */
    { "unsigned short", VB_T_UINT },
    { "int", VB_T_INT },
    { "unsigned", VB_T_UINT },
    { "unsigned int", VB_T_UINT },
    { "long", VB_T_LONG },
    { "long int", VB_T_LONG },
    { "unsigned long", VB_T_ULONG },
    { "unsigned long int", VB_T_ULONG },
    { "long long", VB_T_LLONG },
    { "long long int", VB_T_LLONG },
    { "unsigned long long", VB_T_ULLONG },
    { "unsigned long long int", VB_T_ULLONG },
    { "size_t", VB_T_SIZE },
    { "ssize_t", VB_T_SSIZE },
    { "double", VB_T_DOUBLE },
    { "bool", VB_T_BOOL },
    { "union", VB_T_STRUCT },           /* virTypedParameter's value union */
};

/* Copy spelling without '*' and "const", whitespace collapsed; count stars. */
static char *vbNormalize(const char *spelling, int *depth, bool *is_const)
{
    vbBuf b = {0};
    const char *p = spelling;
    *depth = 0;
    *is_const = false;
    while (*p) {
        if (*p == '*') {
            (*depth)++;
            p++;
            continue;
        }
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *start = p;
        while (*p && *p != '*' && !isspace((unsigned char)*p))
            p++;
        size_t n = (size_t)(p - start);
        if (n == 5 && strncmp(start, "const", 5) == 0) {
            *is_const = true;
            continue;
        }
        if (b.len)
            vbBufAdd(&b, " ");
        vbBufAddN(&b, start, n);
    }
    return vbBufSteal(&b);
}

static int vbFindStructByTag(const vbModel *m, const char *tag)
{
    for (size_t i = 0; i < m->nstructs; i++)
        if (vbStrEq(m->structs[i].type, tag))
            return (int)i;
    return -1;
}

static void vbResolveName(const vbModel *m, const char *name, vbCType *out, int guard)
{
    for (size_t i = 0; i < sizeof(vbScalars) / sizeof(vbScalars[0]); i++) {
        if (strcmp(name, vbScalars[i].spelling) == 0) {
            out->kind = vbScalars[i].kind;
            return;
        }
    }
    if (strcmp(name, "virTypedParameter") == 0 || strcmp(name, "struct _virTypedParameter") == 0) {
        out->kind = VB_T_TYPED_PARAM;
        return;
    }
    int c = vbModelFindClass(m, name);
    if (c >= 0) {
        out->kind = VB_T_OBJECT;
        out->ref = c;
        return;
    }
    int st = vbModelFindStruct(m, name);
    if (st < 0 && vbStartsWith(name, "struct "))
        st = vbFindStructByTag(m, name);
    if (st >= 0) {
        out->kind = VB_T_STRUCT;
        out->ref = st;
        free(out->base);
        out->base = vbStrdup(m->structs[st].name);
        return;
    }
    int ft = vbModelFindFunctype(m, name);
    if (ft >= 0) {
        out->kind = VB_T_FUNCTYPE;
        out->ref = ft;
        return;
    }
    int td = vbModelFindTypedef(m, name);
    if (td >= 0 && guard < 8) {
        const char *t = m->typedefs[td].type;
        if (strcmp(t, "enum") == 0) {
            out->kind = VB_T_ENUM;
            out->ref = td;
            return;
        }
        int depth;
        bool is_const;
        char *inner = vbNormalize(t, &depth, &is_const);
        out->depth += depth;
        out->is_const |= is_const;
        free(out->base);
        out->base = vbStrdup(inner);
        vbResolveName(m, inner, out, guard + 1);
        free(inner);
        return;
    }
    out->kind = VB_T_UNKNOWN;
}

void vbCTypeParse(const vbModel *m, const char *spelling, vbCType *out)
{
    vbCTypeClear(out);
    memset(out, 0, sizeof(*out));
    out->ref = -1;
    /* "char field[VIR_TYPED_PARAM_FIELD_LENGTH]": a fixed array member */
    const char *open = spelling ? strchr(spelling, '[') : NULL;
    if (open && vbEndsWith(spelling, "]")) {
        out->array = vbStrndup(open + 1, strlen(open + 1) - 1);
        char *elem = vbStrndup(spelling, (size_t)(open - spelling));
        char *sp = strrchr(elem, ' ');   /* drop the member name */
        if (sp)
            *sp = '\0';
        out->base = vbNormalize(elem, &out->depth, &out->is_const);
        free(elem);
    } else {
        out->base = vbNormalize(spelling ? spelling : "", &out->depth, &out->is_const);
    }
    char *name = vbStrdup(out->base);
    vbResolveName(m, name, out, 0);
    free(name);
}
