/* vb_paths.c — finds the four API XML files and the annotations file:
 * explicit settings first, then environment variables, then pkg-config
 * (the admin XML has no pkg-config variable; it sits beside libvirt-api.xml). */
#include "vb_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef VB_DEFAULT_ANNOTATIONS
#define VB_DEFAULT_ANNOTATIONS "api-xml/annotations.txt"
#endif

static const char *const vbEnvNames[VB_SRC_COUNT] = {
    "VIRTBIND_API_XML", "VIRTBIND_QEMU_API_XML", "VIRTBIND_LXC_API_XML", "VIRTBIND_ADMIN_API_XML",
};

/* `pkg-config --variable=VAR PKG`, or NULL. */
static char *vbPkgConfigVariable(const char *pkg, const char *var)
{
    char *cmd = vbPrintf("pkg-config --variable=%s %s 2>/dev/null", var, pkg);
    FILE *p = popen(cmd, "r");
    free(cmd);
    if (!p)
        return NULL;
    char line[4096];
    char *res = NULL;
    if (fgets(line, sizeof(line), p)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0])
            res = vbStrdup(line);
    }
    pclose(p);
    return res;
}

static char *vbSibling(const char *path, const char *name)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return vbStrdup(name);
    return vbPrintf("%.*s/%s", (int)(slash - path), path, name);
}

int vbPathsDiscover(vbPaths *paths, char **err)
{
    static const char *const pkgs[3][2] = {
        { "libvirt", "libvirt_api" },
        { "libvirt-qemu", "libvirt_qemu_api" },
        { "libvirt-lxc", "libvirt_lxc_api" },
    };
    *err = NULL;
    for (int s = 0; s < VB_SRC_COUNT; s++) {
        const char *env = getenv(vbEnvNames[s]);
        if (!paths->path[s] && env && *env)
            paths->path[s] = vbStrdup(env);
    }
    for (int s = 0; s < 3; s++) {
        if (!paths->path[s])
            paths->path[s] = vbPkgConfigVariable(pkgs[s][0], pkgs[s][1]);
    }
    if (!paths->path[VB_SRC_ADMIN]) {
        /* Beside the installed libvirt-api.xml, even when --api-xml points
         * elsewhere: overriding one file must not move the others. */
        char *installed = vbPkgConfigVariable(pkgs[0][0], pkgs[0][1]);
        const char *base = installed ? installed : paths->path[VB_SRC_MAIN];
        if (base)
            paths->path[VB_SRC_ADMIN] = vbSibling(base, "libvirt-admin-api.xml");
        free(installed);
    }
    if (!paths->annotations) {
        const char *env = getenv("VIRTBIND_ANNOTATIONS");
        paths->annotations = vbStrdup(env && *env ? env : VB_DEFAULT_ANNOTATIONS);
    }
    for (int s = 0; s < VB_SRC_COUNT; s++) {
        if (paths->path[s])
            continue;
        *err = vbPrintf("cannot find the %s API XML: set %s or install libvirt-dev (pkg-config)",
                        vbSourceName((vbSource)s), vbEnvNames[s]);
        return -1;
    }
    return 0;
}

void vbPathsClear(vbPaths *paths)
{
    for (int s = 0; s < VB_SRC_COUNT; s++) {
        free(paths->path[s]);
        paths->path[s] = NULL;
    }
    free(paths->annotations);
    paths->annotations = NULL;
}
