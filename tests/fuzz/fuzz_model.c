/* fuzz_model.c — libFuzzer harness for the api-xml loader and every
 * classification pass: the input stands in for libvirt-api.xml (the other
 * three XMLs are not loaded), then the real annotations file is applied.
 * Any crash, leak or sanitizer report is a bug; a malformed input must end
 * in a clean error. */
#include "vbapi.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef VB_DEFAULT_ANNOTATIONS
#error "build with -DVB_DEFAULT_ANNOTATIONS=path"
#endif

static char inputPath[64];

static void removeInput(void)
{
    unlink(inputPath);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!inputPath[0]) {
        snprintf(inputPath, sizeof(inputPath), "/tmp/vb-fuzz-%ld.xml", (long)getpid());
        atexit(removeInput);
    }
    FILE *f = fopen(inputPath, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);

    vbPaths paths = {0};
    paths.path[VB_SRC_MAIN] = inputPath;
    char *err = NULL;
    vbModel *m = vbModelLoad(&paths, &err);
    if (m) {
        if (vbModelClassify(m, VB_DEFAULT_ANNOTATIONS, &err) == 0) {
            FILE *null = fopen("/dev/null", "w");
            if (null) {
                vbModelWriteIR(m, null);
                vbModelReportUnclassified(m, null);
                fclose(null);
            }
        }
        vbModelFree(m);
    }
    free(err);
    return 0;
}
