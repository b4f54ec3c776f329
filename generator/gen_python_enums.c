/* gen_python_enums.c — owns what virtbind-gen derives for Python from the
 * model's enum types (vbEnumConst.type): the typed enum classes
 * (virtbind/enums.py + .pyi, virtbind_admin_enums.py + .pyi), the exception
 * class per virErrorNumber code (virtbind/errors.py + .pyi), the table of
 * libvirt versions behind virtbind.supports() (virtbind/_apiversions.py), and
 * which enum types an argument or return is tied to (mined from the XML's
 * info texts, for the .pyi stubs of gen_python_stubs.c).
 *
 * Rules (docs/python.md "Enums and flags"):
 *  - one class per enum type of the four XMLs; _LAST sentinels are left out;
 *  - the class is an IntFlag when any member's value is written as a bit
 *    shift (the XML's value_bitshift=), or the type name ends in Flags,
 *    FlagValues or FlagsValues, or the values are distinct powers of two (0
 *    allowed) reaching at least 4; an IntEnum otherwise (and always when a
 *    value is negative);
 *  - class name: the C type without "vir" (virDomainState -> DomainState);
 *    member name: the C name without the prefix every member shares, cut at
 *    an underscore (VIR_DOMAIN_RUNNING -> RUNNING); a type with a single
 *    member strips the words its name shares with the type name
 *    (VIR_TYPED_PARAM_STRING_OKAY of virTypedParameterFlags -> STRING_OKAY);
 *    a member never starts with a digit (the prefix backs off a word).
 *  - errors: VIR_ERR_NO_DOMAIN -> NoDomain, VIR_WAR_NO_NETWORK ->
 *    NoNetworkWarning (each word capitalised); VIR_ERR_OK is not an error.
 * Output is sorted (types by C name, members by value then name). */
#include "gen_python.h"
#include "gen_python_stubs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int cmpEnumType(const void *a, const void *b)
{
    return strcmp(((const vbPyEnumType *)a)->ctype, ((const vbPyEnumType *)b)->ctype);
}

static const vbModel *sortModel;   /* qsort has no context argument */

