/* cov_json.c — owns the --json report: a small pretty-printing JSON writer
 * and the report's layout.  Output is stable: object keys are sorted, name
 * lists are sorted, and stale entries keep the ignore files' order. */
#include "cov.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    FILE *out;
    int depth;
    bool first;     /* no member written yet at this depth */
} covJson;

static void covJsonString(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

/* Separator, indentation and "key": before a member (key NULL in arrays). */
static void covJsonMember(covJson *j, const char *key)
{
    fputs(j->first ? "\n" : ",\n", j->out);
    j->first = false;
    for (int i = 0; i < j->depth; i++)
        fputs("  ", j->out);
    if (key) {
        covJsonString(j->out, key);
        fputs(": ", j->out);
    }
}

static void covJsonOpen(covJson *j, const char *key, char bracket)
{
    if (j->depth > 0)
        covJsonMember(j, key);
    fputc(bracket, j->out);
    j->depth++;
    j->first = true;
}

static void covJsonClose(covJson *j, char bracket)
{
    j->depth--;
    if (!j->first) {
        fputc('\n', j->out);
        for (int i = 0; i < j->depth; i++)
            fputs("  ", j->out);
    }
    fputc(bracket, j->out);
    j->first = false;
}

static void covJsonStr(covJson *j, const char *key, const char *value)
{
    covJsonMember(j, key);
    if (value)
        covJsonString(j->out, value);
    else
        fputs("null", j->out);
}

static void covJsonNum(covJson *j, const char *key, long long value)
{
    covJsonMember(j, key);
    fprintf(j->out, "%lld", value);
}

/* ------------------------------------------------------------- layout */

/* Indexes 0..n-1 ordered by name(i), for sorted object keys. */
static void covSortedIndexes(int *idx, int n, const char *(*name)(int))
{
    for (int i = 0; i < n; i++)
        idx[i] = i;
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && strcmp(name(idx[k - 1]), name(idx[k])) > 0; k--) {
            int t = idx[k];
            idx[k] = idx[k - 1];
            idx[k - 1] = t;
        }
}

static const char *covSrcName(int i) { return vbSourceName((vbSource)i); }
static const char *covKindNameAt(int i) { return covKindName((covKind)i); }

static void covJsonNames(covJson *j, const covReport *r, const char *key, int src, covKind kind,
                         covState st)
{
    covJsonOpen(j, key, '[');
    for (size_t i = 0; i < r->items->nitems; i++) {
        const covItem *it = &r->items->items[i];
        if ((int)it->src == src && it->kind == kind && covItemState(it) == st)
            covJsonStr(j, NULL, it->name);
    }
    covJsonClose(j, ']');
}

/* Why each missing item is missing, when the binding input knows. */
static void covJsonDetails(covJson *j, const covReport *r, int src, covKind kind)
{
    covJsonOpen(j, "details", '{');
    for (size_t i = 0; i < r->items->nitems; i++) {
        const covItem *it = &r->items->items[i];
        if ((int)it->src == src && it->kind == kind && covItemState(it) == COV_MISSING &&
            it->detail)
            covJsonStr(j, it->name, it->detail);
    }
    covJsonClose(j, '}');
}

static void covJsonKind(covJson *j, const covReport *r, int src, covKind kind)
{
    const size_t *n = r->tally.n[src][kind];
    covJsonOpen(j, covKindName(kind), '{');
    covJsonNum(j, "bound", (long long)n[COV_BOUND]);
    covJsonDetails(j, r, src, kind);
    covJsonNum(j, "ignored", (long long)n[COV_IGNORED]);
    covJsonNames(j, r, "ignored_names", src, kind, COV_IGNORED);
    covJsonNum(j, "missing", (long long)n[COV_MISSING]);
    covJsonNames(j, r, "missing_names", src, kind, COV_MISSING);
    covJsonNum(j, "total", (long long)(n[COV_BOUND] + n[COV_MISSING] + n[COV_IGNORED]));
    covJsonClose(j, '}');
}

