/* gen_python_typed.c — virtbind/typed.py and typed.pyi: one Python class per
 * typed-parameter group of the model (named like libvirtbind's C structs
 * without the `virtbind` prefix: DomainBlockIoTuneParams), the domain stats
 * record class (fields parsed from prose by gen_cshim_stats.c), and typed
 * snake_case helpers over the binding's dict-form methods
 * (get_block_io_tune(dom, disk, flags=0) -> DomainBlockIoTuneParams).
 *
 * Attribute names are libvirtbind's member names (the field macro without the
 * group prefix, lower-cased; a Python keyword gets a trailing '_'). */
#include "gen_cshim.h"
#include "gen_python.h"
#include "gen_python_stubs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *attr;
    const char *key;      /* libvirt field name or printf pattern */
    const char *macro;
    vbTypedParamType type;
    bool multi, format;
} tyField;

typedef struct {
    char *cls;            /* DomainMemoryParams */
    const vbTypedParamGroup *g;
    tyField *fields;
    size_t nfields;
    const tpGroup *prose; /* a prose group (fields parsed from doc text), or NULL */
    char *record;         /* its record view class (DomainStatsRecord), or NULL */
} tyGroup;

static const char *const pyKeywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "while", "with", "yield", "extra", "to_dict", "from_dict",
};

static const char *pyType(vbTypedParamType t)
{
    switch (t) {
    case VB_TPT_DOUBLE: return "float";
    case VB_TPT_BOOLEAN: return "bool";
    case VB_TPT_STRING: return "str";
    default: return "int";
    }
}

static const char *tpTypeName(vbTypedParamType t)
{
    switch (t) {
    case VB_TPT_INT: return "int";
    case VB_TPT_UINT: return "uint";
    case VB_TPT_LLONG: return "llong";
    case VB_TPT_ULLONG: return "ullong";
    case VB_TPT_DOUBLE: return "double";
    case VB_TPT_BOOLEAN: return "boolean";
    case VB_TPT_STRING: return "string";
    default: return NULL;
    }
}

static char *attrName(const char *member)
{
    char *a = vbStrdup(member);
    for (char *p = a; *p; p++)
        *p = (char)(isalnum((unsigned char)*p) ? tolower((unsigned char)*p) : '_');
    bool kw = !*a || isdigit((unsigned char)a[0]);
    for (size_t i = 0; i < sizeof(pyKeywords) / sizeof(pyKeywords[0]) && !kw; i++)
        kw = strcmp(a, pyKeywords[i]) == 0;
    if (kw) {
        char *r = vbPrintf("%s_", a);
        free(a);
        return r;
    }
    return a;
}

static int cmpField(const void *a, const void *b)
{
    const tyField *x = a, *y = b;
    int c = strcmp(x->attr, y->attr);
    return c ? c : strcmp(x->key, y->key);
}

static int cmpStrP(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmpGroup(const void *a, const void *b)
{
    return strcmp(((const tyGroup *)a)->cls, ((const tyGroup *)b)->cls);
}

/* de-duplicate attribute names within a class: a second one gets _2 ... */
static void uniqueAttrs(tyGroup *tg)
{
    qsort(tg->fields, tg->nfields, sizeof(tyField), cmpField);
    for (size_t i = 1; i < tg->nfields; i++) {
        if (strcmp(tg->fields[i].attr, tg->fields[i - 1].attr) == 0) {
            char *r = vbPrintf("%s_%zu", tg->fields[i].attr, i + 1);
            free(tg->fields[i].attr);
            tg->fields[i].attr = r;
        }
    }
}

/* The prose groups (flat classes: one index at most): DomainStats first,
 * then the others (guest info, guest vcpus). */
static tpGroup *proseGroups(const vbModel *m, int maxholes, size_t *n)
{
    tpGroup *others = NULL;
    size_t no = vbCShimProseOthers(m, maxholes, &others);
    tpGroup *gs = vbAlloc((no + 2) * sizeof(*gs));
    *n = 0;
    if (vbCShimStatsGroup(m, maxholes, &gs[0]) == 0)
        (*n)++;
    memcpy(&gs[*n], others, no * sizeof(*gs));
    *n += no;
    free(others);
    return gs;
}

static void proseGroupsFree(tpGroup *gs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        vbCShimStatsGroupFree(&gs[i]);
        for (size_t k = 0; k < gs[i].nfields; k++)
            free(gs[i].fields[k].member);
        free(gs[i].fields);
        free(gs[i].ctype);
    }
    free(gs);
}

static tyGroup *buildGroups(const vbModel *m, const tpGroup *prose, size_t nprose, size_t *ngroups)
{
    tyGroup *gs = vbAlloc((m->ntp_groups + nprose + 1) * sizeof(tyGroup));
    size_t n = 0;
    for (size_t i = 0; i < m->ntp_groups; i++) {
        const vbTypedParamGroup *g = &m->tp_groups[i];
        if (vbStartsWith(g->name, "Adm"))
            continue;   /* the admin API is not in this module */
        tyGroup *tg = &gs[n++];
        tg->cls = vbPrintf("%sParams", g->name);
        tg->g = g;
        tg->fields = vbAlloc((g->nfields + 1) * sizeof(tyField));
        for (size_t k = 0; k < g->nfields; k++) {
            const vbMacro *mc = &m->macros[g->fields[k]];
            if (!mc->string || !tpTypeName(mc->tp_type))
                continue;   /* no usable type: such a field ends up in extra */
            tyField *f = &tg->fields[tg->nfields++];
            f->attr = attrName(mc->name + strlen(g->prefix));
            f->key = mc->string;
            f->macro = mc->name;
            f->type = mc->tp_type;
            f->multi = mc->tp_multi;
            f->format = mc->tp_format;
        }
        uniqueAttrs(tg);
    }
    for (size_t p = 0; p < nprose; p++) {
        const tpGroup *pg = &prose[p];
        tyGroup *tg = &gs[n++];
        tg->cls = vbPrintf("%sParams", pg->g->name);
        tg->g = pg->g;
        tg->prose = pg;
        tg->fields = vbAlloc((pg->nfields + 1) * sizeof(tyField));
        for (size_t k = 0; k < pg->nfields; k++) {
            tyField *f = &tg->fields[tg->nfields++];
            f->attr = attrName(pg->fields[k].member);
            f->key = pg->fields[k].mc->string;
            f->macro = pg->fields[k].mc->name;
            f->type = pg->fields[k].mc->tp_type;
            f->format = pg->fields[k].mc->tp_format;
        }
        uniqueAttrs(tg);
    }
    qsort(gs, n, sizeof(tyGroup), cmpGroup);
    *ngroups = n;
    return gs;
}

