/* vb_load.c — reads libvirt's API XML files with libxml2 into a vbModel.
 * Owns: parsing, required-attribute checks, per-item source and line, and
 * resolution of symbolic enum values.  It records text only; meaning is
 * assigned later by the classification passes. */
#include "vb_internal.h"

#include <errno.h>
#include <stddef.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    vbModel *m;
    vbSource src;
    const char *path;
    char *err;            /* first error, "path:line: message" */
    size_t cap_functions, cap_functypes, cap_enums, cap_macros;
    size_t cap_structs, cap_typedefs, cap_variables;
} vbLoader;

static void vbLoadFail(vbLoader *ld, xmlNodePtr node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void vbLoadFail(vbLoader *ld, xmlNodePtr node, const char *fmt, ...)
{
    if (ld->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = vbVPrintf(fmt, ap);
    va_end(ap);
    ld->err = vbPrintf("%s:%d: %s", ld->path, node ? (int)xmlGetLineNo(node) : 0, msg);
    free(msg);
}

static char *vbAttr(xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = vbStrdup((const char *)v);
    xmlFree(v);
    return s;
}

static char *vbRequire(vbLoader *ld, xmlNodePtr node, const char *name)
{
    char *v = vbAttr(node, name);
    if (!v)
        vbLoadFail(ld, node, "<%s> element lacks required attribute '%s'",
                   (const char *)node->name, name);
    return v;
}

static bool vbIsElement(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The <info> child's text, or the info= attribute. */
static char *vbInfo(xmlNodePtr node)
{
    char *attr = vbAttr(node, "info");
    if (attr)
        return attr;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (vbIsElement(c, "info")) {
            xmlChar *t = xmlNodeGetContent(c);
            char *s = vbStrdup(t ? (const char *)t : "");
            xmlFree(t);
            return s;
        }
    }
    return NULL;
}

static void vbLoadArg(vbLoader *ld, xmlNodePtr node, vbArg *arg)
{
    arg->name = vbRequire(ld, node, "name");
    arg->type = vbRequire(ld, node, "type");
    arg->info = vbAttr(node, "info");
    arg->pair = -1;
}

/* Function and functype elements share a shape: info, return, arg*. */
static void vbLoadCallable(vbLoader *ld, xmlNodePtr node, vbFunction *fn)
{
    size_t cap = 0;
    bool have_return = false;

    fn->src = ld->src;
    fn->line = (int)xmlGetLineNo(node);
    fn->name = vbRequire(ld, node, "name");
    fn->file = vbAttr(node, "file");
    fn->module = vbAttr(node, "module");
    fn->version = vbRequire(ld, node, "version");
    fn->info = vbInfo(node);
    fn->cls = fn->self_arg = fn->returns_cls = -1;
    fn->tp_params_arg = fn->tp_count_arg = fn->tp_group = fn->event_family = -1;
    fn->ret.length_arg = -1;

    for (xmlNodePtr c = node->children; c && !ld->err; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || vbIsElement(c, "info"))
            continue;
        if (vbIsElement(c, "return")) {
            if (have_return) {
                vbLoadFail(ld, c, "%s has more than one <return>", fn->name);
                return;
            }
            have_return = true;
            fn->ret.type = vbRequire(ld, c, "type");
            fn->ret.info = vbAttr(c, "info");
        } else if (vbIsElement(c, "arg")) {
            vbLoadArg(ld, c, VB_PUSH(fn->args, fn->nargs, cap));
        } else {
            vbLoadFail(ld, c, "unexpected <%s> in %s", (const char *)c->name,
                       fn->name ? fn->name : "function");
        }
    }
    if (!ld->err && !have_return)
        vbLoadFail(ld, node, "%s has no <return> element", fn->name);
}

/* Fields may nest a <union> whose fields we flatten as "value.i" etc. */
static void vbLoadFields(vbLoader *ld, xmlNodePtr node, vbStruct *st, size_t *cap,
                         const char *prefix)
{
    for (xmlNodePtr c = node->children; c && !ld->err; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || vbIsElement(c, "info"))
            continue;
        if (vbIsElement(c, "union")) {
            vbLoadFields(ld, c, st, cap, prefix);
            continue;
        }
        if (!vbIsElement(c, "field")) {
            vbLoadFail(ld, c, "unexpected <%s> in struct %s", (const char *)c->name, st->name);
            return;
        }
        vbField *f = VB_PUSH(st->fields, st->nfields, *cap);
        char *name = vbRequire(ld, c, "name");
        f->type = vbRequire(ld, c, "type");
        f->info = vbAttr(c, "info");
        f->name = prefix && name ? vbPrintf("%s.%s", prefix, name) : vbStrdup(name);
        if (name && c->children)
            vbLoadFields(ld, c, st, cap, f->name);
        free(name);
    }
}