static void covJsonSources(covJson *j, const covReport *r)
{
    int srcs[VB_SRC_COUNT], kinds[COV_KIND_COUNT];
    covSortedIndexes(srcs, VB_SRC_COUNT, covSrcName);
    covSortedIndexes(kinds, COV_KIND_COUNT, covKindNameAt);
    covJsonOpen(j, "sources", '{');
    for (int s = 0; s < VB_SRC_COUNT; s++) {
        if (!r->filter->src[srcs[s]])
            continue;
        covJsonOpen(j, vbSourceName((vbSource)srcs[s]), '{');
        for (int k = 0; k < COV_KIND_COUNT; k++)
            if (r->filter->kind[kinds[k]])
                covJsonKind(j, r, srcs[s], (covKind)kinds[k]);
        covJsonClose(j, '}');
    }
    covJsonClose(j, '}');
}

static void covJsonTotals(covJson *j, const covReport *r)
{
    int kinds[COV_KIND_COUNT];
    covSortedIndexes(kinds, COV_KIND_COUNT, covKindNameAt);
    covJsonOpen(j, "totals", '{');
    for (int k = 0; k < COV_KIND_COUNT; k++) {
        if (!r->filter->kind[kinds[k]])
            continue;
        size_t n[COV_STATE_COUNT];
        for (int st = 0; st < COV_STATE_COUNT; st++)
            n[st] = covTallySum(&r->tally, r->filter, -1, (covKind)kinds[k], (covState)st);
        covJsonOpen(j, covKindName((covKind)kinds[k]), '{');
        covJsonNum(j, "bound", (long long)n[COV_BOUND]);
        covJsonNum(j, "ignored", (long long)n[COV_IGNORED]);
        covJsonNum(j, "missing", (long long)n[COV_MISSING]);
        covJsonNum(j, "total", (long long)(n[COV_BOUND] + n[COV_MISSING] + n[COV_IGNORED]));
        covJsonClose(j, '}');
    }
    covJsonClose(j, '}');
}

static void covJsonStale(covJson *j, const covReport *r)
{
    covJsonOpen(j, "stale", '[');
    for (size_t i = 0; i < r->nstale; i++) {
        covJsonOpen(j, NULL, '{');
        covJsonStr(j, "file", r->stale[i].entry->file);
        covJsonNum(j, "line", r->stale[i].entry->line);
        covJsonStr(j, "name", r->stale[i].entry->name);
        covJsonStr(j, "why", r->stale[i].why);
        covJsonClose(j, '}');
    }
    covJsonClose(j, ']');
}

static void covJsonJudged(covJson *j, const covReport *r)
{
    int srcs[VB_SRC_COUNT], kinds[COV_KIND_COUNT];
    covSortedIndexes(srcs, VB_SRC_COUNT, covSrcName);
    covSortedIndexes(kinds, COV_KIND_COUNT, covKindNameAt);
    covJsonOpen(j, "judged", '{');
    covJsonOpen(j, "kinds", '[');
    for (int k = 0; k < COV_KIND_COUNT; k++)
        if (r->filter->kind[kinds[k]])
            covJsonStr(j, NULL, covKindName((covKind)kinds[k]));
    covJsonClose(j, ']');
    covJsonOpen(j, "sources", '[');
    for (int s = 0; s < VB_SRC_COUNT; s++)
        if (r->filter->src[srcs[s]])
            covJsonStr(j, NULL, vbSourceName((vbSource)srcs[s]));
    covJsonClose(j, ']');
    covJsonClose(j, '}');
}

static void covJsonApiXml(covJson *j, const covReport *r)
{
    int srcs[VB_SRC_COUNT];
    covSortedIndexes(srcs, VB_SRC_COUNT, covSrcName);
    covJsonOpen(j, "api_xml", '{');
    for (int s = 0; s < VB_SRC_COUNT; s++)
        covJsonStr(j, vbSourceName((vbSource)srcs[s]), r->model->paths[srcs[s]]);
    covJsonClose(j, '}');
}

void covReportJson(const covReport *r, FILE *out)
{
    covJson j = { .out = out };
    covJsonOpen(&j, NULL, '{');
    covJsonApiXml(&j, r);
    covJsonStr(&j, "binding", r->binding);
    covJsonNum(&j, "exit_code", r->exit_code);
    covJsonJudged(&j, r);
    covJsonNum(&j, "missing_count", (long long)r->nmissing);
    covJsonSources(&j, r);
    covJsonStale(&j, r);
    covJsonNum(&j, "stale_count", (long long)r->nstale);
    covJsonTotals(&j, r);
    covJsonClose(&j, '}');
    fputc('\n', out);
}
