/* cov_report.c — owns the counts (bound / missing / ignored / total per
 * source and kind), the exit code they imply, and the two human formats: the
 * plain table (default) and the Markdown table for CI summaries.  The JSON
 * format lives in cov_json.c. */
#include "cov.h"

#include <stdlib.h>
#include <string.h>

void covReportTally(covReport *r)
{
    covTally *t = &r->tally;
    memset(t, 0, sizeof(*t));
    r->nmissing = 0;
    for (size_t i = 0; i < r->items->nitems; i++) {
        const covItem *it = &r->items->items[i];
        covState st = covItemState(it);
        t->n[it->src][it->kind][st]++;
        r->nmissing += st == COV_MISSING;
    }
    r->exit_code = r->nmissing || r->nstale ? 1 : 0;
}

/* src < 0: every judged source. */
size_t covTallySum(const covTally *t, const covFilter *f, int src, covKind kind, covState st)
{
    size_t sum = 0;
    for (int s = 0; s < VB_SRC_COUNT; s++)
        if (f->src[s] && (src < 0 || s == src))
            sum += t->n[s][kind][st];
    return sum;
}

typedef struct {
    size_t state[COV_STATE_COUNT];
    size_t total;
} covRow;

static covRow covGetRow(const covReport *r, int src, covKind kind)
{
    covRow row = { .total = 0 };
    for (int st = 0; st < COV_STATE_COUNT; st++) {
        row.state[st] = covTallySum(&r->tally, r->filter, src, kind, (covState)st);
        row.total += row.state[st];
    }
    return row;
}

static void covFormatPercent(char *buf, size_t len, const covRow *row)
{
    if (row->total)
        snprintf(buf, len, "%.1f%%", 100.0 * (double)row->state[COV_BOUND] / (double)row->total);
    else
        snprintf(buf, len, "-");
}

static const char *covRowSourceName(int src)
{
    return src < 0 ? "all" : vbSourceName((vbSource)src);
}

/* Calls emit for each row: the judged sources in order, then "all" (-1). */
static void covEachRow(const covReport *r, FILE *out,
                       void (*emit)(FILE *, int, covKind, const covRow *))
{
    for (int s = 0; s <= VB_SRC_COUNT; s++) {
        int src = s < VB_SRC_COUNT ? s : -1;
        if (src >= 0 && !r->filter->src[src])
            continue;
        for (int k = 0; k < COV_KIND_COUNT; k++) {
            if (!r->filter->kind[k])
                continue;
            covRow row = covGetRow(r, src, (covKind)k);
            emit(out, src, (covKind)k, &row);
        }
    }
}

/* ---------------------------------------------------------------- table */

static void covTableRow(FILE *out, int src, covKind kind, const covRow *row)
{
    char pct[16];
    covFormatPercent(pct, sizeof(pct), row);
    fprintf(out, "%-6s %-10s %7zu %8zu %8zu %7zu %9s\n", covRowSourceName(src), covKindName(kind),
            row->state[COV_BOUND], row->state[COV_MISSING], row->state[COV_IGNORED], row->total,
            pct);
}

static bool covListMore(const covReport *r, size_t listed)
{
    return r->max_list < 0 || listed < (size_t)r->max_list;
}

static void covTableMissing(const covReport *r, FILE *out)
{
    size_t listed = 0;
    fprintf(out, "\nmissing (%zu):\n", r->nmissing);
    for (size_t i = 0; i < r->items->nitems && covListMore(r, listed); i++) {
        const covItem *it = &r->items->items[i];
        if (covItemState(it) != COV_MISSING)
            continue;
        fprintf(out, "  %-6s %-10s %s%s%s\n", vbSourceName(it->src), covKindName(it->kind),
                it->name, it->detail ? "  -- " : "", it->detail ? it->detail : "");
        listed++;
    }
    if (listed < r->nmissing)
        fprintf(out, "  ... and %zu more (raise --max-list, or use --json)\n", r->nmissing - listed);
}

static void covTableStale(const covReport *r, FILE *out)
{
    fprintf(out, "\nstale ignore entries (%zu):\n", r->nstale);
    for (size_t i = 0; i < r->nstale; i++)
        fprintf(out, "  %s:%d: %s: %s\n", r->stale[i].entry->file, r->stale[i].entry->line,
                r->stale[i].entry->name, r->stale[i].why);
}

void covReportTable(const covReport *r, FILE *out)
{
    fprintf(out, "virtbind-coverage: %s\n\n", r->binding);
    fprintf(out, "%-6s %-10s %7s %8s %8s %7s %9s\n", "source", "kind", "bound", "missing",
            "ignored", "total", "coverage");
    covEachRow(r, out, covTableRow);
    if (r->nmissing)
        covTableMissing(r, out);
    if (r->nstale)
        covTableStale(r, out);
    if (r->exit_code)
        fprintf(out, "\nFAIL: %zu missing, %zu stale ignore entr%s\n", r->nmissing, r->nstale,
                r->nstale == 1 ? "y" : "ies");
    else
        fprintf(out, "\nOK: everything judged is bound or ignored\n");
}

/* ------------------------------------------------------------- markdown */

static void covMarkdownRow(FILE *out, int src, covKind kind, const covRow *row)
{
    char pct[16];
    covFormatPercent(pct, sizeof(pct), row);
    const char *em = src < 0 ? "**" : "";
    fprintf(out, "| %s%s%s | %s | %zu | %zu | %zu | %zu | %s |\n", em, covRowSourceName(src), em,
            covKindName(kind), row->state[COV_BOUND], row->state[COV_MISSING],
            row->state[COV_IGNORED], row->total, pct);
}

/* Backquotes cannot occur in C names; details may hold any text. */
static void covMarkdownMissing(const covReport *r, FILE *out)
{
    size_t listed = 0;
    fprintf(out, "\n<details><summary>Missing (%zu)</summary>\n\n", r->nmissing);
    for (size_t i = 0; i < r->items->nitems && covListMore(r, listed); i++) {
        const covItem *it = &r->items->items[i];
        if (covItemState(it) != COV_MISSING)
            continue;
        fprintf(out, "- `%s` (%s %s)%s%s\n", it->name, vbSourceName(it->src), covKindName(it->kind),
                it->detail ? ": " : "", it->detail ? it->detail : "");
        listed++;
    }
    if (listed < r->nmissing)
        fprintf(out, "- ... and %zu more\n", r->nmissing - listed);
    fprintf(out, "\n</details>\n");
}

void covReportMarkdown(const covReport *r, FILE *out)
{
    fprintf(out, "### virtbind-coverage: %s\n\n", r->binding);
    fprintf(out, "| source | kind | bound | missing | ignored | total | coverage |\n");
    fprintf(out, "|:--|:--|--:|--:|--:|--:|--:|\n");
    covEachRow(r, out, covMarkdownRow);
    if (r->nmissing)
        covMarkdownMissing(r, out);
    if (r->nstale) {
        fprintf(out, "\n**Stale ignore entries (%zu):**\n\n", r->nstale);
        for (size_t i = 0; i < r->nstale; i++)
            fprintf(out, "- `%s` (%s:%d): %s\n", r->stale[i].entry->name, r->stale[i].entry->file,
                    r->stale[i].entry->line, r->stale[i].why);
    }
    fprintf(out, "\n%s: %zu missing, %zu stale ignore entries\n",
            r->exit_code ? "**FAIL**" : "**OK**", r->nmissing, r->nstale);
}
