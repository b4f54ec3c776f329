/* vb_util.h — small allocation, string and growable-array helpers shared by
 * the api-xml modules.  Allocation failure is fatal here (a generator has no
 * useful way to continue without memory), reported once with the size. */
#ifndef VB_UTIL_H
#define VB_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *vbAlloc(size_t n);                         /* zeroed */
void *vbRealloc(void *p, size_t n);
char *vbStrdup(const char *s);                   /* NULL stays NULL */
char *vbStrndup(const char *s, size_t n);
char *vbPrintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *vbVPrintf(const char *fmt, va_list ap);
bool vbStrEq(const char *a, const char *b);      /* NULL-safe */
bool vbStartsWith(const char *s, const char *prefix);
bool vbEndsWith(const char *s, const char *suffix);
/* case-insensitive substring search; NULL-safe */
const char *vbStrCaseStr(const char *haystack, const char *needle);

/* Grow *arr (element size elem) so index n is valid; doubles capacity. */
void vbGrow(void **arr, size_t *cap, size_t n, size_t elem);
#define VB_PUSH(arr, n, cap) \
    (vbGrow((void **)&(arr), &(cap), (n), sizeof(*(arr))), &(arr)[(n)++])

/* A growable text buffer used by every writer. */
typedef struct {
    char *s;
    size_t len;
    size_t cap;
} vbBuf;

void vbBufAdd(vbBuf *b, const char *s);
void vbBufAddN(vbBuf *b, const char *s, size_t n);
void vbBufPrintf(vbBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *vbBufSteal(vbBuf *b);
void vbBufClear(vbBuf *b);

#endif
