/* vbtest.h — a tiny test harness for virtbind's C unit tests.
 *
 * Each check prints one line that tests/run-all.sh counts:
 *
 *     ok - NAME
 *     not ok - NAME
 *       # file.c:42: CHECK_INT_EQ(x, 6): got 5, expected 6
 *
 * Diagnostic lines start with "#" (after indentation) and are not counted.
 * A test's main() ends with `return VBT_DONE();`, which exits non-zero when
 * any check failed.
 *
 *     CHECK(cond, "name %d", i)              a boolean condition
 *     CHECK_INT_EQ(got, expected, "name")    integers (long long)
 *     CHECK_STR_EQ(got, expected, "name")    strings; NULL is allowed on either side
 *     CHECK_NOT_NULL(ptr, "name")
 *
 * Every CHECK_* evaluates to true when the check passed, so a test can skip
 * what depends on it:  if (CHECK_NOT_NULL(m, "model loads")) { ... }  */
#ifndef VBTEST_H
#define VBTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int vbtFailures __attribute__((unused));
static int vbtChecks __attribute__((unused));

static inline void vbtReportV(bool ok, const char *fmt, va_list ap)
{
    vbtChecks++;
    if (!ok)
        vbtFailures++;
    fputs(ok ? "ok - " : "not ok - ", stdout);
    vprintf(fmt, ap);
    putchar('\n');
}

static inline bool vbtCheck(bool ok, const char *file, int line, const char *expr,
                            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static inline bool vbtCheck(bool ok, const char *file, int line, const char *expr,
                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vbtReportV(ok, fmt, ap);
    va_end(ap);
    if (!ok)
        printf("  # %s:%d: CHECK(%s) failed\n", file, line, expr);
    fflush(stdout);
    return ok;
}

static inline bool vbtCheckInt(long long got, long long expected, const char *file, int line,
                               const char *gexpr, const char *eexpr, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
static inline bool vbtCheckInt(long long got, long long expected, const char *file, int line,
                               const char *gexpr, const char *eexpr, const char *fmt, ...)
{
    bool ok = got == expected;
    va_list ap;
    va_start(ap, fmt);
    vbtReportV(ok, fmt, ap);
    va_end(ap);
    if (!ok)
        printf("  # %s:%d: CHECK_INT_EQ(%s, %s): got %lld, expected %lld\n", file, line, gexpr,
               eexpr, got, expected);
    fflush(stdout);
    return ok;
}

static inline bool vbtCheckStr(const char *got, const char *expected, const char *file, int line,
                               const char *gexpr, const char *eexpr, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
static inline bool vbtCheckStr(const char *got, const char *expected, const char *file, int line,
                               const char *gexpr, const char *eexpr, const char *fmt, ...)
{
    bool ok = (got && expected) ? strcmp(got, expected) == 0 : got == expected;
    va_list ap;
    va_start(ap, fmt);
    vbtReportV(ok, fmt, ap);
    va_end(ap);
    if (!ok)
        printf("  # %s:%d: CHECK_STR_EQ(%s, %s): got %s%s%s, expected %s%s%s\n", file, line,
               gexpr, eexpr, got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
               expected ? "\"" : "", expected ? expected : "NULL", expected ? "\"" : "");
    fflush(stdout);
    return ok;
}

#define CHECK(cond, ...) vbtCheck(!!(cond), __FILE__, __LINE__, #cond, __VA_ARGS__)
#define CHECK_NOT_NULL(ptr, ...) \
    vbtCheck((ptr) != NULL, __FILE__, __LINE__, #ptr " != NULL", __VA_ARGS__)
#define CHECK_INT_EQ(got, expected, ...)                                             \
    vbtCheckInt((long long)(got), (long long)(expected), __FILE__, __LINE__, #got, \
                #expected, __VA_ARGS__)
#define CHECK_STR_EQ(got, expected, ...) \
    vbtCheckStr((got), (expected), __FILE__, __LINE__, #got, #expected, __VA_ARGS__)

/* Print a diagnostic line (not counted). */
#define VBT_NOTE(...) (fputs("  # ", stdout), printf(__VA_ARGS__), putchar('\n'))

/* The exit status for main(): 0 when every check passed (and there was one). */
#define VBT_DONE() (vbtFailures == 0 && vbtChecks > 0 ? 0 : 1)

#endif