static void pyStr(vbBuf *b, const char *s)
{
    vbBufAdd(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            vbBufPrintf(b, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            vbBufPrintf(b, "\\x%02x", *p);
        else
            vbBufAddN(b, (const char *)p, 1);
    }
    vbBufAdd(b, "\"");
}

static char *fieldPyType(const tyField *f)
{
    if (f->multi)
        return vbPrintf("list[%s]", pyType(f->type));
    if (f->format)
        return vbPrintf("dict[int, %s]", pyType(f->type));
    return vbStrdup(pyType(f->type));
}

/* ------------------------------------------------------- typed functions */

/* VirDomainGetBlockIoTune on virDomain -> get_block_io_tune;
 * virNodeGetMemoryParameters on virConnect -> get_node_memory_parameters */
static char *snakeName(const vbModel *m, const vbFunction *f, int host)
{
    const char *n = f->name + 3;   /* "vir" */
    const char *noun = host >= 0 ? m->classes[host].name + 3 : "";
    char *camel;
    if (*noun && strcmp(noun, "Domain") != 0 && strcmp(noun, "Connect") != 0 &&
               vbStartsWith(n, noun) && (vbStartsWith(n + strlen(noun), "Get") ||
                                         vbStartsWith(n + strlen(noun), "Set"))) {
        /* virNetworkPortGetParameters -> get_network_port_parameters */
        camel = vbPrintf("%.3s%s%s", n + strlen(noun), noun, n + strlen(noun) + 3);
    } else if (*noun && vbStartsWith(n, noun) && isupper((unsigned char)n[strlen(noun)])) {
        camel = vbStrdup(n + strlen(noun));
    } else if (vbStartsWith(n, "Node") && (vbStartsWith(n + 4, "Get") || vbStartsWith(n + 4, "Set"))) {
        camel = vbPrintf("%.3sNode%s", n + 4, n + 7);
    } else {
        camel = vbStrdup(n);
    }
    vbBuf b = {0};
    for (size_t i = 0; camel[i]; i++) {
        char c = camel[i];
        if (isupper((unsigned char)c) && i > 0) {
            char p = camel[i - 1], nx = camel[i + 1];
            if (islower((unsigned char)p) || isdigit((unsigned char)p) ||
                (isupper((unsigned char)p) && nx && islower((unsigned char)nx)))
                vbBufAdd(&b, "_");
        }
        char lc = (char)tolower((unsigned char)c);
        vbBufAddN(&b, &lc, 1);
    }
    free(camel);
    return vbBufSteal(&b);
}

typedef struct {
    char *name;        /* typed helper name */
    const vbPyStubFn *s;
    const tyGroup *tg;
    int kind;          /* 0 getter (dict), 1 setter (dict input), 2 getter list of dicts,
                          3 stats records */
    size_t tp_param;   /* setter: index of the dict parameter */
} tyHelper;

static int cmpHelper(const void *a, const void *b)
{
    return strcmp(((const tyHelper *)a)->name, ((const tyHelper *)b)->name);
}

static size_t collectHelpers(const vbModel *m, const vbPyStubFn *fns, const tyGroup *gs, size_t ng,
                             tyHelper **out)
{
    tyHelper *hs = vbAlloc((m->nfunctions + 1) * sizeof(tyHelper));
    size_t n = 0;
    for (size_t i = 0; i < ng; i++) {
        const vbTypedParamGroup *g = gs[i].g;
        for (size_t a = 0; a < g->napis; a++) {
            int fi = vbModelFindFunction(m, g->apis[a]);
            if (fi < 0)
                continue;
            const vbPyStubFn *s = &fns[fi];
            if (!s->bound || s->host < 0 || s->raw || !s->ret)
                continue;
            tyHelper h = { .s = s, .tg = &gs[i] };
            if (strcmp(s->ret, "dict[str, _TPValue]") == 0 || strcmp(s->ret, "dict[str, int]") == 0) {
                h.kind = 0;
            } else if (strcmp(s->ret, "list[dict[str, _TPValue]]") == 0) {
                h.kind = 2;
            } else if (strcmp(s->ret, "list[tuple[virDomain, dict[str, _TPValue]]]") == 0) {
                h.kind = 3;
            } else {
                bool found = false;
                for (size_t p = 0; p < s->nparams && !found; p++) {
                    if (strstr(s->params[p].type, "Mapping[str, _TPInput]")) {
                        h.tp_param = p;
                        found = true;
                    }
                }
                if (!found)
                    continue;
                h.kind = 1;
            }
            /* one helper per function, even if several groups list it */
            bool dup = false;
            for (size_t k = 0; k < n && !dup; k++)
                dup = hs[k].s == s;
            if (dup)
                continue;
            h.name = snakeName(m, &m->functions[fi], s->host);
            hs[n++] = h;
        }
    }
    qsort(hs, n, sizeof(tyHelper), cmpHelper);
    /* a name used twice (two classes): prefix both with the class noun */
    for (size_t i = 0; i + 1 < n; i++) {
        if (strcmp(hs[i].name, hs[i + 1].name) != 0)
            continue;
        for (size_t k = i; k < i + 2; k++) {
            char *noun = attrName(m->classes[hs[k].s->host].name + 3);
            char *r = vbPrintf("%s_%s", noun, hs[k].name);
            free(noun);
            free(hs[k].name);
            hs[k].name = r;
        }
    }
    qsort(hs, n, sizeof(tyHelper), cmpHelper);
    *out = hs;
    return n;
}

static const char *selfName(const vbModel *m, int host)
{
    const char *c = m->classes[host].name;
    if (strcmp(c, "virConnect") == 0)
        return "conn";
    if (strcmp(c, "virDomain") == 0)
        return "dom";
    if (strcmp(c, "virNetworkPort") == 0)
        return "port";
    return "obj";
}

/* The helper H into PY/PYI (module function, object first), and, when METH
 * is not NULL, its method stub for the class in virtbind/__init__.pyi
 * (typed classes as _typed.X). */
static void emitHelper(vbBuf *py, vbBuf *pyi, vbBuf *meth, vbBuf *stand, const vbModel *m,
                       const tyHelper *h)
{
    const vbPyStubFn *s = h->s;
    const char *self = selfName(m, s->host);
    const char *cls = m->classes[s->host].name;
    const char *tcls = h->tg->cls;
    const char *rec = h->tg->record;
    /* signature */
    vbBuf sig = {0}, sigi = {0}, sigm = {0}, call = {0}, sigs = {0}, calls = {0};
    vbBufPrintf(&sig, "%s", self);
    vbBufAdd(&sigs, "self");
    vbBufAdd(&calls, "self");
    vbBufPrintf(&sigi, "%s: %s", self, cls);
    vbBufAdd(&sigm, "self");
    for (size_t p = 0; p < s->nparams; p++) {
        const vbPyStubParam *pp = &s->params[p];
        if (h->kind == 1 && p == h->tp_param) {
            bool opt = pp->deflt != NULL;
            vbBufPrintf(&sig, ", %s%s", pp->name, opt ? "=None" : "");
            vbBufPrintf(&sigi, ", %s: %s%s%s", pp->name, opt ? "Optional[" : "", tcls,
                        opt ? "] = None" : "");
            vbBufPrintf(&sigm, ", %s: %s_typed.%s%s", pp->name, opt ? "Optional[" : "", tcls,
                        opt ? "] = None" : "");
            vbBufPrintf(&call, "%s%s", p ? ", " : "", "_params");
            vbBufPrintf(&sigs, ", %s%s", pp->name, opt ? "=None" : "");
            vbBufPrintf(&calls, ", %s", pp->name);
            continue;
        }
        vbBufPrintf(&sig, ", %s%s%s", pp->name, pp->deflt ? "=" : "", pp->deflt ? pp->deflt : "");
        vbBufPrintf(&sigi, ", %s: %s%s%s", pp->name, pp->type, pp->deflt ? " = " : "",
                    pp->deflt ? pp->deflt : "");
        vbBufPrintf(&sigm, ", %s: %s%s%s", pp->name, pp->type, pp->deflt ? " = " : "",
                    pp->deflt ? pp->deflt : "");
        vbBufPrintf(&call, "%s%s", p ? ", " : "", pp->name);
        vbBufPrintf(&sigs, ", %s%s%s", pp->name, pp->deflt ? "=" : "", pp->deflt ? pp->deflt : "");
        vbBufPrintf(&calls, ", %s", pp->name);
    }
    if (stand)
        vbBufPrintf(stand, "\n\ndef %s(%s):\n"
                           "    \"\"\"virtbind.typed.%s (imports virtbind.typed on first call)\"\"\"\n"
                           "    from virtbind.typed import %s as f\n"
                           "    return f(%s)\n",
                    h->name, sigs.s, h->name, h->name, calls.s);
    char *ret, *retm;
    switch (h->kind) {
    case 0:
        ret = vbStrdup(rec ? rec : tcls);
        retm = vbPrintf("_typed.%s", ret);
        break;
    case 2:
        ret = vbPrintf("list[%s]", tcls);
        retm = vbPrintf("list[_typed.%s]", tcls);
        break;
    case 3:
        ret = vbPrintf("list[%s]", rec ? rec : "DomainStatsRecord");
        retm = vbPrintf("list[_typed.%s]", rec ? rec : "DomainStatsRecord");
        break;
    default:
        ret = vbStrdup(s->ret);
        retm = vbStrdup(s->ret);
        break;
    }
    vbBufPrintf(py, "\ndef %s(%s):\n    \"\"\"%s.%s() (%s) with %s\"\"\"\n", h->name, sig.s, cls,
                s->pyname, m->functions[s->fn].name, rec && h->kind != 1 ? rec : tcls);
    switch (h->kind) {
    case 0:
        if (rec)
            vbBufPrintf(py, "    return %s(%s.%s(%s))\n", rec, self, s->pyname, call.s ? call.s : "");
        else
            vbBufPrintf(py, "    return %s._from_libvirt(%s.%s(%s))\n", tcls, self, s->pyname,
                        call.s ? call.s : "");
        break;
    case 2:
        vbBufPrintf(py, "    return [%s._from_libvirt(d) for d in %s.%s(%s)]\n", tcls, self,
                    s->pyname, call.s ? call.s : "");
        break;
    case 3:
        /* lazy records: each keeps its dict; groups are built on first access */
        vbBufPrintf(py, "    return [%s(d, s) for d, s in %s.%s(%s)]\n",
                    rec ? rec : "DomainStatsRecord", self, s->pyname, call.s ? call.s : "");
        break;
    default: {
        const vbPyStubParam *pp = &s->params[h->tp_param];
        vbBufPrintf(py, "    _params = _to_libvirt(%s, %s, \"%s\", %s)\n", tcls, pp->name, pp->name,
                    pp->deflt ? "True" : "False");
        vbBufPrintf(py, "    return %s.%s(%s)\n", self, s->pyname, call.s);
        break;
    }
    }
    vbBufPrintf(pyi, "def %s(%s) -> %s: ...\n", h->name, sigi.s, ret);
    if (meth)
        vbBufPrintf(meth, "    def %s(%s) -> %s: ...\n", h->name, sigm.s, retm);
    free(ret);
    free(retm);
    vbBufClear(&sig);
    vbBufClear(&sigi);
    vbBufClear(&sigm);
    vbBufClear(&call);
    vbBufClear(&sigs);
    vbBufClear(&calls);
}

/* --------------------------------------------------------------- module */

static const char *const typedRuntime =
    "import re as _re\n"
    "from typing import Dict as _Dict\n\n"
    "from virtbind import _typed_views as _views\n\n"
    "_RANGES = {\n"
    "    \"int\": (-(1 << 31), (1 << 31) - 1),\n"
    "    \"uint\": (0, (1 << 32) - 1),\n"
    "    \"llong\": (-(1 << 63), (1 << 63) - 1),\n"
    "    \"ullong\": (0, (1 << 64) - 1),\n"
    "}\n"
    "_PYTYPES = {\"int\": int, \"uint\": int, \"llong\": int, \"ullong\": int,\n"
    "            \"double\": float, \"boolean\": bool, \"string\": str}\n\n\n"
    "class _Field:\n"
    "    __slots__ = (\"attr\", \"key\", \"macro\", \"tp\", \"kind\", \"regex\", \"pytype\", \"range\")\n\n"
    "    def __init__(self, attr, key, macro, tp, kind):\n"
    "        self.attr = attr      # Python attribute\n"
    "        self.key = key        # libvirt field name, or a pattern with %u\n"
    "        self.macro = macro\n"
    "        self.tp = tp          # int uint llong ullong double boolean string\n"
    "        self.kind = kind      # scalar, multi (list), format (dict by index)\n"
    "        self.regex = None     # format: compiled on first use (import time)\n"
    "        self.pytype = _PYTYPES[tp]\n"
    "        self.range = _RANGES.get(tp)\n\n"
    "    def match(self, key):\n"
    "        if self.regex is None:\n"
    "            self.regex = _re.compile(\"^\" + _re.escape(self.key).replace(\"%u\", \"(0|[1-9][0-9]*)\") + \"$\")\n"
    "        return self.regex.match(key)\n\n"
    "    def expected(self):\n"
    "        t = _PYTYPES[self.tp].__name__\n"
    "        if self.tp == \"double\":\n"
    "            t = \"float\"\n"
    "        if self.kind == \"multi\":\n"
    "            return \"list[%s]\" % t\n"
    "        if self.kind == \"format\":\n"
    "            return \"dict[int, %s]\" % t\n"
    "        return t\n\n"
    "    def ok(self, v):\n"
    "        \"\"\"Whether one value fits the field's libvirt type.\"\"\"\n"
    "        if self.tp == \"boolean\":\n"
    "            return isinstance(v, bool)\n"
    "        if self.tp == \"string\":\n"
    "            return isinstance(v, str)\n"
    "        if self.tp == \"double\":\n"
    "            return isinstance(v, (int, float)) and not isinstance(v, bool)\n"
    "        if not isinstance(v, int) or isinstance(v, bool):\n"
    "            return False\n"
    "        lo, hi = _RANGES[self.tp]\n"
    "        return lo <= v <= hi\n\n"
    "    def check(self, cls, v):\n"
    "        if v is None:\n"
    "            return None\n"
    "        bad = False\n"
    "        if self.kind == \"multi\":\n"
    "            bad = not isinstance(v, list) or not all(self.ok(x) for x in v)\n"
    "        elif self.kind == \"format\":\n"
    "            bad = not isinstance(v, dict) or not all(\n"
    "                isinstance(k, int) and not isinstance(k, bool) and k >= 0 and self.ok(x)\n"
    "                for k, x in v.items())\n"
    "        else:\n"
    "            bad = not self.ok(v)\n"
    "        if bad:\n"
    "            raise TypeError(\"%s.%s (%s) must be %s (libvirt %s)%s, not %r\" % (\n"
    "                cls, self.attr, self.key, self.expected(), self.tp,\n"
    "                \" in range\" if self.tp in _RANGES else \"\", v))\n"
    "        if self.tp == \"double\" and self.kind == \"scalar\":\n"
    "            return float(v)\n"
    "        return v\n\n\n"
    "class TypedParams:\n"
    "    \"\"\"Base of the typed-parameter classes: one attribute per documented\n"
    "    field (None when unset), `extra` for everything else.\"\"\"\n\n"
    "    __slots__ = (\"extra\",)\n"
    "    _FIELDS: \"tuple[_Field, ...]\" = ()\n"
    "    _BY_ATTR: \"_Dict[str, _Field]\" = {}\n"
    "    _BY_KEY: \"_Dict[str, _Field]\" = {}\n"
    "    _BY_SEG: \"_Dict[str, _Field]\" = {}\n"
    "    GROUP = \"\"\n\n"
    "    def __init__(self, *, extra=None, **fields):\n"
    "        object.__setattr__(self, \"extra\", {})\n"
    "        for f in self._FIELDS:\n"
    "            object.__setattr__(self, f.attr, None)\n"
    "        for k, v in fields.items():\n"
    "            if k not in self._BY_ATTR:\n"
    "                raise TypeError(\"%s() got an unexpected keyword argument %r (unknown fields go in extra)\" % (\n"
    "                    type(self).__name__, k))\n"
    "            setattr(self, k, v)\n"
    "        if extra is not None:\n"
    "            self.extra = extra\n\n"
    "    def __setattr__(self, name, value):\n"
    "        f = self._BY_ATTR.get(name)\n"
    "        if f is not None:\n"
    "            object.__setattr__(self, name, f.check(type(self).__name__, value))\n"
    "        elif name == \"extra\":\n"
    "            if not isinstance(value, dict):\n"
    "                raise TypeError(\"%s.extra must be dict[str, object], not %r\" % (type(self).__name__, value))\n"
    "            object.__setattr__(self, name, value)\n"
    "        else:\n"
    "            raise AttributeError(\"%s has no field %r (unknown fields go in extra)\" % (\n"
    "                type(self).__name__, name))\n\n"
    "    def __getattr__(self, name):\n"
    "        # a field _from_libvirt did not set (it sets only the present ones): None\n"
    "        if name in type(self)._BY_ATTR:\n"
    "            return None\n"
    "        raise AttributeError(\"%s has no field %r\" % (type(self).__name__, name))\n\n"
    "    def __eq__(self, other):\n"
    "        if type(other) is not type(self):\n"
    "            return NotImplemented\n"
    "        return all(getattr(self, f.attr) == getattr(other, f.attr) for f in self._FIELDS) \\\n"
    "            and self.extra == other.extra\n\n"
    "    __hash__ = None  # mutable\n\n"
    "    def __repr__(self):\n"
    "        parts = [\"%s=%r\" % (f.attr, getattr(self, f.attr)) for f in self._FIELDS\n"
    "                 if getattr(self, f.attr) is not None]\n"
    "        if self.extra:\n"
    "            parts.append(\"extra=%r\" % (self.extra,))\n"
    "        return \"%s(%s)\" % (type(self).__name__, \", \".join(parts))\n\n"
    "    def __iter__(self):\n"
    "        return iter(self.to_dict().items())\n\n"
    "    def to_dict(self):\n"
    "        \"\"\"libvirt-python's dict form: set fields, then extra.\"\"\"\n"
    "        d = {}\n"
    "        for f in self._FIELDS:\n"
    "            v = getattr(self, f.attr)\n"
    "            if v is None:\n"
    "                continue\n"
    "            if f.kind == \"multi\":\n"
    "                d[f.key] = list(v)\n"
    "            elif f.kind == \"format\":\n"
    "                for i in sorted(v):\n"
    "                    d[f.key.replace(\"%u\", str(i))] = v[i]\n"
    "            else:\n"
    "                d[f.key] = v\n"
    "        d.update(self.extra)\n"
    "        return d\n\n"
    "    @classmethod\n"
    "    def _lookup(cls, key):\n"
    "        f = cls._BY_KEY.get(key)\n"
    "        if f is not None:\n"
    "            return f, None\n"
    "        if cls._BY_SEG:\n"
    "            # the index is a whole segment (block.%u.rd.reqs): one dict lookup\n"
    "            parts = key.split(\".\")\n"
    "            for i, p in enumerate(parts):\n"
    "                if p.isdigit() and p.isascii() and (p == \"0\" or p[0] != \"0\"):\n"
    "                    f = cls._BY_SEG.get(\".\".join(parts[:i] + [\"%u\"] + parts[i + 1:]))\n"
    "                    if f is not None:\n"
    "                        return f, int(p)\n"
    "        for f in cls._FIELDS:\n"
    "            if f.kind == \"format\" and f.key not in cls._BY_SEG:\n"
    "                mo = f.match(key)\n"
    "                if mo:\n"
    "                    return f, int(mo.group(1))\n"
    "        return None, None\n\n"
    "    @classmethod\n"
    "    def from_dict(cls, d, *, strict=True):\n"
    "        \"\"\"From libvirt-python's dict form.  strict: an unknown field raises\n"
    "        LookupError and a wrong value TypeError; otherwise both go to extra.\"\"\"\n"
    "        if not isinstance(d, dict):\n"
    "            raise TypeError(\"%s.from_dict() needs a dict, not %r\" % (cls.__name__, d))\n"
    "        obj = cls()\n"
    "        for key, v in d.items():\n"
    "            cls._absorb(obj, key, v, strict)\n"
    "        return obj\n\n"
    "    @classmethod\n"
    "    def _absorb(cls, obj, key, v, strict):\n"
    "        f, idx = cls._lookup(key)\n"
    "        if f is None:\n"
    "            if strict:\n"
    "                raise LookupError(\"%s: unknown field %r (pass it in extra)\" % (cls.__name__, key))\n"
    "            obj.extra[key] = v\n"
    "            return\n"
    "        try:\n"
    "            if f.kind == \"multi\":\n"
    "                cur = getattr(obj, f.attr) or []\n"
    "                setattr(obj, f.attr, cur + (list(v) if isinstance(v, list) else [v]))\n"
    "            elif f.kind == \"format\":\n"
    "                cur = dict(getattr(obj, f.attr) or {})\n"
    "                cur[idx] = v\n"
    "                setattr(obj, f.attr, cur)\n"
    "            else:\n"
    "                setattr(obj, f.attr, v)\n"
    "        except TypeError:\n"
    "            if strict:\n"
    "                raise\n"
    "            obj.extra[key] = v\n\n"
    "    @classmethod\n"
    "    def _from_libvirt(cls, d):\n"
    "        \"\"\"from_dict(d, strict=False) for a dict the binding returned, in one\n"
    "        pass: a present scalar of its exact type is stored directly, the\n"
    "        other fields are left unset (None through __getattr__).\"\"\"\n"
    "        obj = object.__new__(cls)\n"
    "        extra = {}\n"
    "        object.__setattr__(obj, \"extra\", extra)\n"
    "        by_key = cls._BY_KEY\n"
    "        for k, v in d.items():\n"
    "            f = by_key.get(k)\n"
    "            if f is not None and f.kind == \"scalar\":\n"
    "                t = type(v)\n"
    "                if t is f.pytype:\n"
    "                    r = f.range\n"
    "                    if r is None or r[0] <= v <= r[1]:\n"
    "                        object.__setattr__(obj, f.attr, v)\n"
    "                        continue\n"
    "                elif t is int and f.pytype is float:\n"
    "                    object.__setattr__(obj, f.attr, float(v))\n"
    "                    continue\n"
    "                extra[k] = v\n"
    "                continue\n"
    "            cls._absorb(obj, k, v, False)\n"
    "        return obj\n\n"
    "    @classmethod\n"
    "    def fields(cls):\n"
    "        \"\"\"(attribute, libvirt field, macro, libvirt type, kind) per field.\"\"\"\n"
    "        return [(f.attr, f.key, f.macro, f.tp, f.kind) for f in cls._FIELDS]\n\n\n"
    "def _make(cls, group, fields):\n"
    "    cls._FIELDS = tuple(_Field(*f) for f in fields)\n"
    "    cls._BY_ATTR = {f.attr: f for f in cls._FIELDS}\n"
    "    cls._BY_KEY = {f.key: f for f in cls._FIELDS if f.kind != \"format\"}\n"
    "    cls._BY_SEG = {f.key: f for f in cls._FIELDS\n"
    "                   if f.kind == \"format\" and \"%u\" in f.key.split(\".\")}\n"
    "    cls.GROUP = group\n"
    "    return cls\n\n\n"
    "def _to_libvirt(cls, params, name, optional):\n"
    "    if params is None and optional:\n"
    "        return None\n"
    "    if isinstance(params, cls):\n"
    "        return params.to_dict()\n"
    "    raise TypeError(\"argument %r must be %s, not %r\" % (name, cls.__name__, type(params).__name__))\n";

static const char *const typedStubRuntime =
    "from typing import Any, Callable, ClassVar, Iterator, Optional, TypeVar, Union\n\n"
    "from virtbind import (virConnect, virDomain, virDomainCheckpoint, virDomainSnapshot,\n"
    "                      virInterface, virNWFilter, virNWFilterBinding, virNetwork,\n"
    "                      virNetworkPort, virNodeDevice, virSecret, virStoragePool,\n"
    "                      virStorageVol, virStream)\n\n"
    "_Self = TypeVar(\"_Self\", bound=\"TypedParams\")\n"
    "_T = TypeVar(\"_T\")\n"
    "_TPValue = Union[int, float, bool, str]\n\n"
    "class TypedParams:\n"
    "    GROUP: ClassVar[str]\n"
    "    extra: dict[str, object]\n"
    "    def __eq__(self, other: object) -> bool: ...\n"
    "    def to_dict(self) -> dict[str, Union[_TPValue, list[str], object]]: ...\n"
    "    @classmethod\n"
    "    def from_dict(cls: type[_Self], d: dict[str, Any], *, strict: bool = True) -> _Self: ...\n"
    "    @classmethod\n"
    "    def fields(cls) -> list[tuple[str, str, str, str, str]]: ...\n\n"
    "class _View:\n"
    "    def __eq__(self, other: object) -> bool: ...\n\n"
    "class _Record:\n"
    "    @property\n"
    "    def extra(self) -> dict[str, _TPValue]: ...\n"
    "    def to_dict(self) -> dict[str, _TPValue]: ...\n"
    "    def groups(self) -> list[str]: ...\n"
    "    def __eq__(self, other: object) -> bool: ...\n\n";

static char *capWord(const char *s)
{
    vbBuf b = {0};
    bool up = true;
    for (const char *p = s; *p; p++) {
        if (!isalnum((unsigned char)*p)) {
            up = true;
            continue;
        }
        char c = up ? (char)toupper((unsigned char)*p) : (char)tolower((unsigned char)*p);
        up = false;
        vbBufAddN(&b, &c, 1);
    }
    return vbBufSteal(&b);
}

/* ------------------------------------------------------- record views
 *
 * A record view (DomainStatsRecord, DomainGuestInfoRecord) is a tree built
 * from the prose fields' patterns (up to two placeholders):
 *
 *   "hostname"                    root scalar          info.hostname
 *   "block.count"                 group scalar         rec.block.count
 *   "block.%u.rd.reqs"            group items          rec.block[0].rd_reqs
 *   "dirtyrate.vcpu.%u.x"         indexed by prefix    rec.dirtyrate.vcpu[1].x
 *   "fs.%u.disk.%u.alias"         nested               info.fs[0].disk[1].alias
 *
 * virtbind/_typed_views.py interprets the generated tables. */

typedef struct vwNode vwNode;
typedef struct {
    char *key;      /* name suffix ("rd.reqs") */
    char *attr;
    vbTypedParamType type;
} vwScalar;
typedef struct {
    char *prefix;   /* "" (the node's own items), "vcpu." ... */
    char *attr;     /* "items", "vcpu" */
    vwNode *node;
} vwChild;
struct vwNode {
    char *cls;
    char *path;     /* "block.<N>" for the docstring */
    vwScalar *sc;
    size_t nsc, capsc;
    vwChild *ch;
    size_t nch, capch;
};

static vwNode *vwNew(const char *cls, const char *path)
{
    vwNode *n = vbAlloc(sizeof(*n));
    n->cls = vbStrdup(cls);
    n->path = vbStrdup(path);
    return n;
}

static void vwFree(vwNode *n)
{
    for (size_t i = 0; i < n->nsc; i++) {
        free(n->sc[i].key);
        free(n->sc[i].attr);
    }
    for (size_t i = 0; i < n->nch; i++) {
        free(n->ch[i].prefix);
        free(n->ch[i].attr);
        vwFree(n->ch[i].node);
    }
    free(n->sc);
    free(n->ch);
    free(n->cls);
    free(n->path);
    free(n);
}

static bool vwAttrUsed(const vwNode *n, const char *attr)
{
    for (size_t i = 0; i < n->nsc; i++)
        if (strcmp(n->sc[i].attr, attr) == 0)
            return true;
    for (size_t i = 0; i < n->nch; i++)
        if (strcmp(n->ch[i].attr, attr) == 0)
            return true;
    return false;
}

static char *vwUniqueAttr(const vwNode *n, char *attr)
{
    for (int k = 2; vwAttrUsed(n, attr); k++) {
        char *r = vbPrintf("%s_%d", attr, k);
        free(attr);
        attr = r;
    }
    return attr;
}

/* REST is what follows the node's own path ("%u.rd.reqs", "count") */
static void vwInsert(vwNode *n, const char *rest, vbTypedParamType type)
{
    const char *pct = strstr(rest, "%u");
    if (!pct || (pct[2] != '.' && pct[2] != '\0') || pct[2] == '\0') {
        if (pct)
            return;   /* a name ending in its index: not a record */
        for (size_t i = 0; i < n->nsc; i++)
            if (strcmp(n->sc[i].key, rest) == 0)
                return;
        char *attr = vwUniqueAttr(n, attrName(rest));
        vwScalar *s = VB_PUSH(n->sc, n->nsc, n->capsc);
        s->key = vbStrdup(rest);
        s->attr = attr;
        s->type = type;
        return;
    }
    char *prefix = vbStrndup(rest, (size_t)(pct - rest));
    vwChild *c = NULL;
    for (size_t i = 0; i < n->nch && !c; i++)
        if (strcmp(n->ch[i].prefix, prefix) == 0)
            c = &n->ch[i];
    if (!c) {
        char *base = *prefix ? vbStrndup(prefix, strlen(prefix) - 1) : vbStrdup("items");
        char *attr = vwUniqueAttr(n, attrName(base));
        char *cap = *prefix ? capWord(base) : vbStrdup("Item");
        char *cls = vbPrintf("%s%s", n->cls, cap);
        char *path = vbPrintf("%s%s%s.<N>", n->path, *n->path ? "." : "", base);
        if (!*prefix) {
            free(path);
            path = vbPrintf("%s.<N>", n->path);
        }
        c = VB_PUSH(n->ch, n->nch, n->capch);
        c->prefix = prefix;
        c->attr = attr;
        c->node = vwNew(cls, path);
        free(base);
        free(cap);
        free(cls);
        free(path);
    } else {
        free(prefix);
    }
    vwInsert(c->node, pct + 3, type);
}

static int cmpScalar(const void *a, const void *b)
{
    return strcmp(((const vwScalar *)a)->attr, ((const vwScalar *)b)->attr);
}

static int cmpChild(const void *a, const void *b)
{
    return strcmp(((const vwChild *)a)->attr, ((const vwChild *)b)->attr);
}

static const char *pyTypeObj(vbTypedParamType t)
{
    return pyType(t);   /* int, float, bool, str: also the runtime type objects */
}

/* the classes of node N and below, children first */
static void vwEmit(vbBuf *py, vbBuf *pyi, vwNode *n, const char *record)
{
    if (n->nsc)
        qsort(n->sc, n->nsc, sizeof(*n->sc), cmpScalar);
    if (n->nch)
        qsort(n->ch, n->nch, sizeof(*n->ch), cmpChild);
    bool list = false;
    for (size_t i = 0; i < n->nch; i++) {
        vwEmit(py, pyi, n->ch[i].node, record);
        list = list || !*n->ch[i].prefix;
    }
    vbBufPrintf(py, "\n\nclass %s(_views.%s):\n    \"\"\"%s.* of a %s.\"\"\"\n\n    __slots__ = (",
                n->cls, list ? "ListView" : "View", n->path, record);
    for (size_t i = 0; i < n->nsc; i++)
        vbBufPrintf(py, "\"%s\", ", n->sc[i].attr);
    for (size_t i = 0; i < n->nch; i++)
        vbBufPrintf(py, "\"%s\", ", n->ch[i].attr);
    vbBufAdd(py, ")\n    _SCALARS = {");
    for (size_t i = 0; i < n->nsc; i++) {
        vbBufPrintf(py, "%s", i ? ", " : "");
        pyStr(py, n->sc[i].key);
        vbBufPrintf(py, ": (\"%s\", %s)", n->sc[i].attr, pyTypeObj(n->sc[i].type));
    }
    vbBufAdd(py, "}\n    _INDEXED = (");
    for (size_t i = 0; i < n->nch; i++) {
        vbBufAdd(py, "(");
        pyStr(py, n->ch[i].prefix);
        vbBufPrintf(py, ", \"%s\", %s), ", n->ch[i].attr, n->ch[i].node->cls);
    }
    vbBufAdd(py, ")\n");

    vbBufPrintf(pyi, "\nclass %s(_View):\n", n->cls);
    for (size_t i = 0; i < n->nsc; i++)
        vbBufPrintf(pyi, "    %s: Optional[%s]\n", n->sc[i].attr, pyType(n->sc[i].type));
    for (size_t i = 0; i < n->nch; i++) {
        vbBufPrintf(pyi, "    %s: dict[int, %s]\n", n->ch[i].attr, n->ch[i].node->cls);
        if (!*n->ch[i].prefix)
            vbBufPrintf(pyi, "    def __getitem__(self, index: int) -> %s: ...\n"
                             "    def __len__(self) -> int: ...\n"
                             "    def __iter__(self) -> Iterator[%s]: ...\n",
                        n->ch[i].node->cls, n->ch[i].node->cls);
    }
    if (!n->nsc && !n->nch)
        vbBufAdd(pyi, "    pass\n");
}

/* The record view of a prose group TG (fields with up to two indexes):
 * class <Group>Record.  Returns the class name (caller frees), or NULL when
 * the group has no dotted names (nothing to group: the flat class does). */
static char *emitRecordView(vbBuf *py, vbBuf *pyi, const tpGroup *tg, const char *flatcls,
                            bool stats)
{
    bool dotted = false;
    for (size_t k = 0; k < tg->nfields; k++)
        dotted = dotted || strchr(tg->fields[k].mc->string, '.');
    if (!dotted)
        return NULL;
    const char *gname = tg->g->name;
    char *rcls = vbPrintf("%sRecord", gname);
    vwNode *root = vwNew(rcls, "");
    /* first segments become groups, undotted names root scalars */
    for (size_t k = 0; k < tg->nfields; k++) {
        const char *key = tg->fields[k].mc->string;
        const char *dot = strchr(key, '.');
        if (!dot) {
            vwInsert(root, key, tg->fields[k].mc->tp_type);
            continue;
        }
        char *seg = vbStrndup(key, (size_t)(dot - key));
        vwChild *c = NULL;
        for (size_t i = 0; i < root->nch && !c; i++)
            if (strcmp(root->ch[i].prefix, seg) == 0)
                c = &root->ch[i];
        if (!c) {
            char *cap = capWord(seg);
            char *cls = vbPrintf("%s%s", gname, cap);
            char *attr = vwUniqueAttr(root, attrName(seg));
            c = VB_PUSH(root->ch, root->nch, root->capch);
            c->prefix = vbStrdup(seg);
            c->attr = attr;
            c->node = vwNew(cls, seg);
            free(cap);
            free(cls);
        }
        vwInsert(c->node, dot + 1, tg->fields[k].mc->tp_type);
        free(seg);
    }
    if (root->nsc)
        qsort(root->sc, root->nsc, sizeof(*root->sc), cmpScalar);
    if (root->nch)
        qsort(root->ch, root->nch, sizeof(*root->ch), cmpChild);
    for (size_t i = 0; i < root->nch; i++)
        vwEmit(py, pyi, root->ch[i].node, rcls);

    vbBufPrintf(py, "\n\nclass %s(_views.Record):\n", rcls);
    if (stats)
        vbBufPrintf(py, "    \"\"\"One domain's statistics (virConnectGetAllDomainStats,\n"
                        "    virDomainListGetStats): the domain, one attribute per stats group\n"
                        "    (None when the record has none of it), built on first access:\n"
                        "    rec.state.state, rec.cpu.time, rec.vcpu[0].time, rec.block[1].rd_reqs;\n"
                        "    rec.extra has the fields no table describes, rec.stats the flat\n"
                        "    %s, rec.to_dict() the dict form.\"\"\"\n\n", flatcls);
    else
        vbBufPrintf(py, "    \"\"\"The fields documented in the text of %s, grouped: one\n"
                        "    attribute per group (None when absent), indexed sub-records as\n"
                        "    dict[int, ...] (built on first access); .extra, .params (the flat\n"
                        "    %s), .to_dict().\"\"\"\n\n", tg->g->apis[0], flatcls);
    vbBufPrintf(py, "    __slots__ = (%s", stats ? "\"domain\", " : "");
    for (size_t i = 0; i < root->nsc; i++)
        vbBufPrintf(py, "\"%s\", ", root->sc[i].attr);
    for (size_t i = 0; i < root->nch; i++)
        vbBufPrintf(py, "\"%s\", ", root->ch[i].attr);
    vbBufAdd(py, ")\n    _GROUPS = {");
    for (size_t i = 0; i < root->nch; i++)
        vbBufPrintf(py, "%s\"%s\": (\"%s\", %s)", i ? ", " : "", root->ch[i].prefix, root->ch[i].attr,
                    root->ch[i].node->cls);
    vbBufAdd(py, "}\n    _ROOT = {");
    for (size_t i = 0; i < root->nsc; i++)
        vbBufPrintf(py, "%s\"%s\": (\"%s\", %s)", i ? ", " : "", root->sc[i].key, root->sc[i].attr,
                    pyTypeObj(root->sc[i].type));
    vbBufAdd(py, "}\n    _BY_ATTR = {");
    for (size_t i = 0; i < root->nch; i++)
        vbBufPrintf(py, "%s\"%s\": \"%s\"", i ? ", " : "", root->ch[i].attr, root->ch[i].prefix);
    vbBufPrintf(py, "}\n    _PARAMS = %s\n", flatcls);
    if (stats)
        vbBufPrintf(py, "\n    def __init__(self, domain, stats):\n"
                        "        self.domain = domain\n"
                        "        self._raw = stats.to_dict() if isinstance(stats, TypedParams) else stats\n"
                        "        self._parts = None\n\n"
                        "    @property\n"
                        "    def stats(self):\n"
                        "        \"\"\"The record as the flat %s.\"\"\"\n"
                        "        return self.params\n",
                    flatcls);
    else
        vbBufPrintf(py, "\n    def __init__(self, params):\n"
                        "        self._raw = params.to_dict() if isinstance(params, TypedParams) else params\n"
                        "        self._parts = None\n");

    vbBufPrintf(pyi, "\nclass %s(_Record):\n", rcls);
    if (stats)
        vbBufAdd(pyi, "    domain: virDomain\n");
    for (size_t i = 0; i < root->nsc; i++)
        vbBufPrintf(pyi, "    %s: Optional[%s]\n", root->sc[i].attr, pyType(root->sc[i].type));
    for (size_t i = 0; i < root->nch; i++)
        vbBufPrintf(pyi, "    %s: Optional[%s]\n", root->ch[i].attr, root->ch[i].node->cls);
    vbBufPrintf(pyi, "    @property\n    def params(self) -> %s: ...\n", flatcls);
    if (stats)
        vbBufPrintf(pyi, "    @property\n    def stats(self) -> %s: ...\n"
                         "    def __init__(self, domain: virDomain, stats: Union[dict[str, _TPValue], %s]) -> None: ...\n",
                    flatcls, flatcls);
    else
        vbBufPrintf(pyi, "    def __init__(self, params: Union[dict[str, _TPValue], %s]) -> None: ...\n",
                    flatcls);
    vwFree(root);
    return rcls;
}

/* Registrations whose callback receives the typed class instead of the dict
 * (the events carrying typed parameters: tunable, job completed), as
 * libvirtbind's virtbindConnectDomainEventTunableParamsRegister. */
static void emitTypedEvents(vbBuf *py, vbBuf *pyi, vbBuf *all, const vbModel *m,
                            const vbPyStubFn *fns, const tyGroup *gs, size_t ng)
{
    for (size_t i = 0; i < m->nevents; i++) {
        const vbEventId *e = &m->events[i];
        if (e->tp_group < 0 || e->functype < 0 || e->family < 0)
            continue;
        const vbEventFamily *ef = &m->families[e->family];
        if (ef->register_fn < 0 || !fns[ef->register_fn].bound || ef->object_class < 0)
            continue;
        const tyGroup *tg = NULL;
        for (size_t k = 0; k < ng; k++)
            if (gs[k].g == &m->tp_groups[e->tp_group])
                tg = &gs[k];
        if (!tg)
            continue;
        const char *cname = m->enums[e->enum_const].name;
        const char *idp = strstr(cname, "_EVENT_ID_");
        if (!idp)
            continue;
        char *id = attrName(idp + 10);
        char *fam = attrName(ef->name);
        char *fname = vbPrintf("%s_event_%s_register", fam, id);
        const vbFunction *ft = &m->functypes[e->functype];
        const char *objcls = m->classes[ef->object_class].name;
        /* payload: args 2 .. n-2 without lengths; the typed dict's position */
        vbBuf cbt = {0};
        int pos = -1, k = 0;
        vbBufPrintf(&cbt, "Callable[[virConnect, %s", objcls);
        for (size_t a = 2; a + 1 < ft->nargs; a++) {
            const vbArg *arg = &ft->args[a];
            if (arg->role == VB_ROLE_LENGTH)
                continue;
            if (arg->role == VB_ROLE_TYPED_PARAMS) {
                pos = k;
                vbBufPrintf(&cbt, ", %s", tg->cls);
            } else if (arg->ctype.kind == VB_T_CHAR) {
                vbBufAdd(&cbt, ", str");
            } else {
                vbBufAdd(&cbt, arg->ctype.kind == VB_T_DOUBLE ? ", float" : ", int");
            }
            k++;
        }
        vbBufAdd(&cbt, ", _T], object]");
        if (pos >= 0) {
            const char *obj = m->functions[ef->register_fn].args[1].name;
            vbBufPrintf(py, "\ndef %s(conn, %s, cb, opaque):\n"
                            "    \"\"\"conn.%s(%s, %s, ...) with cb receiving %s\n"
                            "    instead of the dict (libvirtbind: the ...ParamsRegister form).\"\"\"\n"
                            "    import virtbind\n\n"
                            "    def _cb(c, o, *args):\n"
                            "        args = list(args)\n"
                            "        args[%d] = %s._from_libvirt(args[%d])\n"
                            "        return cb(c, o, *args)\n"
                            "    return conn.%s(%s, virtbind.%s, _cb, opaque)\n",
                        fname, obj, fns[ef->register_fn].pyname, obj, cname, tg->cls, pos, tg->cls,
                        pos, fns[ef->register_fn].pyname, obj, cname);
            vbBufPrintf(pyi, "def %s(conn: virConnect, %s: Optional[%s], cb: %s, opaque: _T) -> int: ...\n",
                        fname, obj, objcls, cbt.s);
            vbBufPrintf(all, "    \"%s\",\n", fname);
        }
        vbBufClear(&cbt);
        free(fname);
        free(fam);
        free(id);
    }
}

/* a method of the binding itself has this name (virDomain.migrate3): the
 * typed helper stays a module function only */
static bool bindingHas(const vbModel *m, const vbPyStubFn *fns, int host, const char *name)
{
    for (size_t i = 0; i < m->nfunctions; i++)
        if (fns[i].bound && fns[i].host == host && fns[i].pyname && strcmp(fns[i].pyname, name) == 0)
            return true;
    return false;
}

/* everything the module, the method table and the class stubs need */
typedef struct {
    tpGroup *prose, *prose2;   /* prose groups: flat (one index) and for the views (two) */
    size_t nprose, nprose2;
    tyGroup *gs;
    size_t ng;
    tyHelper *hs;
    size_t nh;
} tyState;

static void tyBuild(tyState *st, const vbModel *m, const vbPyStubFn *fns)
{
    memset(st, 0, sizeof(*st));
    st->prose = proseGroups(m, 1, &st->nprose);
    st->prose2 = proseGroups(m, 2, &st->nprose2);
    st->gs = buildGroups(m, st->prose, st->nprose, &st->ng);
    st->nh = collectHelpers(m, fns, st->gs, st->ng, &st->hs);
}

static void tyFree(tyState *st)
{
    for (size_t i = 0; i < st->nh; i++)
        free(st->hs[i].name);
    free(st->hs);
    for (size_t i = 0; i < st->ng; i++) {
        for (size_t k = 0; k < st->gs[i].nfields; k++)
            free(st->gs[i].fields[k].attr);
        free(st->gs[i].fields);
        free(st->gs[i].cls);
        free(st->gs[i].record);
    }
    free(st->gs);
    proseGroupsFree(st->prose, st->nprose);
    proseGroupsFree(st->prose2, st->nprose2);
}

/* the record view class name a prose group gets (NULL: none) */
static void tyViews(tyState *st, vbBuf *py, vbBuf *pyi)
{
    for (size_t i = 0; i < st->ng; i++) {
        tyGroup *tg = &st->gs[i];
        if (!tg->prose)
            continue;
        const tpGroup *wide = NULL;
        for (size_t k = 0; k < st->nprose2; k++)
            if (strcmp(st->prose2[k].g->name, tg->g->name) == 0)
                wide = &st->prose2[k];
        if (!wide)
            continue;
        vbBuf dpy = {0}, dpyi = {0};
        tg->record = emitRecordView(py ? py : &dpy, pyi ? pyi : &dpyi, wide, tg->cls,
                                    strcmp(tg->g->name, "DomainStats") == 0);
        vbBufClear(&dpy);
        vbBufClear(&dpyi);
    }
}

/* one name per typed-parameter API: <API without "vir">Params */
static void tyApiAliases(const tyState *st, vbBuf *py, vbBuf *pyi, vbBuf *all)
{
    char **lines = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < st->ng; i++) {
        const vbTypedParamGroup *g = st->gs[i].g;
        for (size_t k = 0; k < g->napis; k++) {
            const char *api = g->apis[k];
            bool seen = false;
            for (size_t j = 0; j < n && !seen; j++)
                seen = strncmp(lines[j], api, strlen(api)) == 0 && lines[j][strlen(api)] == '\t';
            if (!seen)
                *VB_PUSH(lines, n, cap) = vbPrintf("%s\t%s", api, st->gs[i].cls);
        }
    }
    if (n)
        qsort(lines, n, sizeof(char *), cmpStrP);
    vbBufAdd(py, "\n\n# ------------------------------------------------ struct type per API\n"
                 "# <API without \"vir\">Params names the class of the API's fields (its\n"
                 "# group's class), like libvirtbind's virtbind<API>Params typedefs.\n\n");
    vbBufAdd(pyi, "\n");
    vbBuf table = {0};
    vbBufAdd(&table, "API_PARAMS = {\n");
    for (size_t i = 0; i < n; i++) {
        char *tab = strchr(lines[i], '\t');
        *tab = '\0';
        const char *api = lines[i], *cls = tab + 1;
        char *name = vbPrintf("%sParams", vbStartsWith(api, "vir") ? api + 3 : api);
        if (strcmp(name, cls) != 0) {
            vbBufPrintf(py, "%s = %s\n", name, cls);
            vbBufPrintf(pyi, "%s = %s\n", name, cls);
            vbBufPrintf(all, "    \"%s\",\n", name);
        }
        vbBufPrintf(&table, "    \"%s\": %s,\n", api, name);
        free(name);
        free(lines[i]);
    }
    free(lines);
    vbBufAdd(&table, "}\n");
    vbBufPrintf(py, "\n# every typed-parameter API of this module -> its class\n%s", table.s);
    vbBufAdd(pyi, "API_PARAMS: dict[str, type[TypedParams]]\n");
    vbBufAdd(all, "    \"API_PARAMS\",\n");
    vbBufClear(&table);
}

