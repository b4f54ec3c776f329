/* cov_scan.c — owns the --c-sources input: walks a directory tree (hidden
 * entries and symlinked directories skipped) and collects every identifier
 * ([A-Za-z_][A-Za-z0-9_]*, as a whole word) of the binding's source files,
 * comments and strings included, as libvirt-go's API test does. */
#include "cov.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const covSourceExts[] = {
    ".c", ".h", ".go", ".rs", ".py", ".cc", ".cpp", ".pyx",
};

static bool covIsSourceFile(const char *name)
{
    for (size_t i = 0; i < sizeof(covSourceExts) / sizeof(covSourceExts[0]); i++)
        if (vbEndsWith(name, covSourceExts[i]) && strlen(name) > strlen(covSourceExts[i]))
            return true;
    return false;
}

static bool covIsWordChar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Adds each word that does not start with a digit; "0x1fVIR" is a number. */
static void covTokenize(covStrSet *set, const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (!covIsWordChar((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && covIsWordChar((unsigned char)text[i]))
            i++;
        if (!(text[start] >= '0' && text[start] <= '9'))
            covStrSetAdd(set, text + start, i - start);
    }
}

static int covScanFile(covStrSet *set, const char *path, char **err)
{
    int rc = -1;
    vbBuf buf = {0};
    char chunk[65536];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = vbPrintf("%s: cannot open: %s", path, strerror(errno));
        goto cleanup;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        vbBufAddN(&buf, chunk, n);
    if (ferror(f)) {
        *err = vbPrintf("%s: read error", path);
        goto cleanup;
    }
    covTokenize(set, buf.s ? buf.s : "", buf.len);
    rc = 0;
cleanup:
    vbBufClear(&buf);
    if (f)
        fclose(f);
    return rc;
}

static int covScanDir(covStrSet *set, const char *dir, size_t *nfiles, char **err);

static int covScanEntry(covStrSet *set, const char *path, const char *name, size_t *nfiles,
                        char **err)
{
    struct stat st;
    if (lstat(path, &st) < 0) {
        *err = vbPrintf("%s: cannot stat: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        return covScanDir(set, path, nfiles, err);
    if (!covIsSourceFile(name))
        return 0;
    if (S_ISLNK(st.st_mode) && (stat(path, &st) < 0 || !S_ISREG(st.st_mode)))
        return 0;   /* a dangling or non-file link: nothing to read */
    if (!S_ISREG(st.st_mode))
        return 0;
    (*nfiles)++;
    return covScanFile(set, path, err);
}

static int covScanDir(covStrSet *set, const char *dir, size_t *nfiles, char **err)
{
    int rc = 0;
    DIR *d = opendir(dir);
    if (!d) {
        *err = vbPrintf("%s: cannot open directory: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;   /* ".", "..", ".git" and other hidden entries */
        char *path = vbPrintf("%s/%s", dir, de->d_name);
        rc = covScanEntry(set, path, de->d_name, nfiles, err);
        free(path);
    }
    closedir(d);
    return rc;
}

int covSourcesScan(covStrSet *set, const char *dir, size_t *nfiles, char **err)
{
    struct stat st;
    *nfiles = 0;
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        *err = vbPrintf("%s: not a directory", dir);
        return -1;
    }
    return covScanDir(set, dir, nfiles, err);
}
