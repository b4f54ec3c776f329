/* cov_ignore.c — owns --ignore files: parsing "NAME -- reason" entries (a
 * reason is required), marking the judged items they cover, and finding
 * stale entries (naming nothing in the XMLs, or only items that are bound). */
#include "cov.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool covIsIdentifier(const char *s, size_t len)
{
    if (!len || isdigit((unsigned char)s[0]))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return false;
    return true;
}

static const char *covSkipSpace(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

static size_t covTrimmedLen(const char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return n;
}

static int covFindEntry(const covIgnoreList *list, const char *name)
{
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(list->entries[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* One non-blank, non-comment line: NAME -- reason (a covLineFn). */
static int covParseEntry(void *ctx, const char *path, int lineno, char *line, char **err)
{
    covIgnoreList *list = ctx;
    const char *name = covSkipSpace(line);
    size_t nlen = strcspn(name, " \t\r\n");
    if (!covIsIdentifier(name, nlen)) {
        *err = vbPrintf("%s:%d: expected 'NAME -- reason', got '%.*s'", path, lineno,
                        (int)covTrimmedLen(name), name);
        return -1;
    }
    const char *p = covSkipSpace(name + nlen);
    const char *reason = strncmp(p, "--", 2) == 0 ? covSkipSpace(p + 2) : NULL;
    size_t rlen = reason ? covTrimmedLen(reason) : 0;
    if (!rlen || (p[2] && !isspace((unsigned char)p[2]))) {
        *err = vbPrintf("%s:%d: ignore entry '%.*s' has no reason (expected 'NAME -- reason')",
                        path, lineno, (int)nlen, name);
        return -1;
    }
    char *n = vbStrndup(name, nlen);
    int dup = covFindEntry(list, n);
    if (dup >= 0) {
        *err = vbPrintf("%s:%d: '%s' is already ignored at %s:%d", path, lineno, n,
                        list->entries[dup].file, list->entries[dup].line);
        free(n);
        return -1;
    }
    covIgnoreEntry *e = VB_PUSH(list->entries, list->n, list->cap);
    e->name = n;
    e->reason = vbStrndup(reason, rlen);
    e->file = vbStrdup(path);
    e->line = lineno;
    return 0;
}

int covIgnoreLoad(covIgnoreList *list, const char *path, char **err)
{
    return covReadLines(path, "ignore file", covParseEntry, list, err);
}

void covIgnoreClear(covIgnoreList *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->entries[i].name);
        free(list->entries[i].reason);
        free(list->entries[i].file);
    }
    free(list->entries);
    list->entries = NULL;
    list->n = list->cap = 0;
}

void covIgnoreApply(const covIgnoreList *list, covItems *items)
{
    if (!list->n)
        return;
    for (size_t i = 0; i < items->nitems; i++)
        items->items[i].ignore = covFindEntry(list, items->items[i].name);
}

/* NULL when the entry does its job: it covers a judged item that is missing,
 * or names an XML item this run does not judge (--sources/--kinds). */
static const char *covStaleReason(const covIgnoreEntry *e, const covItems *items,
                                  const vbModel *m)
{
    if (!covModelHasName(m, e->name))
        return "not in the API XML";
    bool judged = false;
    for (size_t i = 0; i < items->nitems; i++) {
        const covItem *it = &items->items[i];
        if (strcmp(it->name, e->name) != 0)
            continue;
        judged = true;
        if (!it->bound)
            return NULL;
    }
    return judged ? "it is bound" : NULL;
}

size_t covIgnoreFindStale(const covIgnoreList *list, const covItems *items, const vbModel *m,
                          covStale **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    for (size_t i = 0; i < list->n; i++) {
        const char *why = covStaleReason(&list->entries[i], items, m);
        if (!why)
            continue;
        covStale *s = VB_PUSH(*out, n, cap);
        s->entry = &list->entries[i];
        s->why = why;
    }
    return n;
}
