/* cov_names.c — owns the name-set binding inputs: reading a --symbols file
 * (one name per line, '#' comments and blank lines ignored) and judging items
 * by exact name against a set (also used for --c-sources identifiers); and the
 * line-file reader the --symbols and --ignore files share (covReadLines). */
#include "cov.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Strips a '#' comment and surrounding blanks in place; returns the start. */
static char *covTrimLine(char *line)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    while (isspace((unsigned char)*line))
        line++;
    size_t n = strlen(line);
    while (n && isspace((unsigned char)line[n - 1]))
        line[--n] = '\0';
    return line;
}

static bool covHasSpace(const char *s)
{
    for (; *s; s++)
        if (isspace((unsigned char)*s))
            return true;
    return false;
}

int covReadLines(const char *path, const char *what, covLineFn fn, void *ctx, char **err)
{
    int rc = -1;
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        *err = vbPrintf("%s: cannot open %s: %s", path, what, strerror(errno));
        goto cleanup;
    }
    while (getline(&line, &cap, f) != -1) {
        lineno++;
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#')
            continue;
        if (fn(ctx, path, lineno, p, err) < 0)
            goto cleanup;
    }
    if (ferror(f)) {
        *err = vbPrintf("%s: read error: %s", path, strerror(errno));
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(line);
    if (f)
        fclose(f);
    return rc;
}

/* One --symbols line: a name, optionally followed by a '#' comment. */
static int covSymbolsLine(void *ctx, const char *path, int lineno, char *line, char **err)
{
    covStrSet *set = ctx;
    char *name = covTrimLine(line);
    if (!*name)
        return 0;
    if (covHasSpace(name)) {
        *err = vbPrintf("%s:%d: expected one name per line, got '%s'", path, lineno, name);
        return -1;
    }
    covStrSetAdd(set, name, strlen(name));
    return 0;
}

int covSymbolsLoad(covStrSet *set, const char *path, char **err)
{
    return covReadLines(path, "symbols file", covSymbolsLine, set, err);
}

void covJudgeByNames(covItems *items, const covStrSet *set)
{
    for (size_t i = 0; i < items->nitems; i++)
        items->items[i].bound = covStrSetHas(set, items->items[i].name);
}