void vbPyTypedModule(const vbModel *m, const vbPyStubFn *fns, vbBuf *py, vbBuf *pyi)
{
    tyState st;
    tyBuild(&st, m, fns);
    tyGroup *gs = st.gs;
    size_t ng = st.ng;
    tyHelper *hs = st.hs;
    size_t nh = st.nh;

    vbPyStubHeader(m, py, "virtbind/typed.py",
                   "typed-parameter classes and\n# typed helpers over the dict-form methods.");
    vbBufAdd(py, "\"\"\"Typed parameters for virtbind (docs/typedparams.md, docs/typing.md).\n\n"
                 "One class per typed-parameter group (libvirtbind's C struct names without\n"
                 "the `virtbind` prefix): an attribute per documented field, None when unset;\n"
                 "repeatable fields are list[str], indexed fields (cputune.vcpupin%u) are\n"
                 "dict[int, str]; `extra` keeps unknown fields.  Assigning a value of the\n"
                 "wrong type raises TypeError naming the field and the expected type.\n"
                 "to_dict() / from_dict() convert from and to libvirt-python's dicts.\n"
                 "Record views (DomainStatsRecord, DomainGuestInfoRecord) group the fields\n"
                 "of the prose-documented APIs into typed sub-records, lazily.\n"
                 "The functions take the object first: get_block_io_tune(dom, \"vda\"); they\n"
                 "are also methods of the binding's classes (dom.get_block_io_tune(\"vda\")).\n"
                 "\"\"\"\n");
    vbBufAdd(py, typedRuntime);
    vbPyStubHeader(m, pyi, "virtbind/typed.pyi", "types of virtbind.typed.");
    vbBufAdd(pyi, typedStubRuntime);

    /* __all__ (completed at the end) */
    vbBuf all = {0};
    vbBufAdd(&all, "\n\n__all__ = [\n    \"TypedParams\",\n    \"attach\",\n");
    for (size_t i = 0; i < ng; i++)
        vbBufPrintf(&all, "    \"%s\",\n", gs[i].cls);
    for (size_t i = 0; i < nh; i++)
        vbBufPrintf(&all, "    \"%s\",\n", hs[i].name);

    for (size_t i = 0; i < ng; i++) {
        const tyGroup *tg = &gs[i];
        const vbTypedParamGroup *g = tg->g;
        vbBufPrintf(py, "\n\nclass %s(TypedParams):\n    \"\"\"%s: fields %s* of ", tg->cls,
                    g->name, *g->prefix ? g->prefix : "(prose) ");
        for (size_t a = 0; a < g->napis; a++)
            vbBufPrintf(py, "%s%s", a ? ", " : "", g->apis[a]);
        vbBufAdd(py, ".\"\"\"\n\n    __slots__ = (");
        for (size_t k = 0; k < tg->nfields; k++)
            vbBufPrintf(py, "\"%s\", ", tg->fields[k].attr);
        vbBufPrintf(py, ")\n\n\n_make(%s, \"%s\", [\n", tg->cls, g->name);
        for (size_t k = 0; k < tg->nfields; k++) {
            const tyField *f = &tg->fields[k];
            vbBufPrintf(py, "    (\"%s\", ", f->attr);
            pyStr(py, f->key);
            vbBufPrintf(py, ", \"%s\", \"%s\", \"%s\"),\n", f->macro, tpTypeName(f->type),
                        f->multi ? "multi" : f->format ? "format" : "scalar");
        }
        vbBufAdd(py, "])\n");

        vbBufPrintf(pyi, "\nclass %s(TypedParams):\n", tg->cls);
        vbBufAdd(pyi, "    def __init__(self, *");
        for (size_t k = 0; k < tg->nfields; k++) {
            char *t = fieldPyType(&tg->fields[k]);
            vbBufPrintf(pyi, ", %s: Optional[%s] = None", tg->fields[k].attr, t);
            free(t);
        }
        vbBufAdd(pyi, ", extra: Optional[dict[str, object]] = None) -> None: ...\n");
        for (size_t k = 0; k < tg->nfields; k++) {
            char *t = fieldPyType(&tg->fields[k]);
            vbBufPrintf(pyi, "    %s: Optional[%s]\n", tg->fields[k].attr, t);
            free(t);
        }
    }

    vbBufAdd(py, "\n\n# ------------------------------------------------------ record views\n");
    tyViews(&st, py, pyi);
    for (size_t i = 0; i < ng; i++)
        if (gs[i].record)
            vbBufPrintf(&all, "    \"%s\",\n", gs[i].record);
    tyApiAliases(&st, py, pyi, &all);

    vbBufAdd(py, "\n\n# ---------------------------------------------------------- helpers\n");
    vbBufAdd(pyi, "\n");
    for (size_t i = 0; i < nh; i++)
        emitHelper(py, pyi, NULL, NULL, m, &hs[i]);

    vbBufAdd(py, "\n\n# ---------------------------------------------------- typed events\n");
    emitTypedEvents(py, pyi, &all, m, fns, gs, ng);

    /* the helpers as methods of the binding's classes */
    vbBufAdd(py, "\n\n_METHODS = {\n");
    vbBufAdd(pyi, "\ndef attach() -> bool: ...\n");
    for (size_t c = 0; c < m->nclasses; c++) {
        bool any = false;
        for (size_t i = 0; i < nh; i++) {
            if (hs[i].s->host != (int)c || bindingHas(m, fns, (int)c, hs[i].name))
                continue;
            if (!any)
                vbBufPrintf(py, "    \"%s\": (\n", m->classes[c].name);
            any = true;
            vbBufPrintf(py, "        \"%s\",\n", hs[i].name);
        }
        if (any)
            vbBufAdd(py, "    ),\n");
    }
    vbBufAdd(py, "}\n\n\n"
                 "def attach():\n"
                 "    \"\"\"Make the helpers methods of the binding's classes\n"
                 "    (dom.get_block_io_tune(\"vda\")), through virtbind._virtbind._add_method;\n"
                 "    replaces the lazy stand-ins virtbind/_typed_methods.py installs at\n"
                 "    `import virtbind`, never a method of the binding itself.  Runs when\n"
                 "    this module is imported; returns False when the binding cannot take\n"
                 "    methods.\"\"\"\n"
                 "    import virtbind\n"
                 "    add = getattr(virtbind._virtbind, \"_add_method\", None)\n"
                 "    if add is None:\n"
                 "        return False\n"
                 "    for cls_name, names in sorted(_METHODS.items()):\n"
                 "        cls = getattr(virtbind._virtbind, cls_name)\n"
                 "        for name in names:\n"
                 "            cur = cls.__dict__.get(name)\n"
                 "            if cur is not None and not getattr(cur, \"_virtbind_typed\", False):\n"
                 "                continue   # the binding's own method wins\n"
                 "            func = globals()[name]\n"
                 "            func._virtbind_typed = True\n"
                 "            add(cls, name, func)\n"
                 "    return True\n\n\n"
                 "attach()\n");
    vbBufAdd(&all, "]\n");
    vbBufAdd(py, all.s);
    vbBufClear(&all);
    tyFree(&st);
}

