/* test_load.c — loads libvirt's real API XMLs through the public api-xml
 * interface (vbPathsDiscover + vbModelLoad) and checks a few facts the loader
 * must get right: symbolic enum resolution, macro strings, function
 * signatures with source and line, flattened union fields, variables and the
 * admin source.  Run from the repository root (tests/run-all.sh does). */
#include "vbapi.h"
#include "vbtest.h"

#include <stdlib.h>
#include <string.h>

/* Does line `line` of `path` contain `needle`? */
static bool lineContains(const char *path, int line, const char *needle)
{
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f)
        return false;
    char buf[8192];
    bool found = false;
    for (int n = 1; fgets(buf, sizeof(buf), f); n++) {
        if (n == line) {
            found = strstr(buf, needle) != NULL;
            break;
        }
    }
    fclose(f);
    return found;
}

static void testEnums(const vbModel *m)
{
    int i = vbModelFindEnum(m, "VIR_DOMAIN_BLKIO_PARAM_BOOLEAN");
    if (CHECK(i >= 0, "enum VIR_DOMAIN_BLKIO_PARAM_BOOLEAN found")) {
        const vbEnumConst *e = &m->enums[i];
        CHECK_INT_EQ(e->value, 6, "VIR_DOMAIN_BLKIO_PARAM_BOOLEAN resolves to 6");
        CHECK(e->symbolic, "VIR_DOMAIN_BLKIO_PARAM_BOOLEAN is marked symbolic");
        CHECK_STR_EQ(e->raw_value, "VIR_TYPED_PARAM_BOOLEAN",
                     "VIR_DOMAIN_BLKIO_PARAM_BOOLEAN keeps its raw value");
        CHECK_STR_EQ(e->type, "virBlkioParameterType", "VIR_DOMAIN_BLKIO_PARAM_BOOLEAN type");
    }

    i = vbModelFindEnum(m, "VIR_DOMAIN_EVENT_ID_LIFECYCLE");
    if (CHECK(i >= 0, "enum VIR_DOMAIN_EVENT_ID_LIFECYCLE found")) {
        const vbEnumConst *e = &m->enums[i];
        CHECK_INT_EQ(e->value, 0, "VIR_DOMAIN_EVENT_ID_LIFECYCLE value is 0");
        CHECK(!e->symbolic, "VIR_DOMAIN_EVENT_ID_LIFECYCLE is not symbolic");
        CHECK_STR_EQ(e->type, "virDomainEventID", "VIR_DOMAIN_EVENT_ID_LIFECYCLE type");
        CHECK_INT_EQ(e->src, VB_SRC_MAIN, "VIR_DOMAIN_EVENT_ID_LIFECYCLE comes from main");
    }
}

static void testMacros(const vbModel *m)
{
    int i = vbModelFindMacro(m, "VIR_DOMAIN_BLKIO_WEIGHT");
    if (CHECK(i >= 0, "macro VIR_DOMAIN_BLKIO_WEIGHT found")) {
        CHECK_STR_EQ(m->macros[i].string, "weight", "VIR_DOMAIN_BLKIO_WEIGHT string is \"weight\"");
        CHECK(lineContains(m->paths[m->macros[i].src], m->macros[i].line,
                           "name='VIR_DOMAIN_BLKIO_WEIGHT'"),
              "VIR_DOMAIN_BLKIO_WEIGHT line %d points at its element", m->macros[i].line);
    }
}

