/* gen_python_aio.c — the generated half of virtbind.aio (asyncio): the
 * runtime facts in virtbind/_aio_model.py and the types in virtbind/aio.pyi
 * (docs/python.md, "asyncio").  Everything comes from the model and from the
 * per-function stub data gen_python_stubs.c computes for __init__.pyi:
 *
 *  - a method stays synchronous on the async wrappers when its libvirt call
 *    reads the object handle only: a parent getter (VB_FN_PARENT_GETTER, and
 *    the Python accessors of vbPyAccessors), a method returning a string
 *    borrowed from the object (transfer none, self the only argument:
 *    virDomainGetName ...), c_pointer(); every other method is a coroutine;
 *  - one NamedTuple record per event ID, its fields the callback type's
 *    argument names (conn, the object, the payload; lengths folded, opaque
 *    dropped), payload types as the typed registration methods deliver them;
 *  - how a reconnecting connection looks an event filter's object up again
 *    (by UUID, else by name);
 *  - the async classes' methods: the stubs' parameters (an object parameter
 *    accepts the plain or the async object) and returns (a virtbind object
 *    becomes its async wrapper), `async def` unless synchronous.
 *
 * Output is sorted (classes, methods and events by name) and deterministic. */
#include "gen_python_aio.h"
#include "gen_python.h"

#include <stdlib.h>
#include <string.h>

/* "virDomain" -> "AsyncDomain" */
static char *aioClassName(const char *cls)
{
    return vbPrintf("Async%s", vbStartsWith(cls, "vir") ? cls + 3 : cls);
}

static bool isIdent(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool isMainClass(const vbModel *m, const char *name, size_t len)
{
    for (size_t c = 0; c < m->nclasses; c++)
        if (m->classes[c].src != VB_SRC_ADMIN && strlen(m->classes[c].name) == len &&
            strncmp(m->classes[c].name, name, len) == 0)
            return true;
    return false;
}

/* A stub type with every virtbind class name replaced: in a return by its
 * async wrapper, in a parameter by Union[plain, async].  Callable[...]
 * argument lists keep the plain classes (callbacks receive plain objects). */
static char *aioType(const vbModel *m, const char *t, bool param)
{
    vbBuf b = {0};
    int callable_depth = -1, depth = 0;
    for (const char *p = t; *p;) {
        if (isIdent(*p) && (p == t || !isIdent(p[-1]))) {
            const char *q = p;
            while (isIdent(*q))
                q++;
            size_t len = (size_t)(q - p);
            bool dotted = p > t && p[-1] == '.';
            if (callable_depth < 0 && len == 8 && strncmp(p, "Callable", 8) == 0 && *q == '[')
                callable_depth = depth;
            if (callable_depth < 0 && !dotted && isMainClass(m, p, len)) {
                char *cls = vbStrndup(p, len);
                char *ac = aioClassName(cls);
                if (param)
                    vbBufPrintf(&b, "Union[%s, %s]", cls, ac);
                else
                    vbBufAdd(&b, ac);
                free(ac);
                free(cls);
            } else {
                vbBufAddN(&b, p, len);
            }
            p = q;
            continue;
        }
        if (*p == '[')
            depth++;
        else if (*p == ']' && --depth == callable_depth)
            callable_depth = -1;
        vbBufAddN(&b, p, 1);
        p++;
    }
    return vbBufSteal(&b);
}

static bool isAncestor(const vbModel *m, int anc, int cls)
{
    for (int c = cls; c >= 0; c = m->classes[c].parent)
        if (c == anc)
            return true;
    return false;
}

/* The model's rule for a method that stays synchronous (see the header). */
static bool aioSync(const vbModel *m, const vbPyStubFn *s)
{
    const vbFunction *f = &m->functions[s->fn];
    if (f->kind == VB_FN_PARENT_GETTER)
        return true;
    return f->kind == VB_FN_METHOD && f->nargs == 1 && f->ret.kind == VB_RET_STRING &&
           f->ret.transfer == VB_TRANSFER_NONE;
}

/* main-API classes, sorted by name */
static size_t aioClasses(const vbModel *m, int *cls)
{
    size_t n = 0;
    for (size_t c = 0; c < m->nclasses; c++)
        if (m->classes[c].src != VB_SRC_ADMIN)
            cls[n++] = (int)c;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(m->classes[cls[j - 1]].name, m->classes[cls[j]].name) > 0; j--) {
            int t = cls[j];
            cls[j] = cls[j - 1];
            cls[j - 1] = t;
        }
    return n;
}