static void vbLoadStruct(vbLoader *ld, xmlNodePtr node)
{
    vbStruct *st = VB_PUSH(ld->m->structs, ld->m->nstructs, ld->cap_structs);
    size_t cap = 0;
    st->src = ld->src;
    st->line = (int)xmlGetLineNo(node);
    st->name = vbRequire(ld, node, "name");
    st->file = vbAttr(node, "file");
    st->version = vbRequire(ld, node, "version");
    st->type = vbAttr(node, "type");
    st->info = vbInfo(node);
    vbLoadFields(ld, node, st, &cap, NULL);
    st->opaque = st->nfields == 0;
    st->free_fn = -1;
}

static void vbLoadTypedef(vbLoader *ld, xmlNodePtr node, vbTypedef *td)
{
    td->src = ld->src;
    td->line = (int)xmlGetLineNo(node);
    td->name = vbRequire(ld, node, "name");
    td->file = vbAttr(node, "file");
    td->version = vbRequire(ld, node, "version");
    td->type = vbRequire(ld, node, "type");
    td->info = vbInfo(node);
}

static void vbLoadEnum(vbLoader *ld, xmlNodePtr node)
{
    vbEnumConst *e = VB_PUSH(ld->m->enums, ld->m->nenums, ld->cap_enums);
    e->src = ld->src;
    e->line = (int)xmlGetLineNo(node);
    e->name = vbRequire(ld, node, "name");
    e->file = vbAttr(node, "file");
    e->version = vbRequire(ld, node, "version");
    e->raw_value = vbRequire(ld, node, "value");
    e->type = vbRequire(ld, node, "type");
    e->info = vbInfo(node);
    xmlChar *bs = xmlGetProp(node, BAD_CAST "value_bitshift");
    e->bitshift = bs != NULL;
    xmlFree(bs);
}

static void vbSplitParams(vbMacro *mc, const char *params)
{
    size_t cap = 0;
    const char *p = params;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        *VB_PUSH(mc->params, mc->nparams, cap) = vbStrndup(p, n);
        p += n;
        if (*p == ',')
            p++;
    }
}

static void vbLoadMacro(vbLoader *ld, xmlNodePtr node)
{
    vbMacro *mc = VB_PUSH(ld->m->macros, ld->m->nmacros, ld->cap_macros);
    mc->src = ld->src;
    mc->line = (int)xmlGetLineNo(node);
    mc->name = vbRequire(ld, node, "name");
    mc->file = vbAttr(node, "file");
    mc->version = vbRequire(ld, node, "version");
    mc->string = vbAttr(node, "string");
    mc->raw = vbAttr(node, "raw");
    mc->info = vbInfo(node);
    mc->tp_group = -1;
    char *params = vbAttr(node, "params");
    if (params)
        vbSplitParams(mc, params);
    free(params);
}

