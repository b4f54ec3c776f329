/* cov_strset.c — owns covStrSet, a set of owned strings (open addressing,
 * FNV-1a hash) holding the names a binding provides: tens of thousands of
 * identifiers from a source tree, looked up once per judged item. */
#include "cov.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t covHash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The slot holding s, or the empty slot where it belongs. */
static size_t covSlot(char *const *slots, size_t cap, const char *s, size_t len)
{
    size_t i = (size_t)covHash(s, len) & (cap - 1);
    while (slots[i] && !(strncmp(slots[i], s, len) == 0 && slots[i][len] == '\0'))
        i = (i + 1) & (cap - 1);
    return i;
}

static void covStrSetRehash(covStrSet *set)
{
    size_t ncap = set->cap ? set->cap * 2 : 1024;
    char **nslots = vbAlloc(ncap * sizeof(*nslots));
    for (size_t i = 0; i < set->cap; i++) {
        char *s = set->slots[i];
        if (s)
            nslots[covSlot(nslots, ncap, s, strlen(s))] = s;
    }
    free(set->slots);
    set->slots = nslots;
    set->cap = ncap;
}

void covStrSetAdd(covStrSet *set, const char *s, size_t len)
{
    if ((set->n + 1) * 2 > set->cap)
        covStrSetRehash(set);
    size_t i = covSlot(set->slots, set->cap, s, len);
    if (set->slots[i])
        return;
    set->slots[i] = vbStrndup(s, len);
    set->n++;
}

bool covStrSetHas(const covStrSet *set, const char *s)
{
    if (!set->cap || !s)
        return false;
    return set->slots[covSlot(set->slots, set->cap, s, strlen(s))] != NULL;
}

void covStrSetClear(covStrSet *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i]);
    free(set->slots);
    set->slots = NULL;
    set->cap = set->n = 0;
}