/* ------------------------------------------------------------------ events */

typedef struct {
    int ev;         /* index into m->events */
    char *fam;      /* "domain", "storage_pool" ... */
    char *id;       /* "lifecycle", "block_job_2" ... */
    char *record;   /* "DomainLifecycleEvent" */
    char *objarg;   /* "dom" */
    const char *objcls;
} aioEvent;

static char *lower(const char *s)
{
    char *r = vbStrdup(s);
    for (char *q = r; *q; q++)
        *q = (char)(*q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q);
    return r;
}

/* "domain" -> "Domain", "storage_pool" + "block_job_2" -> "StoragePoolBlockJob2" */
static void camel(vbBuf *b, const char *snake)
{
    bool up = true;
    for (const char *p = snake; *p; p++) {
        if (*p == '_') {
            up = true;
            continue;
        }
        char c = *p;
        if (up && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        vbBufAddN(b, &c, 1);
        up = false;
    }
}

static int cmpEvent(const void *a, const void *b)
{
    const aioEvent *x = a, *y = b;
    return strcmp(x->record, y->record);
}

/* The typed event IDs (those with a callback type of at least conn, obj,
 * opaque), sorted by record name. */
static aioEvent *aioEvents(const vbModel *m, size_t *count)
{
    aioEvent *ev = vbAlloc((m->nevents + 1) * sizeof(aioEvent));
    size_t n = 0;
    for (size_t i = 0; i < m->nevents; i++) {
        const vbEventId *e = &m->events[i];
        if (e->functype < 0 || e->family < 0 || m->functypes[e->functype].nargs < 3)
            continue;
        const vbEventFamily *ef = &m->families[e->family];
        const char *cname = m->enums[e->enum_const].name;
        const char *idp = strstr(cname, "_EVENT_ID_");
        if (!ef->id_enum_type || ef->object_class < 0 || !idp || !vbStartsWith(cname, "VIR_"))
            continue;
        aioEvent *a = &ev[n++];
        a->ev = (int)i;
        char *fam = vbStrndup(cname + 4, (size_t)(idp - cname - 4));
        a->fam = lower(fam);
        free(fam);
        a->id = lower(idp + 10);
        vbBuf r = {0};
        camel(&r, a->fam);
        camel(&r, a->id);
        vbBufAdd(&r, "Event");
        a->record = vbBufSteal(&r);
        a->objarg = vbStrdup(m->functypes[e->functype].args[1].name);
        a->objcls = m->classes[ef->object_class].name;
    }
    qsort(ev, n, sizeof(aioEvent), cmpEvent);
    *count = n;
    return ev;
}

static void freeEvents(aioEvent *ev, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ev[i].fam);
        free(ev[i].id);
        free(ev[i].record);
        free(ev[i].objarg);
    }
    free(ev);
}

/* A payload argument's Python type, as the typed registration methods
 * deliver it (gen_python_stubs.c's event callback types). */
static char *payloadType(const vbModel *m, const vbEventId *e, const vbArg *a, bool quoted)
{
    if (a->role == VB_ROLE_TYPED_PARAMS)
        return e->tp_group >= 0 ? vbPrintf(quoted ? "\"_typed.%sParams\"" : "_typed.%sParams",
                                           m->tp_groups[e->tp_group].name)
                                : vbStrdup("dict[str, Union[int, float, bool, str]]");
    if (a->ctype.kind == VB_T_STRUCT && vbStrEq(a->ctype.base, "virDomainEventGraphicsAddress"))
        return vbStrdup("Optional[dict[str, Union[int, str]]]");
    if (a->ctype.kind == VB_T_STRUCT && vbStrEq(a->ctype.base, "virDomainEventGraphicsSubject"))
        return vbStrdup("Optional[list[tuple[str, str]]]");
    if (a->ctype.kind == VB_T_CHAR)
        return vbStrdup(a->nullable ? "Optional[str]" : "str");
    if (a->ctype.kind == VB_T_DOUBLE)
        return vbStrdup("float");
    if (a->ctype.kind == VB_T_BOOL)
        return vbStrdup("bool");
    return vbStrdup("int");
}