static void vbLoadSymbols(vbLoader *ld, xmlNodePtr symbols)
{
    vbModel *m = ld->m;
    for (xmlNodePtr c = symbols->children; c && !ld->err; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (vbIsElement(c, "function"))
            vbLoadCallable(ld, c, VB_PUSH(m->functions, m->nfunctions, ld->cap_functions));
        else if (vbIsElement(c, "functype")) {
            vbFunction *ft = VB_PUSH(m->functypes, m->nfunctypes, ld->cap_functypes);
            vbLoadCallable(ld, c, ft);
            ft->is_functype = true;
        } else if (vbIsElement(c, "enum"))
            vbLoadEnum(ld, c);
        else if (vbIsElement(c, "macro"))
            vbLoadMacro(ld, c);
        else if (vbIsElement(c, "struct"))
            vbLoadStruct(ld, c);
        else if (vbIsElement(c, "typedef"))
            vbLoadTypedef(ld, c, VB_PUSH(m->typedefs, m->ntypedefs, ld->cap_typedefs));
        else if (vbIsElement(c, "variable"))
            vbLoadTypedef(ld, c, VB_PUSH(m->variables, m->nvariables, ld->cap_variables));
        else
            vbLoadFail(ld, c, "unknown element <%s> in <symbols>", (const char *)c->name);
    }
}

static void vbLoadRoot(vbLoader *ld, xmlNodePtr root)
{
    if (!root || !vbIsElement(root, "api")) {
        vbLoadFail(ld, root, "root element is <%s>, expected <api>",
                   root ? (const char *)root->name : "(none)");
        return;
    }
    bool have_symbols = false;
    for (xmlNodePtr c = root->children; c && !ld->err; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (vbIsElement(c, "files"))
            continue;   /* an index of exports; every symbol is read from <symbols> */
        if (vbIsElement(c, "symbols")) {
            have_symbols = true;
            vbLoadSymbols(ld, c);
        } else {
            vbLoadFail(ld, c, "unknown element <%s> in <api>", (const char *)c->name);
        }
    }
    if (!ld->err && !have_symbols)
        vbLoadFail(ld, root, "<api> has no <symbols> element");
}

static int vbLoadFile(vbLoader *ld)
{
    FILE *f = fopen(ld->path, "rb");
    if (!f) {
        ld->err = vbPrintf("%s:0: cannot open: %s", ld->path, strerror(errno));
        return -1;
    }
    fclose(f);

    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        ld->err = vbPrintf("%s:0: cannot create an XML parser", ld->path);
        return -1;
    }
    xmlDocPtr doc = xmlCtxtReadFile(ctxt, ld->path, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *xe = xmlCtxtGetLastError(ctxt);
        char *msg = vbStrdup(xe && xe->message ? xe->message : "not well-formed XML\n");
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = '\0';
        ld->err = vbPrintf("%s:%d: malformed XML: %s", ld->path, xe ? xe->line : 0, msg);
        free(msg);
        xmlFreeParserCtxt(ctxt);
        return -1;
    }
    vbLoadRoot(ld, xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return ld->err ? -1 : 0;
}

/* Accepts "123", "-2", "0x10", "1 << 3" (libvirt writes plain numbers, but a
 * shifted form costs nothing to support). */
static bool vbParseNumber(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (end == s || errno)
        return false;
    while (*end == ' ')
        end++;
    if (end[0] == '<' && end[1] == '<') {
        long long sh = strtoll(end + 2, &end, 0);
        if (sh < 0 || sh > 62)
            return false;
        v <<= sh;
        while (*end == ' ')
            end++;
    }
    *out = v;
    return *end == '\0';
}

