/* cov.h — what virtbind-coverage's modules share: the judged items, the
 * source/kind filter, the string set, the ignore list, the binding inputs and
 * the report.  Each declaration names the module (cov_*.c) that owns it.
 * Everything here borrows names from the vbModel; it must outlive the items. */
#ifndef COV_H
#define COV_H

#include "vbapi.h"
#include "vb_util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* ------------------------------------------------ items (cov_items.c) */

typedef enum {
    COV_KIND_FUNCTIONS = 0,
    COV_KIND_ENUMS,
    COV_KIND_MACROS,
    COV_KIND_FIELDS,   /* typed-parameter field macros (macro->tp_group >= 0) */
    COV_KIND_EVENTS,   /* event IDs (model->events), named by their enum constant */
    COV_KIND_ENUM_TYPES, /* enum types (vbEnumConst.type), named by the C type; judged
                          * only when --kinds names "enumtypes" (not by default) */
    COV_KIND_COUNT
} covKind;

const char *covKindName(covKind kind);   /* "functions", "enums", ... */

/* Which XMLs and kinds a run judges; everything else is left out. */
typedef struct {
    bool src[VB_SRC_COUNT];
    bool kind[COV_KIND_COUNT];
} covFilter;

void covFilterAll(covFilter *f);
/* "main,qemu" / "functions,enums"; NULL keeps the default (all but enumtypes). */
int covFilterParse(covFilter *f, const char *sources, const char *kinds, char **err);

typedef enum { COV_BOUND = 0, COV_MISSING, COV_IGNORED, COV_STATE_COUNT } covState;

typedef struct {
    covKind kind;
    vbSource src;
    const char *name;  /* borrowed from the model */
    int index;         /* functions: model->functions; enums, enumtypes: model->enums;
                        * macros, fields: model->macros; events: model->events */
    bool bound;        /* set by a binding input */
    char *detail;      /* why it is missing, when the input knows; owned */
    int ignore;        /* index into the ignore list, or -1 */
} covItem;

typedef struct {
    covItem *items;
    size_t nitems;
    size_t cap;
} covItems;

/* Builds the judged items in report order: source, kind, name. */
void covItemsBuild(covItems *it, const vbModel *m, const covFilter *f);
void covItemsClear(covItems *it);
covState covItemState(const covItem *item);
/* Is NAME a function, enum constant or macro of any of the four XMLs? */
bool covModelHasName(const vbModel *m, const char *name);

/* ----------------------------------------- string set (cov_strset.c) */

typedef struct {
    char **slots;      /* open addressing; NULL = empty */
    size_t cap;        /* a power of two, or 0 */
    size_t n;
} covStrSet;

void covStrSetAdd(covStrSet *set, const char *s, size_t len);  /* copies */
bool covStrSetHas(const covStrSet *set, const char *s);
void covStrSetClear(covStrSet *set);

/* ------------------------------------------- ignore list (cov_ignore.c) */

typedef struct {
    char *name;
    char *reason;
    char *file;
    int line;
} covIgnoreEntry;

typedef struct {
    covIgnoreEntry *entries;
    size_t n;
    size_t cap;
} covIgnoreList;

/* Appends FILE's entries; -1 with *err "file:line: what" on a bad entry. */
int covIgnoreLoad(covIgnoreList *list, const char *path, char **err);
void covIgnoreClear(covIgnoreList *list);
/* Points every judged item at its ignore entry (item->ignore). */
void covIgnoreApply(const covIgnoreList *list, covItems *items);

typedef struct {
    const covIgnoreEntry *entry;
    const char *why;   /* static text */
} covStale;

/* Entries naming nothing in the XMLs, or only bound items; caller frees *out. */
size_t covIgnoreFindStale(const covIgnoreList *list, const covItems *items, const vbModel *m,
                          covStale **out);

/* ------------------------------------------------------ binding inputs */

typedef enum { COV_INPUT_NONE = 0, COV_INPUT_PYTHON, COV_INPUT_SOURCES, COV_INPUT_SYMBOLS } covInputMode;

typedef struct {
    covInputMode mode;
    const char *arg;        /* module name, source directory, or symbols file */
    const char *python;     /* interpreter for COV_INPUT_PYTHON */
    const char **pypath;    /* --path DIRs, prepended to sys.path in order */
    size_t npypath;
    size_t cap_pypath;
} covInput;

/* cov_names.c: the line-file reader of --symbols and --ignore files.  Calls
 * FN(CTX, PATH, LINENO, LINE, ERR) for every line that is neither blank nor a
 * comment ('#' first), LINE with its leading blanks skipped and its end of line
 * kept; FN returns -1 with *ERR "file:line: what" to stop.  WHAT names the
 * file in the open error ("symbols file"). */
typedef int (*covLineFn)(void *ctx, const char *path, int lineno, char *line, char **err);
int covReadLines(const char *path, const char *what, covLineFn fn, void *ctx, char **err);

/* cov_names.c: the name-set inputs (--symbols, --c-sources).  An item is
 * bound when its exact name is in the set. */
int covSymbolsLoad(covStrSet *set, const char *path, char **err);
void covJudgeByNames(covItems *items, const covStrSet *set);

/* cov_scan.c: every identifier of the source files under DIR. */
int covSourcesScan(covStrSet *set, const char *dir, size_t *nfiles, char **err);

/* cov_python.c: imports the module in a Python interpreter and judges the
 * items by introspection (see docs/coverage.md for the rules). */
int covPythonJudge(covItems *items, const vbModel *m, const covInput *in, char **notes,
                   char **err);

/* cov_pyscript.c: the introspection script run with `python -c`. */
extern const char covPythonScript[];

/* ----------------------------------------------- command line (cov_cli.c) */

typedef enum { COV_FORMAT_TABLE = 0, COV_FORMAT_JSON, COV_FORMAT_MARKDOWN } covFormat;

typedef struct {
    vbPaths paths;              /* XML and annotations overrides (owned) */
    covInput input;
    const char **ignores;       /* --ignore FILEs, in order */
    size_t nignores;
    size_t cap_ignores;
    const char *sources;        /* --sources list, or NULL for all */
    const char *kinds;          /* --kinds list, or NULL for all */
    covFormat format;
    long max_list;              /* -1: list every missing name */
    bool list_items;
} covOptions;

/* 0: run; 1: --help was printed (exit 0); -1: usage error printed (exit 2). */
int covParseOptions(covOptions *o, int argc, char **argv);
void covOptionsClear(covOptions *o);

/* --------------------------------------- report (cov_report.c, cov_json.c) */

typedef struct {
    size_t n[VB_SRC_COUNT][COV_KIND_COUNT][COV_STATE_COUNT];
} covTally;

typedef struct {
    const char *binding;        /* "python module 'libvirt'" ... */
    const vbModel *model;
    const covFilter *filter;
    const covItems *items;
    const covIgnoreList *ignores;
    const covStale *stale;
    size_t nstale;
    covTally tally;
    size_t nmissing;            /* missing and not ignored, all judged items */
    long max_list;              /* names listed in table/markdown; -1 = all */
    int exit_code;
} covReport;

/* Counts the items and sets nmissing and exit_code (0, or 1 when something
 * is missing or an ignore entry is stale). */
void covReportTally(covReport *r);
size_t covTallySum(const covTally *t, const covFilter *f, int src, covKind kind, covState st);
void covReportTable(const covReport *r, FILE *out);
void covReportMarkdown(const covReport *r, FILE *out);
void covReportJson(const covReport *r, FILE *out);

#endif