/* The typed registration's callback type (plain objects, as on virConnect):
 * Callable[[virConnect, obj, payload..., OPAQUE], object]. */
static char *callbackType(const vbModel *m, const aioEvent *a, const char *opaque)
{
    const vbEventId *e = &m->events[a->ev];
    const vbFunction *ft = &m->functypes[e->functype];
    vbBuf b = {0};
    vbBufPrintf(&b, "Callable[[virConnect, %s", a->objcls);
    for (size_t k = 2; k + 1 < ft->nargs; k++) {
        const vbArg *x = &ft->args[k];
        if (x->role == VB_ROLE_LENGTH || x->role == VB_ROLE_OPAQUE)
            continue;
        char *t = payloadType(m, e, x, false);
        vbBufPrintf(&b, ", %s", t);
        free(t);
    }
    vbBufPrintf(&b, ", %s], object]", opaque);
    return vbBufSteal(&b);
}

static void emitRecords(const vbModel *m, const aioEvent *ev, size_t nev, vbBuf *b)
{
    for (size_t i = 0; i < nev; i++) {
        const vbEventId *e = &m->events[ev[i].ev];
        const vbFunction *ft = &m->functypes[e->functype];
        char *objac = aioClassName(ev[i].objcls);
        vbBufPrintf(b, "\nclass %s(NamedTuple):\n"
                       "    \"\"\"%s (%s): one event of an EventStream.\"\"\"\n"
                       "    conn: \"AsyncConnect\"\n    %s: \"%s\"\n",
                    ev[i].record, m->enums[e->enum_const].name, ft->name, ev[i].objarg, objac);
        free(objac);
        for (size_t k = 2; k + 1 < ft->nargs; k++) {
            const vbArg *a = &ft->args[k];
            if (a->role == VB_ROLE_LENGTH || a->role == VB_ROLE_OPAQUE)
                continue;
            char *t = payloadType(m, e, a, true);
            vbBufPrintf(b, "    %s: %s\n", a->name, t);
            free(t);
        }
    }
}

/* The Python name of bound function cname, or NULL. */
static const char *boundName(const vbModel *m, const vbPyStubFn *fns, const char *cname)
{
    int f = vbModelFindFunction(m, cname);
    return f >= 0 && fns[f].bound && !fns[f].raw ? fns[f].pyname : NULL;
}

/* How a reconnecting connection finds an event filter's object again on
 * the new connection: the class's vir<Class>LookupByUUID with
 * vir<Class>GetUUID, else vir<Class>LookupByName with vir<Class>GetName. */
static void emitRelookup(const vbModel *m, const vbPyStubFn *fns, const aioEvent *ev, size_t nev,
                         vbBuf *b)
{
    vbBufAdd(b, "\n# An event filter's object on a new connection: class -> (key getter,\n"
                "# virConnect lookup), from vir<Class>GetUUID + vir<Class>LookupByUUID, else\n"
                "# vir<Class>GetName + vir<Class>LookupByName.\n"
                "RELOOKUP: dict[str, tuple[str, str]] = {\n");
    for (size_t i = 0; i < nev; i++) {
        if (i > 0 && strcmp(ev[i - 1].objcls, ev[i].objcls) == 0)
            continue;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(ev[k].objcls, ev[i].objcls) == 0;
        if (seen)
            continue;
        const char *cn = ev[i].objcls + 3;
        static const char *const keys[2][2] = { { "UUID", "UUID" }, { "Name", "Name" } };
        for (int k = 0; k < 2; k++) {
            char *get = vbPrintf("vir%sGet%s", cn, keys[k][0]);
            char *look = vbPrintf("vir%sLookupBy%s", cn, keys[k][1]);
            const char *g = boundName(m, fns, get), *l = boundName(m, fns, look);
            free(get);
            free(look);
            if (g && l) {
                vbBufPrintf(b, "    \"%s\": (\"%s\", \"%s\"),\n", ev[i].objcls, g, l);
                break;
            }
        }
    }
    vbBufAdd(b, "}\n");
}

