/* vb_annotations.c — reads the reviewed annotations file: what libvirt's
 * XML does not say, one entry per line, each with a reason:
 *
 *     KIND SUBJECT [KEY=VALUE ...] -- REASON
 *
 * '#' starts a comment line.  A line without " -- reason", with an unknown
 * kind, a malformed KEY=VALUE or a duplicate (KIND, SUBJECT) is an error
 * with file:line. */
#include "vb_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const vbAnnotationKinds[] = {
    "arg", "return", "function", "field", "group", "event", "prose",
};

static bool vbKnownKind(const char *kind)
{
    for (size_t i = 0; i < sizeof(vbAnnotationKinds) / sizeof(vbAnnotationKinds[0]); i++)
        if (strcmp(kind, vbAnnotationKinds[i]) == 0)
            return true;
    return false;
}

static char *vbTrim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Split the part before " -- " into words; fill the annotation. */
static int vbParseEntry(vbAnnotation *an, char *body, const char *path, int line, char **err)
{
    size_t kcap = 0, vcap = 0;
    char *save = NULL;
    char *word = strtok_r(body, " \t", &save);
    if (!word) {
        *err = vbPrintf("%s:%d: annotation has no kind", path, line);
        return -1;
    }
    an->kind = vbStrdup(word);
    if (!vbKnownKind(word)) {
        *err = vbPrintf("%s:%d: unknown annotation kind '%s'", path, line, word);
        return -1;
    }
    word = strtok_r(NULL, " \t", &save);
    if (!word) {
        *err = vbPrintf("%s:%d: annotation '%s' has no subject", path, line, an->kind);
        return -1;
    }
    an->subject = vbStrdup(word);
    while ((word = strtok_r(NULL, " \t", &save))) {
        char *eq = strchr(word, '=');
        if (!eq || eq == word || !eq[1]) {
            *err = vbPrintf("%s:%d: expected KEY=VALUE, got '%s'", path, line, word);
            return -1;
        }
        vbGrow((void **)&an->keys, &kcap, an->nkv, sizeof(char *));
        vbGrow((void **)&an->values, &vcap, an->nkv, sizeof(char *));
        an->keys[an->nkv] = vbStrndup(word, (size_t)(eq - word));
        an->values[an->nkv] = vbStrdup(eq + 1);
        an->nkv++;
    }
    return 0;
}

int vbAnnotationsLoad(vbAnnotations *a, const char *path, char **err)
{
    FILE *f = fopen(path, "r");
    *err = NULL;
    if (!f) {
        *err = vbPrintf("%s:0: cannot open annotations: %s", path, strerror(errno));
        return -1;
    }
    a->path = vbStrdup(path);
    size_t cap = 0;
    char *line = NULL;
    size_t linecap = 0;
    int lineno = 0;
    int rc = 0;
    while (getline(&line, &linecap, f) >= 0) {
        lineno++;
        char *s = vbTrim(line);
        if (!*s || *s == '#')
            continue;
        char *sep = strstr(s, " -- ");
        if (!sep || !*vbTrim(sep + 4)) {
            *err = vbPrintf("%s:%d: annotation lacks a reason (' -- why')", path, lineno);
            rc = -1;
            break;
        }
        *sep = '\0';
        vbAnnotation *an = VB_PUSH(a->items, a->nitems, cap);
        an->line = lineno;
        an->reason = vbStrdup(vbTrim(sep + 4));
        if (vbParseEntry(an, s, path, lineno, err) < 0) {
            rc = -1;
            break;
        }
        for (size_t i = 0; i + 1 < a->nitems; i++) {
            if (strcmp(a->items[i].kind, an->kind) == 0 &&
                strcmp(a->items[i].subject, an->subject) == 0) {
                *err = vbPrintf("%s:%d: duplicate annotation '%s %s' (first at line %d)", path,
                                lineno, an->kind, an->subject, a->items[i].line);
                rc = -1;
                break;
            }
        }
        if (rc < 0)
            break;
    }
    free(line);
    fclose(f);
    if (rc < 0)
        vbAnnotationsClear(a);
    return rc;
}

void vbAnnotationsClear(vbAnnotations *a)
{
    for (size_t i = 0; i < a->nitems; i++) {
        vbAnnotation *an = &a->items[i];
        free(an->kind);
        free(an->subject);
        free(an->reason);
        for (size_t j = 0; j < an->nkv; j++) {
            free(an->keys[j]);
            free(an->values[j]);
        }
        free(an->keys);
        free(an->values);
    }
    free(a->items);
    free(a->path);
    memset(a, 0, sizeof(*a));
}

vbAnnotation *vbAnnotationsFind(vbAnnotations *a, const char *kind, const char *subject)
{
    for (size_t i = 0; i < a->nitems; i++) {
        vbAnnotation *an = &a->items[i];
        if (strcmp(an->kind, kind) == 0 && strcmp(an->subject, subject) == 0) {
            an->used = true;
            return an;
        }
    }
    return NULL;
}

const char *vbAnnotationGet(const vbAnnotation *an, const char *key)
{
    if (!an)
        return NULL;
    for (size_t i = 0; i < an->nkv; i++)
        if (strcmp(an->keys[i], key) == 0)
            return an->values[i];
    return NULL;
}
