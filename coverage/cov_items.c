/* cov_items.c — owns the list of judged items: the kind names, the
 * --sources/--kinds filter, and turning the classified model into one item
 * per function, enum constant, macro, typed-parameter field, event ID and
 * enum type. */
#include "cov.h"

#include <stdlib.h>
#include <string.h>

static const char *const covKindNames[COV_KIND_COUNT] = {
    "functions", "enums", "macros", "fields", "events", "enumtypes",
};

const char *covKindName(covKind kind)
{
    return (unsigned)kind < COV_KIND_COUNT ? covKindNames[kind] : "?";
}

void covFilterAll(covFilter *f)
{
    for (int s = 0; s < VB_SRC_COUNT; s++)
        f->src[s] = true;
    for (int k = 0; k < COV_KIND_COUNT; k++)
        f->kind[k] = true;
    /* enum types as classes are a notion of typed bindings (virtbind's
     * IntEnum/IntFlag): judged when asked for, so default reports stay as they were */
    f->kind[COV_KIND_ENUM_TYPES] = false;
}

static int covLookupName(const char *word, size_t len, const char *(*nameOf)(int), int count)
{
    for (int i = 0; i < count; i++) {
        const char *n = nameOf(i);
        if (strlen(n) == len && strncmp(n, word, len) == 0)
            return i;
    }
    return -1;
}

static const char *covSourceNameAt(int i) { return vbSourceName((vbSource)i); }
static const char *covKindNameAt(int i) { return covKindName((covKind)i); }

/* Parses a comma-separated list of names into sel[count]. */
static int covParseList(const char *list, const char *what, const char *(*nameOf)(int),
                        int count, bool *sel, char **err)
{
    for (int i = 0; i < count; i++)
        sel[i] = false;
    const char *p = list;
    bool any = false;
    while (*p) {
        size_t len = strcspn(p, ",");
        int i = covLookupName(p, len, nameOf, count);
        if (i < 0) {
            vbBuf valid = {0};
            for (int j = 0; j < count; j++)
                vbBufPrintf(&valid, "%s%s", j ? "," : "", nameOf(j));
            *err = vbPrintf("unknown %s '%.*s' (valid: %s)", what, (int)len, p, valid.s);
            vbBufClear(&valid);
            return -1;
        }
        sel[i] = any = true;
        p += len;
        if (*p == ',')
            p++;
    }
    if (!any) {
        *err = vbPrintf("empty %s list", what);
        return -1;
    }
    return 0;
}

int covFilterParse(covFilter *f, const char *sources, const char *kinds, char **err)
{
    covFilterAll(f);
    if (sources && covParseList(sources, "source", covSourceNameAt, VB_SRC_COUNT, f->src, err) < 0)
        return -1;
    if (kinds && covParseList(kinds, "kind", covKindNameAt, COV_KIND_COUNT, f->kind, err) < 0)
        return -1;
    return 0;
}

static void covAddItem(covItems *it, const covFilter *f, covKind kind, vbSource src,
                       const char *name, int index)
{
    if (!f->kind[kind] || (unsigned)src >= VB_SRC_COUNT || !f->src[src] || !name)
        return;
    covItem *item = VB_PUSH(it->items, it->nitems, it->cap);
    item->kind = kind;
    item->src = src;
    item->name = name;
    item->index = index;
    item->ignore = -1;
}

static int covItemCompare(const void *a, const void *b)
{
    const covItem *x = a, *y = b;
    if (x->src != y->src)
        return x->src < y->src ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void covAddEvents(covItems *it, const vbModel *m, const covFilter *f)
{
    for (size_t i = 0; i < m->nevents; i++) {
        int ec = m->events[i].enum_const;
        if (ec < 0 || (size_t)ec >= m->nenums)
            continue;   /* a classification bug; nothing to name the item by */
        covAddItem(it, f, COV_KIND_EVENTS, m->enums[ec].src, m->enums[ec].name, (int)i);
    }
}

/* One item per enum type, indexed by its first constant. */
static void covAddEnumTypes(covItems *it, const vbModel *m, const covFilter *f)
{
    for (size_t i = 0; i < m->nenums; i++) {
        const char *type = m->enums[i].type;
        bool first = type != NULL;
        for (size_t k = 0; k < i && first; k++)
            first = !vbStrEq(m->enums[k].type, type);
        if (first)
            covAddItem(it, f, COV_KIND_ENUM_TYPES, m->enums[i].src, type, (int)i);
    }
}

void covItemsBuild(covItems *it, const vbModel *m, const covFilter *f)
{
    for (size_t i = 0; i < m->nfunctions; i++)
        covAddItem(it, f, COV_KIND_FUNCTIONS, m->functions[i].src, m->functions[i].name, (int)i);
    for (size_t i = 0; i < m->nenums; i++)
        covAddItem(it, f, COV_KIND_ENUMS, m->enums[i].src, m->enums[i].name, (int)i);
    for (size_t i = 0; i < m->nmacros; i++) {
        const vbMacro *mc = &m->macros[i];
        covAddItem(it, f, COV_KIND_MACROS, mc->src, mc->name, (int)i);
        if (mc->tp_group >= 0)
            covAddItem(it, f, COV_KIND_FIELDS, mc->src, mc->name, (int)i);
    }
    covAddEvents(it, m, f);
    if (f->kind[COV_KIND_ENUM_TYPES])
        covAddEnumTypes(it, m, f);
    if (it->nitems)
        qsort(it->items, it->nitems, sizeof(*it->items), covItemCompare);
}

void covItemsClear(covItems *it)
{
    for (size_t i = 0; i < it->nitems; i++)
        free(it->items[i].detail);
    free(it->items);
    it->items = NULL;
    it->nitems = it->cap = 0;
}

covState covItemState(const covItem *item)
{
    if (item->bound)
        return COV_BOUND;
    return item->ignore >= 0 ? COV_IGNORED : COV_MISSING;
}

bool covModelHasName(const vbModel *m, const char *name)
{
    return vbModelFindFunction(m, name) >= 0 || vbModelFindEnum(m, name) >= 0 ||
           vbModelFindMacro(m, name) >= 0;
}
