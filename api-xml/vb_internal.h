/* vb_internal.h — declarations shared between the api-xml modules but not
 * part of the public interface (vbapi.h). */
#ifndef VB_INTERNAL_H
#define VB_INTERNAL_H

#include "vbapi.h"
#include "vb_util.h"

/* Record that classification could not decide something about an item. */
void vbModelUnclassified(vbModel *m, vbSource src, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void vbModelUnclassifiedAt(vbModel *m, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Annotations: a parsed, reviewed override file (vb_annotations.c). */
typedef struct {
    char *kind;      /* "arg", "return", "field", "group", "function", "event" */
    char *subject;   /* "virDomainGetCPUStats.params", "VIR_PERF_PARAM_CMT" ... */
    char **keys;
    char **values;
    size_t nkv;
    char *reason;
    int line;
    bool used;       /* consulted by a pass; unused entries are stale */
} vbAnnotation;

typedef struct vbAnnotationsStore {
    char *path;
    vbAnnotation *items;
    size_t nitems;
} vbAnnotations;  /* == struct vbAnnotationsStore */

int vbAnnotationsLoad(vbAnnotations *a, const char *path, char **err);
void vbAnnotationsClear(vbAnnotations *a);
/* Find the entry (kind, subject); marks it used. */
vbAnnotation *vbAnnotationsFind(vbAnnotations *a, const char *kind, const char *subject);
const char *vbAnnotationGet(const vbAnnotation *an, const char *key);

/* Type parsing (vb_ctype.c). */
void vbCTypeParse(const vbModel *m, const char *spelling, vbCType *out);
void vbCTypeClear(vbCType *t);

/* Classification passes, run in this order by vbModelClassify. */
void vbClassifyTypes(vbModel *m);
void vbClassifyClasses(vbModel *m, vbAnnotations *a);
void vbClassifyFunctions(vbModel *m, vbAnnotations *a);
void vbClassifyArguments(vbModel *m, vbAnnotations *a);
void vbClassifyTypedParams(vbModel *m, vbAnnotations *a);
void vbClassifyEvents(vbModel *m, vbAnnotations *a);

#endif