void vbPyTypedMethodsModule(const vbModel *m, const vbPyStubFn *fns, vbBuf *py)
{
    tyState st;
    tyBuild(&st, m, fns);
    vbPyStubHeader(m, py, "virtbind/_typed_methods.py",
                   "the typed helpers' names per class,\n"
                   "# installed as lazy methods at `import virtbind`.");
    vbBufAdd(py, "\"\"\"Lazy typed methods (docs/typedparams.md): `import virtbind` installs a\n"
                 "small stand-in per typed helper on its class (dom.get_block_io_tune) that\n"
                 "imports virtbind.typed on first call; importing virtbind.typed replaces the\n"
                 "stand-ins with the helpers themselves.  Keeps `import virtbind` cheap.\"\"\"\n\n"
                 "METHODS = {\n");
    for (size_t c = 0; c < m->nclasses; c++) {
        bool any = false;
        for (size_t i = 0; i < st.nh; i++) {
            if (st.hs[i].s->host != (int)c || bindingHas(m, fns, (int)c, st.hs[i].name))
                continue;
            if (!any)
                vbBufPrintf(py, "    \"%s\": (\n", m->classes[c].name);
            any = true;
            vbBufPrintf(py, "        \"%s\",\n", st.hs[i].name);
        }
        if (any)
            vbBufAdd(py, "    ),\n");
    }
    vbBufAdd(py, "}\n");
    tyViews(&st, NULL, NULL);
    vbBuf dpy = {0}, dpyi = {0};
    for (size_t i = 0; i < st.nh; i++)
        if (!bindingHas(m, fns, st.hs[i].s->host, st.hs[i].name))
            emitHelper(&dpy, &dpyi, NULL, py, m, &st.hs[i]);
    vbBufClear(&dpy);
    vbBufClear(&dpyi);
    vbBufAdd(py, "\n\n"
                 "def install(binding):\n"
                 "    \"\"\"Add the stand-ins to BINDING's classes (virtbind._virtbind).\"\"\"\n"
                 "    add = getattr(binding, \"_add_method\", None)\n"
                 "    if add is None:\n"
                 "        return False\n"
                 "    for cls_name, names in METHODS.items():\n"
                 "        cls = getattr(binding, cls_name)\n"
                 "        for name in names:\n"
                 "            if name not in cls.__dict__:\n"
                 "                func = globals()[name]\n"
                 "                func._virtbind_typed = True\n"
                 "                add(cls, name, func)\n"
                 "    return True\n");
    tyFree(&st);
}