/* ---------------------------------------------------------- _aio_model.py */

static void emitModelPy(const vbModel *m, const vbPyStubFn *fns, const int *order, size_t n,
                        const aioEvent *ev, size_t nev, vbBuf *b)
{
    int *cls = vbAlloc((m->nclasses + 1) * sizeof(int));
    size_t ncls = aioClasses(m, cls);
    vbPyStubHeader(m, b, "virtbind/_aio_model.py",
                   "what virtbind.aio derives from the\n# model (generator/gen_python_aio.c).");
    vbBufAdd(b, "\"\"\"virtbind._aio_model: the model's facts virtbind.aio works from\n"
                "(docs/python.md, \"asyncio\"): the methods that stay synchronous on the async\n"
                "wrappers, one record per event ID, the event table.\"\"\"\n"
                "from typing import TYPE_CHECKING, NamedTuple, Optional, Union\n\n"
                "if TYPE_CHECKING:\n"
                "    from virtbind import typed as _typed  # noqa: F401\n"
                "    from virtbind.aio import (  # noqa: F401\n");
    for (size_t i = 0; i < ncls; i++) {
        char *ac = aioClassName(m->classes[cls[i]].name);
        vbBufPrintf(b, "        %s,\n", ac);
        free(ac);
    }
    vbBufAdd(b, "    )\n\n"
                "# Methods that read the object handle only (parent getters, strings borrowed\n"
                "# from the object, c_pointer): synchronous on the async wrappers.\n"
                "NONBLOCKING: dict[str, tuple[str, ...]] = {\n");
    for (size_t i = 0; i < ncls; i++) {
        int c = cls[i];
        const char *cn = m->classes[c].name;
        char **names = vbAlloc((n + 16) * sizeof(char *));
        size_t nn = 0;
        for (size_t k = 0; k < n; k++) {
            const vbPyStubFn *s = &fns[order[k]];
            if (s->host == c && !s->event_register && aioSync(m, s))
                names[nn++] = s->pyname;
        }
        for (size_t k = 0; vbPyAccessors[k].pyname; k++) {
            const vbPyAccessor *a = &vbPyAccessors[k];
            int anc = vbModelFindClass(m, a->ancestor);
            if ((a->cls && strcmp(a->cls, cn) != 0) || anc < 0 || anc == c || !isAncestor(m, anc, c))
                continue;
            bool dup = false;
            for (size_t j = 0; j < nn && !dup; j++)
                dup = strcmp(names[j], a->pyname) == 0;
            if (!dup)
                names[nn++] = (char *)a->pyname;
        }
        names[nn++] = (char *)"c_pointer";
        for (size_t x = 1; x < nn; x++)
            for (size_t y = x; y > 0 && strcmp(names[y - 1], names[y]) > 0; y--) {
                char *t = names[y];
                names[y] = names[y - 1];
                names[y - 1] = t;
            }
        vbBufPrintf(b, "    \"%s\": (", cn);
        for (size_t k = 0; k < nn; k++)
            vbBufPrintf(b, "\"%s\",%s", names[k], k + 1 < nn ? " " : "");
        vbBufAdd(b, "),\n");
        free(names);
    }
    vbBufAdd(b, "}\n");
    emitRecords(m, ev, nev, b);
    vbBufAdd(b, "\n# (family, event name, event ID, object argument, object class, record)\n"
                "EVENTS: tuple[tuple[str, str, int, str, str, type], ...] = (\n");
    for (size_t i = 0; i < nev; i++)
        vbBufPrintf(b, "    (\"%s\", \"%s\", %lld, \"%s\", \"%s\", %s),\n", ev[i].fam, ev[i].id,
                    m->enums[m->events[ev[i].ev].enum_const].value, ev[i].objarg, ev[i].objcls,
                    ev[i].record);
    vbBufAdd(b, ")\n");
    emitRelookup(m, fns, ev, nev, b);
    free(cls);
}

