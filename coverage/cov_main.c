/* cov_main.c — owns a virtbind-coverage run from start to exit code: parse
 * the command line, read the ignore files, load and classify the four API
 * XMLs (as virtbind-gen does), build the judged items, ask the binding input
 * which are bound, find stale ignore entries, and print the report.
 * Exit codes: 0 all judged items bound or ignored, 1 something missing or a
 * stale ignore entry, 2 usage or input error. */
#include "cov.h"

#include <stdlib.h>
#include <string.h>

static int covLoadIgnores(const covOptions *o, covIgnoreList *list, char **err)
{
    for (size_t i = 0; i < o->nignores; i++)
        if (covIgnoreLoad(list, o->ignores[i], err) < 0)
            return -1;
    return 0;
}

static vbModel *covLoadModel(vbPaths *paths, char **err)
{
    vbModel *m = NULL;
    if (vbPathsDiscover(paths, err) < 0)
        return NULL;
    if (!(m = vbModelLoad(paths, err)))
        return NULL;
    if (vbModelClassify(m, paths->annotations, err) < 0) {
        vbModelFree(m);
        return NULL;
    }
    return m;
}

static void covListItems(const covItems *items, FILE *out)
{
    for (size_t i = 0; i < items->nitems; i++)
        fprintf(out, "%s\t%s\t%s\n", vbSourceName(items->items[i].src),
                covKindName(items->items[i].kind), items->items[i].name);
}

static int covJudgeWithNames(const covInput *in, covItems *items, char **binding, char **err)
{
    covStrSet set = {0};
    size_t nfiles = 0;
    int rc = -1;
    if (in->mode == COV_INPUT_SYMBOLS) {
        if (covSymbolsLoad(&set, in->arg, err) < 0)
            goto cleanup;
        *binding = vbPrintf("symbols file %s (%zu names)", in->arg, set.n);
    } else {
        if (covSourcesScan(&set, in->arg, &nfiles, err) < 0)
            goto cleanup;
        *binding = vbPrintf("identifiers in %s (%zu source files)", in->arg, nfiles);
    }
    covJudgeByNames(items, &set);
    rc = 0;
cleanup:
    covStrSetClear(&set);
    return rc;
}

static void covPrintNotes(const char *notes)
{
    const char *p = notes;
    while (p && *p) {
        size_t n = strcspn(p, "\n");
        fprintf(stderr, "virtbind-coverage: note: %.*s\n", (int)n, p);
        p += n + (p[n] == '\n');
    }
}

static int covJudge(const covInput *in, const vbModel *m, covItems *items, char **binding,
                    char **err)
{
    char *notes = NULL;
    if (in->mode != COV_INPUT_PYTHON)
        return covJudgeWithNames(in, items, binding, err);
    if (covPythonJudge(items, m, in, &notes, err) < 0)
        return -1;
    covPrintNotes(notes);
    free(notes);
    *binding = vbPrintf("python module '%s' (%s)", in->arg, in->python);
    return 0;
}

static void covPrintReport(const covReport *r, covFormat format)
{
    if (format == COV_FORMAT_JSON)
        covReportJson(r, stdout);
    else if (format == COV_FORMAT_MARKDOWN)
        covReportMarkdown(r, stdout);
    else
        covReportTable(r, stdout);
}

/* Judges the items and prints the report; returns the exit code. */
static int covRun(const covOptions *o, const vbModel *m, const covFilter *filter,
                  const covIgnoreList *ignores, covItems *items)
{
    char *binding = NULL, *err = NULL;
    covStale *stale = NULL;
    int rc = 2;
    if (covJudge(&o->input, m, items, &binding, &err) < 0) {
        fprintf(stderr, "virtbind-coverage: %s\n", err);
        goto cleanup;
    }
    covIgnoreApply(ignores, items);
    covReport r = {
        .binding = binding, .model = m, .filter = filter, .items = items,
        .ignores = ignores, .max_list = o->max_list,
    };
    r.nstale = covIgnoreFindStale(ignores, items, m, &stale);
    r.stale = stale;
    covReportTally(&r);
    covPrintReport(&r, o->format);
    rc = r.exit_code;
cleanup:
    free(stale);
    free(binding);
    free(err);
    return rc;
}

int main(int argc, char **argv)
{
    covOptions o = {0};
    covFilter filter;
    covIgnoreList ignores = {0};
    covItems items = {0};
    vbModel *m = NULL;
    char *err = NULL;
    int rc = 2;

    int parsed = covParseOptions(&o, argc, argv);
    if (parsed != 0) {
        rc = parsed > 0 ? 0 : 2;
        goto cleanup;
    }
    if (covFilterParse(&filter, o.sources, o.kinds, &err) < 0 ||
        covLoadIgnores(&o, &ignores, &err) < 0 || !(m = covLoadModel(&o.paths, &err)))
        goto cleanup;
    covItemsBuild(&items, m, &filter);
    if (o.list_items) {
        covListItems(&items, stdout);
        rc = 0;
    } else {
        rc = covRun(&o, m, &filter, &ignores, &items);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        err = vbStrdup("error writing the report to standard output");
        rc = 2;
    }
cleanup:
    if (err)
        fprintf(stderr, "virtbind-coverage: %s\n", err);
    free(err);
    covItemsClear(&items);
    covIgnoreClear(&ignores);
    vbModelFree(m);
    covOptionsClear(&o);
    return rc;
}