void vbPyTypedClassStubs(const vbModel *m, const vbPyStubFn *fns, int cls, bool async, vbBuf *out)
{
    vbBuf tmp = {0};
    vbBuf *b = async ? &tmp : out;
    tyState st;
    tyBuild(&st, m, fns);
    tyViews(&st, NULL, NULL);
    vbBuf dpy = {0}, dpyi = {0};
    for (size_t i = 0; i < st.nh; i++) {
        if (st.hs[i].s->host != cls || bindingHas(m, fns, cls, st.hs[i].name))
            continue;
        emitHelper(&dpy, &dpyi, b, NULL, m, &st.hs[i]);
    }
    vbBufClear(&dpy);
    vbBufClear(&dpyi);
    tyFree(&st);
    if (async) {   /* virtbind.aio: the same methods as coroutines */
        for (const char *p = tmp.s ? tmp.s : ""; *p;) {
            const char *eol = strchr(p, '\n');
            size_t len = eol ? (size_t)(eol - p) + 1 : strlen(p);
            if (vbStartsWith(p, "    def "))
                vbBufAdd(out, "    async def ");
            vbBufAddN(out, vbStartsWith(p, "    def ") ? p + 8 : p, vbStartsWith(p, "    def ") ? len - 8 : len);
            p += len;
        }
        vbBufClear(&tmp);
    }
}
