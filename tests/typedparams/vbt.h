/* vbt.h — a minimal test protocol for the libvirtbind tests: one line per
 * check, "ok - NAME" or "not ok - NAME", exit status 1 when any failed. */
#ifndef VBT_H
#define VBT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int vbt_failed;
static int vbt_count;

__attribute__((format(printf, 2, 3), unused))
static bool vbtOk(bool cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s - ", cond ? "ok" : "not ok");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    vbt_count++;
    if (!cond)
        vbt_failed++;
    return cond;
}

/* a diagnostic line (not a result) */
__attribute__((format(printf, 1, 2), unused))
static void vbtDiag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("# ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

__attribute__((unused))
static int vbtDone(void)
{
    printf("# %d checks, %d failed\n", vbt_count, vbt_failed);
    return vbt_failed ? 1 : 0;
}

#endif
