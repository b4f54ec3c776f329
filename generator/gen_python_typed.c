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

static tyGroup *buildGroups(const vbModel *m, tpGroup *stats, bool *have_stats, size_t *ngroups)
{
    tyGroup *gs = vbAlloc((m->ntp_groups + 2) * sizeof(tyGroup));
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
    *have_stats = vbCShimStatsGroup(m, 1, stats) == 0;
    if (*have_stats) {
        tyGroup *tg = &gs[n++];
        tg->cls = vbStrdup("DomainStatsParams");
        tg->g = stats->g;
        tg->fields = vbAlloc((stats->nfields + 1) * sizeof(tyField));
        for (size_t k = 0; k < stats->nfields; k++) {
            tyField *f = &tg->fields[tg->nfields++];
            f->attr = attrName(stats->fields[k].member);
            f->key = stats->fields[k].mc->string;
            f->macro = stats->fields[k].mc->name;
            f->type = stats->fields[k].mc->tp_type;
            f->format = stats->fields[k].mc->tp_format;
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

static void emitHelper(vbBuf *py, vbBuf *pyi, const vbModel *m, const tyHelper *h)
{
    const vbPyStubFn *s = h->s;
    const char *self = selfName(m, s->host);
    const char *cls = m->classes[s->host].name;
    const char *tcls = h->tg->cls;
    /* signature */
    vbBuf sig = {0}, sigi = {0}, call = {0};
    vbBufPrintf(&sig, "%s", self);
    vbBufPrintf(&sigi, "%s: %s", self, cls);
    for (size_t p = 0; p < s->nparams; p++) {
        const vbPyStubParam *pp = &s->params[p];
        if (h->kind == 1 && p == h->tp_param) {
            bool opt = pp->deflt != NULL;
            vbBufPrintf(&sig, ", %s%s", pp->name, opt ? "=None" : "");
            vbBufPrintf(&sigi, ", %s: %s%s%s", pp->name, opt ? "Optional[" : "", tcls,
                        opt ? "] = None" : "");
            vbBufPrintf(&call, "%s%s", p ? ", " : "", "_params");
            continue;
        }
        vbBufPrintf(&sig, ", %s%s%s", pp->name, pp->deflt ? "=" : "", pp->deflt ? pp->deflt : "");
        vbBufPrintf(&sigi, ", %s: %s%s%s", pp->name, pp->type, pp->deflt ? " = " : "",
                    pp->deflt ? pp->deflt : "");
        vbBufPrintf(&call, "%s%s", p ? ", " : "", pp->name);
    }
    const char *ret;
    char *retbuf = NULL;
    switch (h->kind) {
    case 0: ret = tcls; break;
    case 2: ret = retbuf = vbPrintf("list[%s]", tcls); break;
    case 3: ret = "list[DomainStatsRecord]"; break;
    default: ret = s->ret; break;
    }
    vbBufPrintf(py, "\ndef %s(%s):\n    \"\"\"%s.%s() (%s) with %s\"\"\"\n", h->name, sig.s, cls,
                s->pyname, m->functions[s->fn].name, tcls);
    switch (h->kind) {
    case 0:
        vbBufPrintf(py, "    return %s._from_libvirt(%s.%s(%s))\n", tcls, self, s->pyname,
                    call.s ? call.s : "");
        break;
    case 2:
        vbBufPrintf(py, "    return [%s._from_libvirt(d) for d in %s.%s(%s)]\n", tcls, self,
                    s->pyname, call.s ? call.s : "");
        break;
    case 3:
        vbBufPrintf(py, "    return [DomainStatsRecord(d, %s._from_libvirt(s)) for d, s in %s.%s(%s)]\n",
                    tcls, self, s->pyname, call.s ? call.s : "");
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
    free(retbuf);
    vbBufClear(&sig);
    vbBufClear(&sigi);
    vbBufClear(&call);
}

/* --------------------------------------------------------------- module */

static const char *const typedRuntime =
    "import re as _re\n"
    "from typing import Dict as _Dict\n\n"
    "_RANGES = {\n"
    "    \"int\": (-(1 << 31), (1 << 31) - 1),\n"
    "    \"uint\": (0, (1 << 32) - 1),\n"
    "    \"llong\": (-(1 << 63), (1 << 63) - 1),\n"
    "    \"ullong\": (0, (1 << 64) - 1),\n"
    "}\n"
    "_PYTYPES = {\"int\": int, \"uint\": int, \"llong\": int, \"ullong\": int,\n"
    "            \"double\": float, \"boolean\": bool, \"string\": str}\n\n\n"
    "class _Field:\n"
    "    __slots__ = (\"attr\", \"key\", \"macro\", \"tp\", \"kind\", \"regex\")\n\n"
    "    def __init__(self, attr, key, macro, tp, kind):\n"
    "        self.attr = attr      # Python attribute\n"
    "        self.key = key        # libvirt field name, or a pattern with %u\n"
    "        self.macro = macro\n"
    "        self.tp = tp          # int uint llong ullong double boolean string\n"
    "        self.kind = kind      # scalar, multi (list), format (dict by index)\n"
    "        self.regex = None\n"
    "        if kind == \"format\":\n"
    "            self.regex = _re.compile(\"^\" + _re.escape(key).replace(\"%u\", \"(0|[1-9][0-9]*)\") + \"$\")\n\n"
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
    "        for f in cls._FIELDS:\n"
    "            if f.regex is not None:\n"
    "                mo = f.regex.match(key)\n"
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
    "            f, idx = cls._lookup(key)\n"
    "            if f is None:\n"
    "                if strict:\n"
    "                    raise LookupError(\"%s: unknown field %r (pass it in extra)\" % (cls.__name__, key))\n"
    "                obj.extra[key] = v\n"
    "                continue\n"
    "            try:\n"
    "                if f.kind == \"multi\":\n"
    "                    cur = getattr(obj, f.attr) or []\n"
    "                    setattr(obj, f.attr, cur + (list(v) if isinstance(v, list) else [v]))\n"
    "                elif f.kind == \"format\":\n"
    "                    cur = dict(getattr(obj, f.attr) or {})\n"
    "                    cur[idx] = v\n"
    "                    setattr(obj, f.attr, cur)\n"
    "                else:\n"
    "                    setattr(obj, f.attr, v)\n"
    "            except TypeError:\n"
    "                if strict:\n"
    "                    raise\n"
    "                obj.extra[key] = v\n"
    "        return obj\n\n"
    "    @classmethod\n"
    "    def _from_libvirt(cls, d):\n"
    "        return cls.from_dict(d, strict=False)\n\n"
    "    @classmethod\n"
    "    def fields(cls):\n"
    "        \"\"\"(attribute, libvirt field, macro, libvirt type, kind) per field.\"\"\"\n"
    "        return [(f.attr, f.key, f.macro, f.tp, f.kind) for f in cls._FIELDS]\n\n\n"
    "def _make(cls, group, fields):\n"
    "    cls._FIELDS = tuple(_Field(*f) for f in fields)\n"
    "    cls._BY_ATTR = {f.attr: f for f in cls._FIELDS}\n"
    "    cls._BY_KEY = {f.key: f for f in cls._FIELDS if f.kind != \"format\"}\n"
    "    cls.GROUP = group\n"
    "    return cls\n\n\n"
    "def _to_libvirt(cls, params, name, optional):\n"
    "    if params is None and optional:\n"
    "        return None\n"
    "    if isinstance(params, cls):\n"
    "        return params.to_dict()\n"
    "    raise TypeError(\"argument %r must be %s, not %r\" % (name, cls.__name__, type(params).__name__))\n\n\n"
    "class _StatsView:\n"
    "    \"\"\"One stats group of a DomainStatsRecord (rec.block[0].rd_reqs).\"\"\"\n\n"
    "    __slots__ = ()\n"
    "    _SCALARS: \"tuple[tuple[str, str], ...]\" = ()\n"
    "    _INDEXED: \"tuple[tuple[str, type, tuple[tuple[str, str], ...]], ...]\" = ()\n\n"
    "    def __repr__(self):\n"
    "        parts = [\"%s=%r\" % (a, getattr(self, a)) for a in self.__slots__\n"
    "                 if getattr(self, a) not in (None, {})]\n"
    "        return \"%s(%s)\" % (type(self).__name__, \", \".join(parts))\n\n"
    "    def __eq__(self, other):\n"
    "        if type(other) is not type(self):\n"
    "            return NotImplemented\n"
    "        return all(getattr(self, a) == getattr(other, a) for a in self.__slots__)\n\n"
    "    __hash__ = None\n\n\n"
    "def _stats_view(cls, flat):\n"
    "    obj = cls.__new__(cls)\n"
    "    found = False\n"
    "    for attr, fa in cls._SCALARS:\n"
    "        v = getattr(flat, fa)\n"
    "        object.__setattr__(obj, attr, v)\n"
    "        found = found or v is not None\n"
    "    for dattr, icls, fields in cls._INDEXED:\n"
    "        items = {}\n"
    "        for attr, fa in fields:\n"
    "            for idx, v in (getattr(flat, fa) or {}).items():\n"
    "                it = items.get(idx)\n"
    "                if it is None:\n"
    "                    it = items[idx] = icls.__new__(icls)\n"
    "                    for a, _ in icls._SCALARS:\n"
    "                        object.__setattr__(it, a, None)\n"
    "                object.__setattr__(it, attr, v)\n"
    "        object.__setattr__(obj, dattr, dict(sorted(items.items())))\n"
    "        found = found or bool(items)\n"
    "    return obj if found else None\n";

static const char *const typedStubRuntime =
    "from typing import Any, Callable, ClassVar, Optional, TypeVar, Union\n\n"
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
    "";

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

/* "block.%u.rd.reqs" -> group "block", mid "", rest "rd.reqs";
 * "dirtyrate.vcpu.%u.megabytes_per_second" -> "dirtyrate", "vcpu", "..." */
static void splitKey(const char *key, char **group, char **mid, char **rest)
{
    const char *dot = strchr(key, '.');
    *group = vbStrndup(key, dot ? (size_t)(dot - key) : strlen(key));
    const char *after = dot ? dot + 1 : "";
    const char *pct = strstr(after, "%u");
    if (!pct) {
        *mid = NULL;
        *rest = vbStrdup(after);
        return;
    }
    size_t ml = (size_t)(pct - after);
    *mid = vbStrndup(after, ml && after[ml - 1] == '.' ? ml - 1 : ml);
    *rest = vbStrdup(pct[2] == '.' ? pct + 3 : pct + 2);
}

/* The grouped view of domain stats records: rec.state.reason,
 * rec.block[0].rd_reqs, rec.dirtyrate.vcpu[1].megabytes_per_second. */
static void emitStatsGroups(vbBuf *py, vbBuf *pyi, const tyGroup *tg)
{
    /* distinct groups, in field order (fields are sorted by attribute) */
    char **groups = vbAlloc((tg->nfields + 1) * sizeof(char *));
    size_t ng = 0;
    for (size_t k = 0; k < tg->nfields; k++) {
        char *g, *mid, *rest;
        splitKey(tg->fields[k].key, &g, &mid, &rest);
        bool seen = false;
        for (size_t i = 0; i < ng && !seen; i++)
            seen = strcmp(groups[i], g) == 0;
        if (!seen)
            groups[ng++] = g;
        else
            free(g);
        free(mid);
        free(rest);
    }
    vbBuf rec = {0}, recpyi = {0};
    vbBufAdd(&rec, "\n\n_STATS_GROUPS = (\n");
    for (size_t gi = 0; gi < ng; gi++) {
        const char *gname = groups[gi];
        char *cap = capWord(gname);
        char *gcls = vbPrintf("DomainStats%s", cap);
        /* item classes: one per distinct mid */
        char **mids = vbAlloc((tg->nfields + 1) * sizeof(char *));
        size_t nm = 0;
        vbBuf scal = {0}, scalpyi = {0}, slots = {0};
        for (size_t k = 0; k < tg->nfields; k++) {
            char *g, *mid, *rest;
            splitKey(tg->fields[k].key, &g, &mid, &rest);
            if (strcmp(g, gname) == 0) {
                if (!mid) {
                    char *a = attrName(rest);
                    vbBufPrintf(&scal, "(\"%s\", \"%s\"), ", a, tg->fields[k].attr);
                    vbBufPrintf(&slots, "\"%s\", ", a);
                    vbBufPrintf(&scalpyi, "    %s: Optional[%s]\n", a, pyType(tg->fields[k].type));
                    free(a);
                } else {
                    bool seen = false;
                    for (size_t i = 0; i < nm && !seen; i++)
                        seen = strcmp(mids[i], mid) == 0;
                    if (!seen)
                        mids[nm++] = vbStrdup(mid);
                }
            }
            free(g);
            free(mid);
            free(rest);
        }
        vbBuf idx = {0}, idxpyi = {0};
        for (size_t mi = 0; mi < nm; mi++) {
            char *mcap = *mids[mi] ? capWord(mids[mi]) : vbStrdup("Item");
            char *icls = vbPrintf("%s%s", gcls, mcap);
            const char *dattr = *mids[mi] ? mids[mi] : "items";
            vbBuf ifields = {0}, islots = {0}, ipyi = {0};
            for (size_t k = 0; k < tg->nfields; k++) {
                char *g, *mid, *rest;
                splitKey(tg->fields[k].key, &g, &mid, &rest);
                if (strcmp(g, gname) == 0 && mid && strcmp(mid, mids[mi]) == 0) {
                    char *a = attrName(rest);
                    vbBufPrintf(&ifields, "(\"%s\", \"%s\"), ", a, tg->fields[k].attr);
                    vbBufPrintf(&islots, "\"%s\", ", a);
                    vbBufPrintf(&ipyi, "    %s: Optional[%s]\n", a, pyType(tg->fields[k].type));
                    free(a);
                }
                free(g);
                free(mid);
                free(rest);
            }
            vbBufPrintf(py, "\n\nclass %s(_StatsView):\n    \"\"\"%s.%s<N>.* of a domain stats record.\"\"\"\n\n"
                            "    __slots__ = (%s)\n    _SCALARS = (%s)\n",
                        icls, gname, *mids[mi] ? mids[mi] : "", islots.s ? islots.s : "",
                        ifields.s ? ifields.s : "");
            vbBufPrintf(pyi, "\nclass %s:\n%s", icls, ipyi.s ? ipyi.s : "    pass\n");
            vbBufPrintf(&idx, "(\"%s\", %s, %s._SCALARS), ", dattr, icls, icls);
            vbBufPrintf(&slots, "\"%s\", ", dattr);
            vbBufPrintf(&idxpyi, "    %s: dict[int, %s]\n", dattr, icls);
            if (!*mids[mi])
                vbBufPrintf(&idxpyi, "    def __getitem__(self, index: int) -> %s: ...\n"
                                     "    def __len__(self) -> int: ...\n", icls);
            vbBufClear(&ifields);
            vbBufClear(&islots);
            vbBufClear(&ipyi);
            free(icls);
            free(mcap);
        }
        vbBufPrintf(py, "\n\nclass %s(_StatsView):\n    \"\"\"%s.* of a domain stats record.\"\"\"\n\n"
                        "    __slots__ = (%s)\n    _SCALARS = (%s)\n    _INDEXED = (%s)\n",
                    gcls, gname, slots.s ? slots.s : "", scal.s ? scal.s : "", idx.s ? idx.s : "");
        bool items = false;
        for (size_t mi = 0; mi < nm; mi++)
            items = items || !*mids[mi];
        if (items)
            vbBufAdd(py, "\n    def __getitem__(self, index):\n        return self.items[index]\n\n"
                         "    def __len__(self):\n        return len(self.items)\n");
        vbBufPrintf(pyi, "\nclass %s:\n%s%s", gcls, scalpyi.s ? scalpyi.s : "",
                    idxpyi.s ? idxpyi.s : "");
        vbBufPrintf(&rec, "    (\"%s\", %s),\n", gname, gcls);
        vbBufPrintf(&recpyi, "    %s: Optional[%s]\n", gname, gcls);
        for (size_t mi = 0; mi < nm; mi++)
            free(mids[mi]);
        free(mids);
        vbBufClear(&scal);
        vbBufClear(&scalpyi);
        vbBufClear(&slots);
        vbBufClear(&idx);
        vbBufClear(&idxpyi);
        free(gcls);
        free(cap);
    }
    vbBufAdd(&rec, ")\n\n\nclass DomainStatsRecord:\n"
                   "    \"\"\"One domain's statistics: the domain, the flat DomainStatsParams\n"
                   "    and a view per stats group (None when the record has none of it):\n"
                   "    rec.state.state, rec.cpu.time, rec.vcpu[0].time, rec.block[1].rd_reqs.\"\"\"\n\n"
                   "    __slots__ = (\"domain\", \"stats\"");
    for (size_t gi = 0; gi < ng; gi++)
        vbBufPrintf(&rec, ", \"%s\"", groups[gi]);
    vbBufAdd(&rec, ")\n\n    def __init__(self, domain, stats):\n"
                   "        self.domain = domain\n        self.stats = stats\n"
                   "        for name, cls in _STATS_GROUPS:\n"
                   "            setattr(self, name, _stats_view(cls, stats))\n\n"
                   "    def __repr__(self):\n"
                   "        return \"DomainStatsRecord(%r, %r)\" % (self.domain, self.stats)\n");
    vbBufAdd(py, rec.s);
    vbBufPrintf(pyi, "\nclass DomainStatsRecord:\n    domain: virDomain\n    stats: DomainStatsParams\n%s"
                     "    def __init__(self, domain: virDomain, stats: DomainStatsParams) -> None: ...\n",
                recpyi.s ? recpyi.s : "");
    vbBufClear(&rec);
    vbBufClear(&recpyi);
    for (size_t i = 0; i < ng; i++)
        free(groups[i]);
    free(groups);
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

void vbPyTypedModule(const vbModel *m, const vbPyStubFn *fns, vbBuf *py, vbBuf *pyi)
{
    tpGroup stats = {0};
    bool have_stats = false;
    size_t ng = 0;
    tyGroup *gs = buildGroups(m, &stats, &have_stats, &ng);
    tyHelper *hs = NULL;
    size_t nh = collectHelpers(m, fns, gs, ng, &hs);

    vbPyStubHeader(m, py, "virtbind/typed.py",
                   "typed-parameter classes and\n# typed helpers over the dict-form methods.");
    vbBufAdd(py, "\"\"\"Typed parameters for virtbind (docs/typing.md).\n\n"
                 "One class per typed-parameter group (libvirtbind's C struct names without\n"
                 "the `virtbind` prefix): an attribute per documented field, None when unset;\n"
                 "repeatable fields are list[str], indexed fields (cputune.vcpupin%u) are\n"
                 "dict[int, str]; `extra` keeps unknown fields.  Assigning a value of the\n"
                 "wrong type raises TypeError naming the field and the expected type.\n"
                 "to_dict() / from_dict() convert from and to libvirt-python's dicts.\n"
                 "The functions take the object first: get_block_io_tune(dom, \"vda\").\n"
                 "\"\"\"\n");
    vbBufAdd(py, typedRuntime);
    vbPyStubHeader(m, pyi, "virtbind/typed.pyi", "types of virtbind.typed.");
    vbBufAdd(pyi, typedStubRuntime);

    /* __all__ (completed at the end) */
    vbBuf all = {0};
    vbBufAdd(&all, "\n\n__all__ = [\n    \"DomainStatsRecord\",\n    \"TypedParams\",\n    \"attach\",\n");
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

    for (size_t i = 0; i < ng; i++)
        if (strcmp(gs[i].cls, "DomainStatsParams") == 0)
            emitStatsGroups(py, pyi, &gs[i]);
    vbBufAdd(py, "\n\n# ---------------------------------------------------------- helpers\n");
    vbBufAdd(pyi, "\n");
    for (size_t i = 0; i < nh; i++)
        emitHelper(py, pyi, m, &hs[i]);

    vbBufAdd(py, "\n\n# ---------------------------------------------------- typed events\n");
    emitTypedEvents(py, pyi, &all, m, fns, gs, ng);

    /* the helpers as methods, for attach() */
    vbBufAdd(py, "\n\n_METHODS = {\n");
    vbBufAdd(pyi, "\ndef attach() -> bool: ...\n");
    for (size_t c = 0; c < m->nclasses; c++) {
        bool any = false;
        for (size_t i = 0; i < nh; i++) {
            if (hs[i].s->host != (int)c)
                continue;
            if (!any)
                vbBufPrintf(py, "    \"%s\": [\n", m->classes[c].name);
            any = true;
            vbBufPrintf(py, "        \"%s\",\n", hs[i].name);
        }
        if (any)
            vbBufAdd(py, "    ],\n");
    }
    vbBufAdd(py, "}\n\n\n"
                 "def attach():\n"
                 "    \"\"\"Make the helpers methods of the binding's classes\n"
                 "    (dom.get_block_io_tune(\"vda\")).  False when the classes do not\n"
                 "    accept new attributes (static extension types).\"\"\"\n"
                 "    import virtbind\n"
                 "    try:\n"
                 "        for cls, names in sorted(_METHODS.items()):\n"
                 "            for name in names:\n"
                 "                setattr(getattr(virtbind, cls), name, globals()[name])\n"
                 "    except TypeError:\n"
                 "        return False\n"
                 "    return True\n");
    vbBufAdd(&all, "]\n");
    vbBufAdd(py, all.s);
    vbBufClear(&all);

    for (size_t i = 0; i < nh; i++)
        free(hs[i].name);
    free(hs);
    for (size_t i = 0; i < ng; i++) {
        for (size_t k = 0; k < gs[i].nfields; k++)
            free(gs[i].fields[k].attr);
        free(gs[i].fields);
        free(gs[i].cls);
    }
    free(gs);
    if (have_stats) {
        vbCShimStatsGroupFree(&stats);
        for (size_t k = 0; k < stats.nfields; k++)
            free(stats.fields[k].member);
        free(stats.fields);
        free(stats.ctype);
    }
}