static int cmpMember(const void *a, const void *b)
{
    const vbEnumConst *x = &sortModel->enums[*(const int *)a];
    const vbEnumConst *y = &sortModel->enums[*(const int *)b];
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Length of the prefix (ending in '_') every name shares. */
static size_t commonPrefix(const vbModel *m, const int *idx, size_t n)
{
    const char *first = m->enums[idx[0]].name;
    size_t len = strlen(first);
    for (size_t i = 1; i < n; i++) {
        const char *s = m->enums[idx[i]].name;
        size_t k = 0;
        while (k < len && s[k] && s[k] == first[k])
            k++;
        len = k;
    }
    while (len > 0 && first[len - 1] != '_')
        len--;
    return len;
}

/* A single member: the leading words of NAME that, lower-cased and joined,
 * are a prefix of the lower-cased type name (VIR_TYPED_PARAM_ of
 * virTypedParameterFlags). */
static size_t typeNamePrefix(const char *name, const char *ctype)
{
    char lt[256];
    size_t n = 0;
    for (const char *p = ctype; *p && n + 1 < sizeof(lt); p++)
        lt[n++] = (char)tolower((unsigned char)*p);
    lt[n] = 0;
    size_t best = 0, joined = 0;
    char acc[256];
    for (size_t i = 0; name[i]; i++) {
        if (name[i] == '_') {
            acc[joined] = 0;
            if (joined <= n && strncmp(lt, acc, joined) == 0)
                best = i + 1;
            else
                break;
            continue;
        }
        if (joined + 1 < sizeof(acc))
            acc[joined++] = (char)tolower((unsigned char)name[i]);
    }
    return best;
}

static bool validMember(const char *s)
{
    if (!*s || isdigit((unsigned char)*s))
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return false;
    return true;
}

static bool isPow2(long long v)
{
    return v > 0 && (v & (v - 1)) == 0;
}

static void decideFlags(const vbModel *m, vbPyEnumType *t)
{
    bool shift = false, pow2 = true, negative = false;
    long long max = 0;
    for (size_t i = 0; i < t->nmembers; i++) {
        const vbEnumConst *e = &m->enums[t->members[i]];
        shift = shift || e->bitshift;
        negative = negative || e->value < 0;
        if (e->value != 0 && !isPow2(e->value))
            pow2 = false;
        for (size_t k = 0; k < i; k++)
            if (m->enums[t->members[k]].value == e->value && e->value != 0)
                pow2 = false;
        if (e->value > max)
            max = e->value;
    }
    if (negative) {
        t->flags = false;
        t->why = "a value is negative: IntEnum";
    } else if (shift) {
        t->flags = true;
        t->why = "the XML writes a value as a bit shift (value_bitshift)";
    } else if (vbEndsWith(t->ctype, "Flags") || vbEndsWith(t->ctype, "FlagValues") ||
               vbEndsWith(t->ctype, "FlagsValues")) {
        t->flags = true;
        t->why = "the type name ends in Flags/FlagValues";
    } else if (pow2 && max >= 4) {
        t->flags = true;
        t->why = "the values are distinct powers of two";
    } else {
        t->flags = false;
        t->why = "enumerated values";
    }
}

static void nameMembers(const vbModel *m, vbPyEnumType *t)
{
    size_t cut;
    if (t->nmembers > 1) {
        cut = commonPrefix(m, t->members, t->nmembers);
    } else {
        /* one member (and maybe its _LAST): the words shared with the type name */
        cut = typeNamePrefix(m->enums[t->members[0]].name, t->ctype);
    }
    /* back off a word while a member would be empty or start with a digit */
    for (;;) {
        bool ok = true;
        for (size_t i = 0; i < t->nmembers && ok; i++)
            ok = validMember(m->enums[t->members[i]].name + cut);
        if (ok || cut == 0)
            break;
        cut--;
        while (cut > 0 && m->enums[t->members[0]].name[cut - 1] != '_')
            cut--;
    }
    t->mnames = vbAlloc(t->nmembers * sizeof(char *));
    for (size_t i = 0; i < t->nmembers; i++)
        t->mnames[i] = vbStrdup(m->enums[t->members[i]].name + cut);
}

void vbPyEnumTypesBuild(const vbModel *m, vbPyEnumTypes *out)
{
    memset(out, 0, sizeof(*out));
    size_t cap = 0;
    for (size_t i = 0; i < m->nenums; i++) {
        const vbEnumConst *e = &m->enums[i];
        if (!e->type)
            continue;
        vbPyEnumType *t = NULL;
        for (size_t k = 0; k < out->n && !t; k++)
            if (strcmp(out->t[k].ctype, e->type) == 0)
                t = &out->t[k];
        if (!t) {
            t = VB_PUSH(out->t, out->n, cap);
            memset(t, 0, sizeof(*t));
            t->ctype = e->type;
            t->src = e->src;
            t->first = (int)i;
        }
        if (e->is_last)
            continue;
        t->members = vbRealloc(t->members, (t->nmembers + 1) * sizeof(int));
        t->members[t->nmembers++] = (int)i;
    }
    /* a type made only of a sentinel has nothing to offer */
    size_t w = 0;
    for (size_t k = 0; k < out->n; k++) {
        if (out->t[k].nmembers)
            out->t[w++] = out->t[k];
        else
            free(out->t[k].members);
    }
    out->n = w;
    if (out->n)
        qsort(out->t, out->n, sizeof(*out->t), cmpEnumType);
    sortModel = m;
    for (size_t k = 0; k < out->n; k++) {
        vbPyEnumType *t = &out->t[k];
        qsort(t->members, t->nmembers, sizeof(int), cmpMember);
        t->pyname = vbStrdup(vbStartsWith(t->ctype, "vir") ? t->ctype + 3 : t->ctype);
        decideFlags(m, t);
        nameMembers(m, t);
    }
}

void vbPyEnumTypesClear(vbPyEnumTypes *ts)
{
    for (size_t k = 0; k < ts->n; k++) {
        for (size_t i = 0; i < ts->t[k].nmembers; i++)
            free(ts->t[k].mnames[i]);
        free(ts->t[k].mnames);
        free(ts->t[k].members);
        free(ts->t[k].pyname);
    }
    free(ts->t);
    memset(ts, 0, sizeof(*ts));
}

int vbPyEnumTypeFind(const vbPyEnumTypes *ts, const char *ctype)
{
    for (size_t k = 0; k < ts->n; k++)
        if (strcmp(ts->t[k].ctype, ctype) == 0)
            return (int)k;
    return -1;
}

/* ------------------------------------------------ mining the info texts */

static bool identChar(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* The enum types INFO names as whole words, in the order of the table
 * (sorted), restricted to the admin XML's types or the others'. */
char *vbPyEnumUnion(const vbPyEnumTypes *ts, const char *info, bool admin, const char *base)
{
    if (!info)
        return NULL;
    vbBuf b = {0};
    size_t found = 0;
    for (size_t k = 0; k < ts->n; k++) {
        const vbPyEnumType *t = &ts->t[k];
        if ((t->src == VB_SRC_ADMIN) != admin)
            continue;
        size_t len = strlen(t->ctype);
        for (const char *p = strstr(info, t->ctype); p; p = strstr(p + 1, t->ctype)) {
            if ((p > info && identChar(p[-1])) || identChar(p[len]))
                continue;
            vbBufPrintf(&b, "%s%s", found++ || base ? ", " : "", t->pyname);
            break;
        }
    }
    if (!found)
        return NULL;
    char *types = vbBufSteal(&b);
    char *res = base ? vbPrintf("Union[%s%s]", base, types)
                     : found > 1 ? vbPrintf("Union[%s]", types) : vbStrdup(types);
    free(types);
    return res;
}

/* The enum type a function's int return is tied to (the return's info names
 * exactly one enum type: virConnectCompareCPU -> CPUCompareResult), or -1. */
int vbPyEnumReturn(const vbModel *m, const vbPyEnumTypes *ts, int fn)
{
    const vbFunction *f = &m->functions[fn];
    if (f->ret.kind != VB_RET_INT || !f->ret.info)
        return -1;
    int hit = -1;
    for (size_t k = 0; k < ts->n; k++) {
        const char *ct = ts->t[k].ctype;
        size_t len = strlen(ct);
        for (const char *p = strstr(f->ret.info, ct); p; p = strstr(p + 1, ct)) {
            if ((p > f->ret.info && identChar(p[-1])) || identChar(p[len]))
                continue;
            if (hit >= 0)
                return -1;
            hit = (int)k;
            break;
        }
    }
    return hit;
}

/* ------------------------------------------------------------ the modules */

static void header(const vbModel *m, vbBuf *b, const char *file, const char *what)
{
    vbPyStubHeader(m, b, file, what);
    vbBufAdd(b, "# (enum types, errors and versions: generator/gen_python_enums.c)\n");
}

/* The stub's view: one class statement per enum type. */
static void emitEnumClasses(const vbModel *m, const vbPyEnumTypes *ts, bool admin, vbBuf *b)
{
    for (size_t k = 0; k < ts->n; k++) {
        const vbPyEnumType *t = &ts->t[k];
        if ((t->src == VB_SRC_ADMIN) != admin)
            continue;
        vbBufPrintf(b, "\nclass %s(%s):\n", t->pyname, t->flags ? "_IntFlag" : "_IntEnum");
        for (size_t i = 0; i < t->nmembers; i++)
            vbBufPrintf(b, "    %s = %lld\n", t->mnames[i], m->enums[t->members[i]].value);
    }
}

/* The runtime's view: a table the module's __getattr__ builds each class
 * from on first use.  Building all ~170 classes at import cost ~17 ms, most
 * of `import virtbind` (docs/performance.md, import row); one class costs
 * ~0.1 ms.  Even the enum module is imported on first use (~5 ms with
 * functools and collections).  The lock makes every thread see the same
 * class object. */
static void emitEnumTable(const vbModel *m, const vbPyEnumTypes *ts, bool admin, vbBuf *b)
{
    vbBufAdd(b, "# class name -> (enum base class, docstring, members): each class is built\n"
                "# on first use (module __getattr__ below), not at import\n"
                "_DEFS = {\n");
    for (size_t k = 0; k < ts->n; k++) {
        const vbPyEnumType *t = &ts->t[k];
        if ((t->src == VB_SRC_ADMIN) != admin)
            continue;
        const vbEnumConst *e0 = &m->enums[t->first];
        vbBufPrintf(b, "    \"%s\": (\"%s\", \"%s (%s, %s XML): %s\", (\n", t->pyname,
                    t->flags ? "IntFlag" : "IntEnum", t->ctype, e0->file ? e0->file : "?",
                    vbSourceName(t->src), t->why);
        for (size_t i = 0; i < t->nmembers; i++)
            vbBufPrintf(b, "        (\"%s\", %lld),\n", t->mnames[i],
                        m->enums[t->members[i]].value);
        vbBufAdd(b, "    )),\n");
    }
    vbBufAdd(b, "}\n\n"
                "_lock = _thread.allocate_lock()\n\n\n"
                "def __getattr__(name):\n"
                "    d = _DEFS.get(name)\n"
                "    if d is None:\n"
                "        raise AttributeError(\"module %r has no attribute %r\" % (__name__, name))\n"
                "    with _lock:\n"
                "        cls = globals().get(name)\n"
                "        if cls is None:\n"
                "            import enum\n"
                "            base, doc, members = d\n"
                "            cls = getattr(enum, base)(name, members, module=__name__, qualname=name)\n"
                "            cls.__doc__ = doc\n"
                "            globals()[name] = cls\n"
                "    return cls\n\n\n"
                "def __dir__():\n"
                "    return sorted(set(globals()) | set(_DEFS))\n");
}

/* enums.py (runtime: IntEnum / IntFlag) or enums.pyi (types: the classes
 * over _IntEnum/_IntFlag, which are not ints for the type checker, so a
 * member of one enum type is refused where another is expected; they convert
 * with int() and compare with ints). */
static void emitEnums(const vbModel *m, const vbPyEnumTypes *ts, bool admin, bool stub,
                      const char *file, vbBuf *b)
{
    header(m, b, file,
           admin ? "the enum types of libvirt's admin API\n# as IntEnum / IntFlag classes."
                 : "every enum type of libvirt's main, QEMU and\n# LXC APIs as an IntEnum or "
                   "IntFlag class (re-exported by virtbind).");
    if (!stub) {
        vbBufAdd(b, "import _thread\n\n");
    } else {
        vbBufAdd(b, "import enum\nfrom typing import Union\n\n"
                    "class _IntEnum(enum.Enum):\n"
                    "    # an IntEnum at run time; for the type checker not an int, so that\n"
                    "    # a member of the wrong enum type is refused\n"
                    "    def __int__(self) -> int: ...\n"
                    "    def __index__(self) -> int: ...\n"
                    "    def __eq__(self, other: object) -> bool: ...\n"
                    "    def __ne__(self, other: object) -> bool: ...\n"
                    "    def __hash__(self) -> int: ...\n"
                    "    def __lt__(self, other: Union[int, _IntEnum]) -> bool: ...\n"
                    "    def __le__(self, other: Union[int, _IntEnum]) -> bool: ...\n"
                    "    def __gt__(self, other: Union[int, _IntEnum]) -> bool: ...\n"
                    "    def __ge__(self, other: Union[int, _IntEnum]) -> bool: ...\n\n"
                    "class _IntFlag(enum.Flag):\n"
                    "    # an IntFlag at run time (see _IntEnum)\n"
                    "    def __int__(self) -> int: ...\n"
                    "    def __index__(self) -> int: ...\n"
                    "    def __eq__(self, other: object) -> bool: ...\n"
                    "    def __ne__(self, other: object) -> bool: ...\n"
                    "    def __hash__(self) -> int: ...\n\n");
    }
    /* __all__ */
    vbBufAdd(b, "__all__ = [\n");
    for (size_t k = 0; k < ts->n; k++)
        if ((ts->t[k].src == VB_SRC_ADMIN) == admin)
            vbBufPrintf(b, "    \"%s\",\n", ts->t[k].pyname);
    vbBufAdd(b, "]\n\n");
    if (stub)
        emitEnumClasses(m, ts, admin, b);
    else
        emitEnumTable(m, ts, admin, b);
    if (stub) {
        vbBufAdd(b, "\n__virtbind_enum_types__: dict[str, str]\n");
        if (!admin)
            vbBufAdd(b, "__virtbind_enum_returns__: dict[str, tuple[str, str, str]]\n");
        return;
    }
    /* the C type -> class table (virtbind-coverage, supports()) */
    vbBufAdd(b, "\n\n# C enum type -> class name (virtbind-coverage counts these)\n"
                "__virtbind_enum_types__: dict[str, str] = {\n");
    for (size_t k = 0; k < ts->n; k++)
        if ((ts->t[k].src == VB_SRC_ADMIN) == admin)
            vbBufPrintf(b, "    \"%s\": \"%s\",\n", ts->t[k].ctype, ts->t[k].pyname);
    vbBufAdd(b, "}\n");
    if (admin)
        return;
    /* functions whose int result the XML ties to an enum type: virtbind
     * converts their result (virtbind/__init__.py) */
    vbBufAdd(b, "\n# C function -> (class, method, enum class) of results tied to an enum type\n"
                "__virtbind_enum_returns__: dict[str, tuple[str, str, str]] = {\n");
    for (size_t i = 0; i < m->nfunctions; i++) {
        const vbFunction *f = &m->functions[i];
        if (f->src != VB_SRC_MAIN || f->cls < 0 || f->self_arg < 0 || f->kind != VB_FN_METHOD)
            continue;
        int et = vbPyEnumReturn(m, ts, (int)i);
        if (et < 0 || ts->t[et].src == VB_SRC_ADMIN)
            continue;
        char *py = vbPyMethodName(m, (int)i, f->cls);
        vbBufPrintf(b, "    \"%s\": (\"%s\", \"%s\", \"%s\"),\n", f->name, m->classes[f->cls].name,
                    py, ts->t[et].pyname);
        free(py);
    }
    vbBufAdd(b, "}\n");
}

/* VIR_ERR_NO_DOMAIN -> NoDomain; VIR_WAR_NO_NETWORK -> NoNetworkWarning */
static char *errorClassName(const char *cname)
{
    bool war = vbStartsWith(cname, "VIR_WAR_");
    const char *p = cname + (war || vbStartsWith(cname, "VIR_ERR_") ? 8 : 4);
    vbBuf b = {0};
    bool up = true;
    for (; *p; p++) {
        if (*p == '_') {
            up = true;
            continue;
        }
        char c = up ? (char)toupper((unsigned char)*p) : (char)tolower((unsigned char)*p);
        vbBufAddN(&b, &c, 1);
        up = false;
    }
    if (war)
        vbBufAdd(&b, "Warning");
    return vbBufSteal(&b);
}

static void pyComment(vbBuf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (*p == '"' || *p == '\\')
            vbBufAdd(b, "'");
        else if (*p < 0x20 || *p >= 0x7f)
            vbBufAdd(b, " ");
        else
            vbBufAddN(b, (const char *)p, 1);
    }
}

static int emitErrors(const vbModel *m, const vbPyEnumTypes *ts, vbBuf *py, vbBuf *pyi,
                      char **err)
{
    int k = vbPyEnumTypeFind(ts, "virErrorNumber");
    if (k < 0) {
        *err = vbStrdup("python stubs: the model has no virErrorNumber enum");
        return -1;
    }
    const vbPyEnumType *t = &ts->t[k];
    header(m, py, "virtbind/errors.py",
           "a libvirtError subclass per libvirt\n# error code (virErrorNumber), registered "
           "with the runtime at import.");
    header(m, pyi, "virtbind/errors.pyi", "types of virtbind.errors.");
    vbBufAdd(py, "from virtbind._virtbind import _set_error_classes, libvirtError\n\n");
    vbBufAdd(pyi, "from typing import ClassVar\n\nfrom virtbind import libvirtError\n\n");
    const char *base =
        "class Error(libvirtError):\n"
        "    \"\"\"Base of the per-code classes: `code` is the virErrorNumber each stands for.\"\"\"\n"
        "    code: int = -1\n"
        "    cname: str = \"\"\n\n"
        "\nclass VersionError(RuntimeError):\n"
        "    \"\"\"virtbind.requires(): the loaded libvirt (or the daemon) is too old.\"\"\"\n\n";
    vbBufAdd(py, base);
    vbBufAdd(pyi, "class Error(libvirtError):\n    code: ClassVar[int]\n    cname: ClassVar[str]\n\n"
                  "class VersionError(RuntimeError): ...\n\n");
    char **names = vbAlloc((t->nmembers + 1) * sizeof(char *));
    size_t nn = 0;
    vbBuf table = {0};
    vbBufAdd(&table, "\n# error code -> class (virtbind._virtbind raises these)\n"
                     "ERROR_CLASSES: dict[int, type[Error]] = {\n");
    int rc = 0;
    for (size_t i = 0; i < t->nmembers; i++) {
        const vbEnumConst *e = &m->enums[t->members[i]];
        if (e->value == 0)
            continue;   /* VIR_ERR_OK: not an error */
        char *cls = errorClassName(e->name);
        for (size_t j = 0; j < nn; j++)
            if (strcmp(names[j], cls) == 0) {
                *err = vbPrintf("python errors: two codes map to the class %s", cls);
                rc = -1;
            }
        if (strcmp(cls, "Error") == 0 || strcmp(cls, "VersionError") == 0) {
            *err = vbPrintf("python errors: %s maps to a reserved class name", e->name);
            rc = -1;
        }
        if (rc < 0) {
            free(cls);
            break;
        }
        vbBufPrintf(py, "\nclass %s(Error):\n    \"\"\"%s (%lld): ", cls, e->name, e->value);
        pyComment(py, e->info);
        vbBufPrintf(py, "\"\"\"\n    code = %lld\n    cname = \"%s\"\n\n", e->value, e->name);
        vbBufPrintf(pyi, "class %s(Error): ...\n", cls);
        vbBufPrintf(&table, "    %lld: %s,\n", e->value, cls);
        names[nn++] = cls;
    }
    vbBufAdd(&table, "}\n");
    if (rc == 0) {
        vbBufAdd(py, table.s);
        vbBufAdd(py, "\n_set_error_classes(dict(ERROR_CLASSES))\n");
        vbBufAdd(pyi, "\nERROR_CLASSES: dict[int, type[Error]]\n");
    }
    vbBufClear(&table);
    for (size_t j = 0; j < nn; j++)
        free(names[j]);
    free(names);
    return rc;
}

/* _apiversions.py: the libvirt version that added each function, enum
 * constant and macro (the XML's version attribute), where it lives, and the
 * Python names of enum members ("DomainState.RUNNING") */
static int cmpStrP(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void emitVersions(const vbModel *m, const vbPyEnumTypes *ts, vbBuf *b)
{
    header(m, b, "virtbind/_apiversions.py",
           "what virtbind.supports() knows: the\n# libvirt version that added each function, "
           "enum constant and macro of the four XMLs.");
    size_t cap = m->nfunctions + m->nenums + m->nmacros + 1;
    char **l = vbAlloc(cap * sizeof(char *));
    size_t n = 0;
    for (size_t i = 0; i < m->nfunctions; i++)
        if (m->functions[i].version)
            l[n++] = vbPrintf("    \"%s\": (\"%s\", \"f\", \"%s\"),\n", m->functions[i].name,
                              m->functions[i].version, vbSourceName(m->functions[i].src));
    for (size_t i = 0; i < m->nenums; i++)
        if (m->enums[i].version && !m->enums[i].is_last)
            l[n++] = vbPrintf("    \"%s\": (\"%s\", \"c\", \"%s\"),\n", m->enums[i].name,
                              m->enums[i].version, vbSourceName(m->enums[i].src));
    for (size_t i = 0; i < m->nmacros; i++)
        if (m->macros[i].version)
            l[n++] = vbPrintf("    \"%s\": (\"%s\", \"c\", \"%s\"),\n", m->macros[i].name,
                              m->macros[i].version, vbSourceName(m->macros[i].src));
    qsort(l, n, sizeof(char *), cmpStrP);
    vbBufAdd(b, "# C name -> (version, \"f\" function / \"c\" constant, XML)\n"
                "SINCE: dict[str, tuple[str, str, str]] = {\n");
    for (size_t i = 0; i < n; i++) {
        vbBufAdd(b, l[i]);
        free(l[i]);
    }
    vbBufAdd(b, "}\n\n# enum member \"Class.MEMBER\" -> its C constant\nMEMBERS: dict[str, str] = {\n");
    n = 0;
    for (size_t k = 0; k < ts->n; k++)
        for (size_t i = 0; i < ts->t[k].nmembers; i++)
            if (n < cap)
                l[n++] = vbPrintf("    \"%s.%s\": \"%s\",\n", ts->t[k].pyname, ts->t[k].mnames[i],
                                  m->enums[ts->t[k].members[i]].name);
    qsort(l, n, sizeof(char *), cmpStrP);
    for (size_t i = 0; i < n; i++) {
        vbBufAdd(b, l[i]);
        free(l[i]);
    }
    vbBufAdd(b, "}\n");
    free(l);
}

int vbPyEnumsWrite(const vbModel *m, const vbPyEnumTypes *ts, const char *outdir,
                   int (*write)(const char *dir, const char *name, vbBuf *b, char **err), char **err)
{
    char *pkg = vbPrintf("%s/virtbind", outdir);
    vbBuf b = {0}, pyi = {0};
    int rc = -1;
    emitEnums(m, ts, false, false, "virtbind/enums.py", &b);
    if (write(pkg, "enums.py", &b, err) < 0)
        goto done;
    emitEnums(m, ts, false, true, "virtbind/enums.pyi", &b);
    if (write(pkg, "enums.pyi", &b, err) < 0)
        goto done;
    emitEnums(m, ts, true, false, "virtbind_admin_enums.py", &b);
    if (write(outdir, "virtbind_admin_enums.py", &b, err) < 0)
        goto done;
    emitEnums(m, ts, true, true, "virtbind_admin_enums.pyi", &b);
    if (write(outdir, "virtbind_admin_enums.pyi", &b, err) < 0)
        goto done;
    if (emitErrors(m, ts, &b, &pyi, err) < 0 || write(pkg, "errors.py", &b, err) < 0 ||
        write(pkg, "errors.pyi", &pyi, err) < 0)
        goto done;
    emitVersions(m, ts, &b);
    if (write(pkg, "_apiversions.py", &b, err) < 0)
        goto done;
    rc = 0;
done:
    vbBufClear(&b);
    vbBufClear(&pyi);
    free(pkg);
    return rc;
}
