/* vb_util.c — allocation, string and buffer helpers (see vb_util.h). */
#include "vb_util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void vbOutOfMemory(size_t n)
{
    fprintf(stderr, "virtbind: out of memory allocating %zu bytes\n", n);
    abort();
}

void *vbAlloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p)
        vbOutOfMemory(n);
    return p;
}

void *vbRealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        vbOutOfMemory(n);
    return q;
}

char *vbStrdup(const char *s)
{
    return s ? vbStrndup(s, strlen(s)) : NULL;
}

char *vbStrndup(const char *s, size_t n)
{
    char *d = vbAlloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *vbVPrintf(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        vbOutOfMemory(0);
    char *s = vbAlloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *vbPrintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vbVPrintf(fmt, ap);
    va_end(ap);
    return s;
}

bool vbStrEq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

bool vbStartsWith(const char *s, const char *prefix)
{
    return s && prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

bool vbEndsWith(const char *s, const char *suffix)
{
    if (!s || !suffix)
        return false;
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

const char *vbStrCaseStr(const char *haystack, const char *needle)
{
    if (!haystack || !needle)
        return NULL;
    size_t n = strlen(needle);
    for (const char *p = haystack; *p; p++) {
        if (strncasecmp(p, needle, n) == 0)
            return p;
    }
    return NULL;
}

void vbGrow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap <= n)
        ncap *= 2;
    *arr = vbRealloc(*arr, ncap * elem);
    memset((char *)*arr + *cap * elem, 0, (ncap - *cap) * elem);
    *cap = ncap;
}

void vbBufAddN(vbBuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 256;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        b->s = vbRealloc(b->s, ncap);
        b->cap = ncap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void vbBufAdd(vbBuf *b, const char *s)
{
    vbBufAddN(b, s, strlen(s));
}

void vbBufPrintf(vbBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vbVPrintf(fmt, ap);
    va_end(ap);
    vbBufAdd(b, s);
    free(s);
}

char *vbBufSteal(vbBuf *b)
{
    char *s = b->s ? b->s : vbStrdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

void vbBufClear(vbBuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}