/* ----------------------------------------------------------------- aio.pyi */

static const char aioPyiHead[] =
    "import asyncio\n"
    "import concurrent.futures\n"
    "from typing import Any, Callable, Generic, Literal, Mapping, Optional, TypeVar, Union, overload\n\n"
    "from virtbind import (_BlockJobInfo, _Callback, _DHCPLease, _DomainTime, _ErrorTuple, _Interface,\n"
    "                      _InterfaceAddress, _TPInput, _TPValue)\n"
    "from virtbind import typed as _typed\n"
    "from virtbind import libvirtError as libvirtError\n";

static const char aioPyiApi[] =
    "\n_T = TypeVar(\"_T\")\n"
    "_E = TypeVar(\"_E\")\n"
    "_Overflow = Literal[\"drop_oldest\", \"drop_newest\", \"raise\"]\n\n"
    "__all__: list[str]\n"
    "DEFAULT_WORKERS: int\n"
    "DEFAULT_MAXSIZE: int\n"
    "DEFAULT_BACKOFF: tuple[float, float]\n"
    "DEFAULT_KEEPALIVE: tuple[int, int]\n\n"
    "# libvirt's events on an asyncio loop\n"
    "class AsyncIOEventImpl:\n"
    "    loop: asyncio.AbstractEventLoop\n"
    "    def __init__(self, loop: asyncio.AbstractEventLoop) -> None: ...\n"
    "    def add_handle(self, fd: int, events: int, cb: Callable[[int, int, int, Any], object], opaque: Any) -> int: ...\n"
    "    def update_handle(self, h: int, events: int) -> None: ...\n"
    "    def remove_handle(self, h: int) -> int: ...\n"
    "    def add_timeout(self, ms: int, cb: Callable[[int, Any], object], opaque: Any) -> int: ...\n"
    "    def update_timeout(self, t: int, ms: int) -> None: ...\n"
    "    def remove_timeout(self, t: int) -> int: ...\n"
    "    def register(self) -> AsyncIOEventImpl: ...\n"
    "    def rebind(self, loop: asyncio.AbstractEventLoop) -> None: ...\n"
    "    def pending(self) -> tuple[int, int]: ...\n"
    "def register(loop: Optional[asyncio.AbstractEventLoop] = None) -> AsyncIOEventImpl: ...\n"
    "def get_current() -> Optional[AsyncIOEventImpl]: ...\n\n"
    "# the worker pool blocking calls run on\n"
    "def set_workers(n: int) -> None: ...\n"
    "def workers() -> int: ...\n"
    "def in_flight() -> int: ...\n"
    "def executor() -> concurrent.futures.ThreadPoolExecutor: ...\n"
    "async def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...\n"
    "def wrap(obj: Any) -> Any: ...\n\n"
    "# event streams\n"
    "class EventOverflow(Exception):\n"
    "    dropped: int\n"
    "class EventStream(Generic[_E]):\n"
    "    family: str\n"
    "    event_id: int\n"
    "    maxsize: int\n"
    "    overflow: _Overflow\n"
    "    dropped: int\n"
    "    registrations: int\n"
    "    closed: bool\n"
    "    def __aiter__(self) -> EventStream[_E]: ...\n"
    "    async def __anext__(self) -> _E: ...\n"
    "    async def get(self) -> _E: ...\n"
    "    def qsize(self) -> int: ...\n"
    "    async def aclose(self) -> None: ...\n"
    "    async def __aenter__(self) -> EventStream[_E]: ...\n"
    "    async def __aexit__(self, *args: object) -> None: ...\n\n"
    "# connections\n"
    "async def open(name: Optional[str] = None, *, readonly: bool = False, auth: Optional[list[Any]] = None,\n"
    "               flags: int = 0, reconnect: bool = False, backoff: tuple[float, float] = ...,\n"
    "               keepalive: Optional[tuple[int, int]] = ..., events: bool = True) -> AsyncConnect: ...\n"
    "async def openReadOnly(name: Optional[str] = None, *, reconnect: bool = False,\n"
    "                       backoff: tuple[float, float] = ..., keepalive: Optional[tuple[int, int]] = ...,\n"
    "                       events: bool = True) -> AsyncConnect: ...\n"
    "async def openAuth(uri: Optional[str], auth: list[Any], flags: int = 0, *, reconnect: bool = False,\n"
    "                   backoff: tuple[float, float] = ..., keepalive: Optional[tuple[int, int]] = ...,\n"
    "                   events: bool = True) -> AsyncConnect: ...\n";