/* Symbolic values name another constant; resolve until a fixed point. */
static int vbResolveEnums(vbModel *m, char **err)
{
    size_t pending = 0;
    for (size_t i = 0; i < m->nenums; i++) {
        vbEnumConst *e = &m->enums[i];
        e->symbolic = !vbParseNumber(e->raw_value, &e->value);
        pending += e->symbolic;
    }
    bool progress = true;
    bool *done = vbAlloc(m->nenums * sizeof(bool));
    for (size_t i = 0; i < m->nenums; i++)
        done[i] = !m->enums[i].symbolic;
    while (pending && progress) {
        progress = false;
        for (size_t i = 0; i < m->nenums; i++) {
            if (done[i])
                continue;
            int t = vbModelFindEnum(m, m->enums[i].raw_value);
            if (t < 0 || !done[t])
                continue;
            m->enums[i].value = m->enums[t].value;
            done[i] = true;
            pending--;
            progress = true;
        }
    }
    int rc = 0;
    for (size_t i = 0; i < m->nenums && pending; i++) {
        if (done[i])
            continue;
        vbEnumConst *e = &m->enums[i];
        *err = vbPrintf("%s:%d: enum %s has value '%s', which is neither a number nor a known constant",
                        m->paths[e->src], e->line, e->name, e->raw_value);
        rc = -1;
        break;
    }
    free(done);
    return rc;
}

typedef struct {
    const char *name;
    vbSource src;
    int line;
} vbSeen;

static int vbSeenCmp(const void *a, const void *b)
{
    const vbSeen *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->src != y->src ? (int)x->src - (int)y->src : x->line - y->line;
}

/* Two definitions of one name would make every lookup ambiguous. */
static int vbCheckDuplicates(const vbModel *m, const char *what, const void *arr, size_t n,
                             size_t elem, size_t src_off, size_t line_off, char **err)
{
    vbSeen *seen = vbAlloc((n ? n : 1) * sizeof(*seen));
    for (size_t i = 0; i < n; i++) {
        const char *item = (const char *)arr + i * elem;
        seen[i].name = *(const char *const *)item;
        seen[i].src = *(const vbSource *)(item + src_off);
        seen[i].line = *(const int *)(item + line_off);
    }
    qsort(seen, n, sizeof(*seen), vbSeenCmp);
    int rc = 0;
    for (size_t i = 1; i < n && rc == 0; i++) {
        if (strcmp(seen[i].name, seen[i - 1].name) != 0)
            continue;
        *err = vbPrintf("%s:%d: duplicate %s %s (first defined at %s:%d)", m->paths[seen[i].src],
                        seen[i].line, what, seen[i].name, m->paths[seen[i - 1].src], seen[i - 1].line);
        rc = -1;
    }
    free(seen);
    return rc;
}

#define VB_CHECK_DUPS(m, what, arr, n, type, err) \
    vbCheckDuplicates((m), (what), (arr), (n), sizeof(type), offsetof(type, src), offsetof(type, line), (err))

vbModel *vbModelLoad(const vbPaths *paths, char **err)
{
    vbModel *m = vbAlloc(sizeof(*m));
    vbLoader ld = { .m = m };
    *err = NULL;

    LIBXML_TEST_VERSION
    for (int s = 0; s < VB_SRC_COUNT; s++) {
        if (!paths->path[s])
            continue;
        m->paths[s] = vbStrdup(paths->path[s]);
        ld.src = (vbSource)s;
        ld.path = paths->path[s];
        if (vbLoadFile(&ld) < 0) {
            *err = ld.err;
            vbModelFree(m);
            return NULL;
        }
    }
    if (VB_CHECK_DUPS(m, "function", m->functions, m->nfunctions, vbFunction, err) < 0 ||
        VB_CHECK_DUPS(m, "callback type", m->functypes, m->nfunctypes, vbFunction, err) < 0 ||
        VB_CHECK_DUPS(m, "enum constant", m->enums, m->nenums, vbEnumConst, err) < 0 ||
        VB_CHECK_DUPS(m, "macro", m->macros, m->nmacros, vbMacro, err) < 0 ||
        VB_CHECK_DUPS(m, "struct", m->structs, m->nstructs, vbStruct, err) < 0 ||
        VB_CHECK_DUPS(m, "typedef", m->typedefs, m->ntypedefs, vbTypedef, err) < 0 ||
        vbResolveEnums(m, err) < 0) {
        vbModelFree(m);
        return NULL;
    }
    return m;
}
