/* vb_classify.c — runs the classification passes in order and owns the
 * annotations' lifetime around them. */
#include "vb_internal.h"

#include <stdlib.h>

int vbModelClassify(vbModel *m, const char *annotations_path, char **err)
{
    *err = NULL;
    if (m->annotations) {
        *err = vbStrdup("the model is already classified");
        return -1;
    }
    vbAnnotations *an = vbAlloc(sizeof(*an));
    if (annotations_path && vbAnnotationsLoad(an, annotations_path, err) < 0) {
        free(an);
        return -1;
    }
    m->annotations = an;
    free(m->annotations_path);
    m->annotations_path = vbStrdup(annotations_path);
    m->nannotations = an->nitems;

    vbClassifyClasses(m, an);
    vbClassifyTypes(m);
    vbClassifyFunctions(m, an);
    vbClassifyArguments(m, an);
    vbClassifyTypedParams(m, an);
    vbClassifyEvents(m, an);

    for (size_t i = 0; i < an->nitems; i++) {
        vbAnnotation *a = &an->items[i];
        if (!a->used)
            vbModelUnclassifiedAt(m, an->path, a->line, "stale annotation '%s %s': it matches nothing",
                                  a->kind, a->subject);
    }
    return 0;
}