static void testFunctions(const vbModel *m)
{
    int i = vbModelFindFunction(m, "virDomainGetInfo");
    if (CHECK(i >= 0, "function virDomainGetInfo found")) {
        const vbFunction *fn = &m->functions[i];
        if (CHECK_INT_EQ(fn->nargs, 2, "virDomainGetInfo has 2 args")) {
            CHECK_STR_EQ(fn->args[0].type, "virDomainPtr", "virDomainGetInfo arg 0 type");
            CHECK_STR_EQ(fn->args[0].name, "domain", "virDomainGetInfo arg 0 name");
            CHECK_STR_EQ(fn->args[1].type, "virDomainInfoPtr", "virDomainGetInfo arg 1 type");
            CHECK_STR_EQ(fn->args[1].name, "info", "virDomainGetInfo arg 1 name");
        }
        CHECK_STR_EQ(fn->ret.type, "int", "virDomainGetInfo returns int");
        CHECK_STR_EQ(fn->version, "0.0.3", "virDomainGetInfo version");
        CHECK_INT_EQ(fn->src, VB_SRC_MAIN, "virDomainGetInfo comes from main");
        CHECK(!fn->is_functype, "virDomainGetInfo is not a functype");
        if (CHECK(fn->line > 0, "virDomainGetInfo has a line (%d)", fn->line))
            CHECK(lineContains(m->paths[fn->src], fn->line, "<function name='virDomainGetInfo'"),
                  "virDomainGetInfo line %d points at its <function>", fn->line);
    }

    i = vbModelFindFunction(m, "virAdmConnectOpen");
    if (CHECK(i >= 0, "function virAdmConnectOpen found"))
        CHECK_INT_EQ(m->functions[i].src, VB_SRC_ADMIN, "virAdmConnectOpen comes from admin");

    i = vbModelFindFunctype(m, "virConnectDomainEventCallback");
    if (CHECK(i >= 0, "functype virConnectDomainEventCallback found"))
        CHECK(m->functypes[i].is_functype, "virConnectDomainEventCallback is a functype");

    CHECK_INT_EQ(vbModelFindFunction(m, "virNoSuchFunction"), -1, "unknown function is -1");
}

static void testStructsAndVariables(const vbModel *m)
{
    int i = vbModelFindStruct(m, "virTypedParameter");
    if (CHECK(i >= 0, "struct virTypedParameter found")) {
        const vbStruct *st = &m->structs[i];
        bool have_i = false, have_field = false;
        for (size_t f = 0; f < st->nfields; f++) {
            have_i |= strcmp(st->fields[f].name, "value.i") == 0;
            have_field |= strcmp(st->fields[f].name, "field") == 0;
        }
        CHECK(have_i, "virTypedParameter fields include \"value.i\"");
        CHECK(have_field, "virTypedParameter fields include \"field\"");
        CHECK(!st->opaque, "virTypedParameter is not opaque");
    }

    const vbTypedef *var = NULL;
    for (size_t v = 0; v < m->nvariables; v++)
        if (strcmp(m->variables[v].name, "virConnectAuthPtrDefault") == 0)
            var = &m->variables[v];
    if (CHECK_NOT_NULL(var, "variable virConnectAuthPtrDefault exists"))
        CHECK_STR_EQ(var->type, "virConnectAuthPtr", "virConnectAuthPtrDefault type");
}

/* Library users get the same "path:line: message" the CLI prints. */
static void testLoadError(void)
{
    vbPaths paths = {0};
    const char *bad = "tests/fixtures/bad/wrong-root.xml";
    paths.path[VB_SRC_MAIN] = strdup(bad);
    char *err = NULL;
    vbModel *m = vbModelLoad(&paths, &err);
    CHECK(m == NULL, "vbModelLoad on a wrong root element fails");
    if (CHECK_NOT_NULL(err, "vbModelLoad sets *err"))
        CHECK(strncmp(err, "tests/fixtures/bad/wrong-root.xml:4: ", strlen(bad) + 4) == 0,
              "the error starts with path:line (%s)", err);
    free(err);
    vbModelFree(m);
    vbPathsClear(&paths);
}

int main(void)
{
    vbPaths paths = {0};
    char *err = NULL;
    if (!CHECK(vbPathsDiscover(&paths, &err) == 0, "vbPathsDiscover finds the four XMLs")) {
        VBT_NOTE("%s", err ? err : "(no message)");
        free(err);
        vbPathsClear(&paths);
        return 1;
    }
    vbModel *m = vbModelLoad(&paths, &err);
    if (!CHECK_NOT_NULL(m, "vbModelLoad loads the real XMLs")) {
        VBT_NOTE("%s", err ? err : "(no message)");
        free(err);
        vbPathsClear(&paths);
        return 1;
    }
    CHECK(err == NULL, "vbModelLoad leaves *err NULL on success");
    for (int s = 0; s < VB_SRC_COUNT; s++)
        CHECK_STR_EQ(m->paths[s], paths.path[s], "model records the %s path",
                     vbSourceName((vbSource)s));

    testEnums(m);
    testMacros(m);
    testFunctions(m);
    testStructsAndVariables(m);
    testLoadError();

    vbModelFree(m);
    vbPathsClear(&paths);
    return VBT_DONE();
}