static void emitAioDef(const vbModel *m, vbBuf *b, const vbPyStubFn *s, bool sync)
{
    const vbFunction *f = &m->functions[s->fn];
    if (s->event_register && f->event_family >= 0 && f->nargs > 1 &&
        m->families[f->event_family].object_class >= 0) {
        /* <family>EventRegisterAny(obj, eventID, cb, opaque): the callback
         * type depends on the ID; the typed methods check it */
        const char *oc = m->classes[m->families[f->event_family].object_class].name;
        char *ac = aioClassName(oc);
        vbBufPrintf(b, "    async def %s(self, %s: Optional[Union[%s, %s]], eventID: int, "
                       "cb: _Callback, opaque: object) -> int: ...\n",
                    s->pyname, f->args[1].name, oc, ac);
        free(ac);
        return;
    }
    if (s->raw || s->event_register) {
        vbBufPrintf(b, "    %sdef %s(self, *args: Any, **kwargs: Any) -> Any: ...\n",
                    sync ? "" : "async ", s->pyname);
        return;
    }
    vbBufPrintf(b, "    %sdef %s(self", sync ? "" : "async ", s->pyname);
    for (size_t i = 0; i < s->nparams; i++) {
        const vbPyStubParam *p = &s->params[i];
        char *t = aioType(m, p->type, true);
        vbBufPrintf(b, ", %s: %s", p->name, t);
        if (p->deflt)
            vbBufPrintf(b, " = %s", p->deflt);
        free(t);
    }
    char *r = aioType(m, s->ret, false);
    vbBufPrintf(b, ") -> %s: ...\n", r);
    free(r);
}

static void emitStreams(const vbModel *m, const aioEvent *ev, size_t nev, vbBuf *b)
{
    /* per family: <family>_events(eventID, obj=None) with one overload per ID */
    for (size_t i = 0; i < nev; i++) {
        if (i > 0 && strcmp(ev[i - 1].fam, ev[i].fam) == 0)
            continue;
        size_t nfam = 0;
        for (size_t k = 0; k < nev; k++)
            nfam += strcmp(ev[k].fam, ev[i].fam) == 0;
        char *objac = aioClassName(ev[i].objcls);
        for (size_t k = 0; k < nev; k++) {
            if (strcmp(ev[k].fam, ev[i].fam) != 0)
                continue;
            vbBufPrintf(b, "    @overload\n"
                           "    def %s_events(self, eventID: Literal[%lld], %s: Optional[Union[%s, %s]] = None, *, "
                           "maxsize: int = ..., overflow: _Overflow = ...) -> EventStream[%s]: ...\n",
                        ev[k].fam, m->enums[m->events[ev[k].ev].enum_const].value, ev[k].objarg,
                        ev[k].objcls, objac, ev[k].record);
        }
        vbBufPrintf(b, "    @overload\n"
                       "    def %s_events(self, eventID: int, %s: Optional[Union[%s, %s]] = None, *, "
                       "maxsize: int = ..., overflow: _Overflow = ...) -> EventStream[Any]: ...\n",
                    ev[i].fam, ev[i].objarg, ev[i].objcls, objac);
        free(objac);
        (void)nfam;
    }
    /* per event ID: <family>_<id>_events(obj=None) */
    char **lines = vbAlloc((nev + 1) * sizeof(char *));
    for (size_t i = 0; i < nev; i++) {
        char *objac = aioClassName(ev[i].objcls);
        lines[i] = vbPrintf("    def %s_%s_events(self, %s: Optional[Union[%s, %s]] = None, *, "
                            "maxsize: int = ..., overflow: _Overflow = ...) -> EventStream[%s]: ...\n",
                            ev[i].fam, ev[i].id, ev[i].objarg, ev[i].objcls, objac, ev[i].record);
        free(objac);
    }
    for (size_t x = 1; x < nev; x++)
        for (size_t y = x; y > 0 && strcmp(lines[y - 1], lines[y]) > 0; y--) {
            char *t = lines[y];
            lines[y] = lines[y - 1];
            lines[y - 1] = t;
        }
    for (size_t i = 0; i < nev; i++) {
        vbBufAdd(b, lines[i]);
        free(lines[i]);
    }
    free(lines);
}

