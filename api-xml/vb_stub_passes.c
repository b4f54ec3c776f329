/* temporary */
#include "vb_internal.h"
void vbClassifyClasses(vbModel *m, vbAnnotations *a) { (void)m; (void)a; }
void vbClassifyTypes(vbModel *m) { (void)m; }
void vbClassifyFunctions(vbModel *m, vbAnnotations *a) { (void)m; (void)a; }
void vbClassifyArguments(vbModel *m, vbAnnotations *a) { (void)m; (void)a; }
void vbClassifyTypedParams(vbModel *m, vbAnnotations *a) { (void)m; (void)a; }
void vbClassifyEvents(vbModel *m, vbAnnotations *a) { (void)m; (void)a; }
int vbModelWriteIR(const vbModel *m, FILE *out) { (void)m; (void)out; return 0; }