static void emitPyi(const vbModel *m, const vbPyStubFn *fns, const int *order, size_t n,
                    const aioEvent *ev, size_t nev, vbBuf *b)
{
    int *cls = vbAlloc((m->nclasses + 1) * sizeof(int));
    size_t ncls = aioClasses(m, cls);
    vbPyStubHeader(m, b, "virtbind/aio.pyi",
                   "types of virtbind.aio (asyncio):\n# the async wrapper of every class, event "
                   "streams (generator/gen_python_aio.c).");
    vbBufAdd(b, aioPyiHead);
    vbBufAdd(b, "from virtbind import (");
    for (size_t i = 0; i < ncls; i++)
        vbBufPrintf(b, "%s%s", i ? ", " : "", m->classes[cls[i]].name);
    vbBufAdd(b, ")\nfrom virtbind._aio_model import (");
    for (size_t i = 0; i < nev; i++)
        vbBufPrintf(b, "%s%s as %s", i ? ", " : "", ev[i].record, ev[i].record);
    vbBufAdd(b, ")\n");
    vbBufAdd(b, aioPyiApi);
    for (size_t ci = 0; ci < ncls; ci++) {
        int c = cls[ci];
        const char *cn = m->classes[c].name;
        char *ac = aioClassName(cn);
        vbBufPrintf(b, "\nclass %s:\n"
                       "    \"\"\"%s's async wrapper: blocking methods are coroutines run on the "
                       "worker pool.\"\"\"\n"
                       "    @property\n    def sync(self) -> %s: ...\n"
                       "    def __init__(self, obj: %s) -> None: ...\n",
                    ac, cn, cn, cn);
        bool root = m->classes[c].free_fn >= 0 && strstr(m->functions[m->classes[c].free_fn].name, "Close");
        if (root)
            vbBufPrintf(b, "    reconnects: int\n"
                           "    @property\n    def connected(self) -> bool: ...\n"
                           "    async def wait_connected(self) -> None: ...\n"
                           "    async def __aenter__(self) -> %s: ...\n"
                           "    async def __aexit__(self, *args: object) -> None: ...\n", ac);
        /* methods, by Python name (order is sorted by Python name) */
        char **names = vbAlloc((n + 16) * sizeof(char *));
        size_t nn = 0;
        for (size_t k = 0; k < n; k++)
            if (fns[order[k]].host == c)
                names[nn++] = vbPrintf("%s\t%d", fns[order[k]].pyname, order[k]);
        for (size_t k = 0; vbPyAccessors[k].pyname; k++) {
            const vbPyAccessor *a = &vbPyAccessors[k];
            int anc = vbModelFindClass(m, a->ancestor);
            if ((a->cls && strcmp(a->cls, cn) != 0) || anc < 0 || anc == c || !isAncestor(m, anc, c))
                continue;
            bool dup = false;
            for (size_t j = 0; j < n && !dup; j++)
                dup = fns[order[j]].host == c && strcmp(fns[order[j]].pyname, a->pyname) == 0;
            if (!dup)
                names[nn++] = vbPrintf("%s\t-%zu", a->pyname, k + 1);
        }
        names[nn++] = vbStrdup("c_pointer\t-1000");
        for (size_t x = 1; x < nn; x++)
            for (size_t y = x; y > 0 && strcmp(names[y - 1], names[y]) > 0; y--) {
                char *t = names[y];
                names[y] = names[y - 1];
                names[y - 1] = t;
            }
        for (size_t k = 0; k < nn; k++) {
            char *tab = strchr(names[k], '\t');
            long id = strtol(tab + 1, NULL, 10);
            *tab = 0;
            if (id == -1000) {
                vbBufAdd(b, "    def c_pointer(self) -> int: ...\n");
            } else if (id < 0) {
                char *r = aioClassName(vbPyAccessors[-id - 1].ancestor);
                vbBufPrintf(b, "    def %s(self) -> %s: ...\n", names[k], r);
                free(r);
            } else {
                const vbPyStubFn *s = &fns[id];
                emitAioDef(m, b, s, !s->event_register && aioSync(m, s));
            }
            free(names[k]);
        }
        free(names);
        /* virtbind.typed's methods, attached at `import virtbind` (gen_python_typed.c) */
        vbPyTypedClassStubs(m, fns, c, true, b);
        if (root) {
            /* the typed event registrations and their deregistrations, as on
             * virConnect (callbacks get plain objects), then the streams */
            char **reg = vbAlloc((nev * 2 + 2) * sizeof(char *));
            size_t nr = 0;
            /* virConnect.supports (virtbind/_features.py, attached at import) */
            reg[nr++] = vbStrdup("    async def supports(self, name: str) -> bool: ...\n");
            for (size_t i = 0; i < nev; i++) {
                /* the three forms of __init__.pyi: without opaque (the
                 * callback's last parameter is None), opaque positional, keyword */
                char *cbn = callbackType(m, &ev[i], "None"), *cbt = callbackType(m, &ev[i], "_T");
                char *objac = aioClassName(ev[i].objcls);
                char *obj = vbPrintf("%s: Optional[Union[%s, %s]]", ev[i].objarg, ev[i].objcls, objac);
                reg[nr++] = vbPrintf(
                    "    @overload\n"
                    "    async def %s_event_%s_register(self, callback: %s, %s = None) -> int: ...\n"
                    "    @overload\n"
                    "    async def %s_event_%s_register(self, callback: %s, %s, opaque: _T) -> int: ...\n"
                    "    @overload\n"
                    "    async def %s_event_%s_register(self, callback: %s, %s = None, *, opaque: _T) -> int: ...\n",
                    ev[i].fam, ev[i].id, cbn, obj, ev[i].fam, ev[i].id, cbt, obj, ev[i].fam, ev[i].id,
                    cbt, obj);
                free(cbn);
                free(cbt);
                free(objac);
                free(obj);
                if (i == 0 || strcmp(ev[i - 1].fam, ev[i].fam) != 0)
                    reg[nr++] = vbPrintf("    async def %s_event_deregister(self, callbackID: int) "
                                         "-> None: ...\n", ev[i].fam);
            }
            for (size_t x = 1; x < nr; x++)
                for (size_t y = x; y > 0 && strcmp(reg[y - 1], reg[y]) > 0; y--) {
                    char *t = reg[y];
                    reg[y] = reg[y - 1];
                    reg[y - 1] = t;
                }
            for (size_t i = 0; i < nr; i++) {
                vbBufAdd(b, reg[i]);
                free(reg[i]);
            }
            free(reg);
            emitStreams(m, ev, nev, b);
        }
        free(ac);
    }
    free(cls);
}

void vbPyAioModule(const vbModel *m, const vbPyStubFn *fns, const int *order, size_t n,
                   vbBuf *model_py, vbBuf *pyi)
{
    size_t nev = 0;
    aioEvent *ev = aioEvents(m, &nev);
    emitModelPy(m, fns, order, n, ev, nev, model_py);
    emitPyi(m, fns, order, n, ev, nev, pyi);
    freeEvents(ev, nev);
}
