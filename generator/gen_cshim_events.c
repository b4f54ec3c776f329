/* gen_cshim_events.c — typed event registration for libvirtbind: for every
 * event ID of model->events, a register function whose callback parameter
 * has the exact callback type libvirt calls for that ID, so that passing a
 * callback of the wrong shape is a compile error instead of a crash:
 *
 *   int virtbindConnectDomainEventLifecycleRegister(virConnectPtr conn,
 *       virDomainPtr dom, virConnectDomainEventCallback cb, void *opaque,
 *       virFreeCallback freecb);
 *   int virtbindConnectDomainEventLifecycleDeregister(virConnectPtr conn,
 *       int callbackID);
 *
 * The signature is the family's register function (virConnect<Family>Event-
 * RegisterAny) without the event ID argument, the generic callback type
 * replaced by the ID's own.  Families without IDs (QemuMonitor) get one
 * register/deregister pair with the family's own signature; DomainLegacy
 * (virConnectDomainEventRegister) is already typed and is left out. */
#include "gen_cshim.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const vbEventId *ev;
    const char *id;      /* VIR_DOMAIN_EVENT_ID_LIFECYCLE */
} evRef;

static int cmpEv(const void *a, const void *b)
{
    return strcmp(((const evRef *)a)->id, ((const evRef *)b)->id);
}

/* BLOCK_JOB_2 -> BlockJob2 */
static char *camel(const char *s)
{
    vbBuf b = {0};
    bool up = true;
    for (; *s; s++) {
        if (*s == '_') {
            up = true;
            continue;
        }
        char ch = up ? (char)toupper((unsigned char)*s) : (char)tolower((unsigned char)*s);
        vbBufAddN(&b, &ch, 1);
        up = false;
    }
    if (!b.s)
        vbBufAdd(&b, "");
    return vbBufSteal(&b);
}

static int findArg(const vbFunction *fn, vbArgRole role)
{
    for (size_t i = 0; i < fn->nargs; i++) {
        if (fn->args[i].role == role)
            return (int)i;
    }
    return -1;
}

static int findArgNamed(const vbFunction *fn, const char *name)
{
    for (size_t i = 0; i < fn->nargs; i++) {
        if (strcmp(fn->args[i].name, name) == 0)
            return (int)i;
    }
    return -1;
}

/* register + deregister of one ID (ENUMNAME) or of a whole family (NULL) */
static void emitPair(vbBuf *h, vbBuf *c, const vbModel *m, const vbEventFamily *fam,
                     const char *base, const char *enumname, const vbFunction *cbtype)
{
    const vbFunction *reg = &m->functions[fam->register_fn];
    const vbFunction *dereg = &m->functions[fam->deregister_fn];
    int cbarg = findArg(reg, VB_ROLE_CALLBACK);
    int idarg = enumname ? findArgNamed(reg, "eventID") : -1;
    char *rname = vbPrintf("virtbind%sRegister", base);
    char *dname = vbPrintf("virtbind%sDeregister", base);

    vbBuf sig = {0};
    vbBufPrintf(&sig, "int %s(", rname);
    bool first = true;
    for (size_t i = 0; i < reg->nargs; i++) {
        if ((int)i == idarg)
            continue;
        if (!first)
            vbBufAdd(&sig, ", ");
        first = false;
        if ((int)i == cbarg && cbtype)
            vbCShimArgDecl(&sig, cbtype->name, reg->args[i].name);
        else
            vbCShimArgDecl(&sig, reg->args[i].type, reg->args[i].name);
    }
    vbBufAdd(&sig, ")");
    if (enumname)
        vbBufPrintf(h, "/* %s: %s calls cb as a %s.\n * Returns the callback ID for %s, or -1. */\n",
                    enumname, reg->name, cbtype ? cbtype->name : "?", dname);
    else
        vbBufPrintf(h, "/* %s, for symmetry with the per-ID functions.\n"
                       " * Returns the callback ID for %s, or -1. */\n", reg->name, dname);
    vbBufPrintf(h, "%s;\n", sig.s);
    vbBufPrintf(c, "%s\n{\n    return %s(", sig.s, reg->name);
    for (size_t i = 0; i < reg->nargs; i++) {
        if (i)
            vbBufAdd(c, ", ");
        if ((int)i == idarg)
            vbBufAdd(c, enumname);
        else if ((int)i == cbarg && enumname)
            vbBufPrintf(c, "(%s)(void (*)(void))%s", reg->args[i].type, reg->args[i].name);
        else
            vbBufAdd(c, reg->args[i].name);
    }
    vbBufAdd(c, ");\n}\n\n");
    vbBufClear(&sig);

    vbBufPrintf(&sig, "int %s(", dname);
    for (size_t i = 0; i < dereg->nargs; i++) {
        if (i)
            vbBufAdd(&sig, ", ");
        vbCShimArgDecl(&sig, dereg->args[i].type, dereg->args[i].name);
    }
    vbBufAdd(&sig, ")");
    vbBufPrintf(h, "%s;\n\n", sig.s);
    vbBufPrintf(c, "%s\n{\n    return %s(", sig.s, dereg->name);
    for (size_t i = 0; i < dereg->nargs; i++)
        vbBufPrintf(c, "%s%s", i ? ", " : "", dereg->args[i].name);
    vbBufAdd(c, ");\n}\n\n");
    vbBufClear(&sig);
    free(rname);
    free(dname);
}

/* For an event whose callback carries typed parameters (tunable, job
 * completed): a registration taking a callback that receives the unpacked
 * struct instead of params/nparams, through a trampoline that owns a small
 * context (freed, after the caller's freecb, when libvirt releases it). */
static void emitParamsEvent(vbBuf *h, vbBuf *c, const vbModel *m, const vbEventFamily *fam,
                            const char *base, const char *id, const vbFunction *ft,
                            const char *group)
{
    const vbFunction *reg = &m->functions[fam->register_fn];
    int pa = ft->tp_params_arg, ca = ft->tp_count_arg;
    int opq = findArg(ft, VB_ROLE_OPAQUE);
    int objarg = -1;
    for (size_t i = 0; i < reg->nargs; i++) {
        if (reg->args[i].role == VB_ROLE_OBJECT)
            objarg = (int)i;
    }
    if (pa < 0 || ca < 0 || opq < 0 || objarg < 0 || reg->args[0].role != VB_ROLE_SELF)
        return;
    char *st = vbPrintf("virtbind%sParams", group);
    char *cbt = vbPrintf("virtbind%sParamsCallback", base);
    char *ctx = vbPrintf("vb%sParamsCtx", base);

    /* the callback type */
    vbBufPrintf(h, "/* %s with the parameters unpacked: params is valid during the call only\n"
                   " * (an empty struct if unpacking ran out of memory). */\n"
                   "typedef void (*%s)(", id, cbt);
    for (size_t i = 0; i < ft->nargs; i++) {
        if ((int)i == ca)
            continue;
        if (i)
            vbBufAdd(h, ", ");
        if ((int)i == pa)
            vbBufPrintf(h, "const %s *%s", st, ft->args[i].name);
        else
            vbCShimArgDecl(h, ft->args[i].type, ft->args[i].name);
    }
    vbBufAdd(h, ");\n");
    vbBufPrintf(h, "/* Register CB for %s; deregister with virtbind%sDeregister.\n"
                   " * freecb(opaque) runs when libvirt releases the callback. */\n"
                   "int virtbind%sParamsRegister(virConnectPtr conn, %s %s, %s cb, void *opaque,\n"
                   "        virFreeCallback freecb);\n\n",
                id, base, base, reg->args[objarg].type, reg->args[objarg].name, cbt);

    vbBufPrintf(c, "typedef struct {\n    %s cb;\n    void *opaque;\n    virFreeCallback freecb;\n} %s;\n\n",
                cbt, ctx);
    vbBufPrintf(c, "static void %sTrampoline(", ctx);
    for (size_t i = 0; i < ft->nargs; i++) {
        if (i)
            vbBufAdd(c, ", ");
        vbCShimArgDecl(c, ft->args[i].type, ft->args[i].name);
    }
    vbBufPrintf(c, ")\n{\n    %s *vb_ctx = %s;\n    %s vb_p;\n\n"
                   "    %sUnpack(%s, %s, &vb_p);\n    vb_ctx->cb(",
                ctx, ft->args[opq].name, st, st, ft->args[pa].name, ft->args[ca].name);
    bool first = true;
    for (size_t i = 0; i < ft->nargs; i++) {
        if ((int)i == ca)
            continue;
        if (!first)
            vbBufAdd(c, ", ");
        first = false;
        if ((int)i == pa)
            vbBufAdd(c, "&vb_p");
        else if ((int)i == opq)
            vbBufAdd(c, "vb_ctx->opaque");
        else
            vbBufAdd(c, ft->args[i].name);
    }
    vbBufPrintf(c, ");\n    %sClear(&vb_p);\n}\n\n", st);
    vbBufPrintf(c, "static void %sFree(void *opaque)\n{\n    %s *vb_ctx = opaque;\n\n"
                   "    if (vb_ctx->freecb)\n        vb_ctx->freecb(vb_ctx->opaque);\n"
                   "    free(vb_ctx);\n}\n\n", ctx, ctx);
    vbBufPrintf(c, "int virtbind%sParamsRegister(virConnectPtr conn, %s %s, %s cb, void *opaque,\n"
                   "        virFreeCallback freecb)\n{\n"
                   "    %s *vb_ctx;\n    int vb_id;\n\n"
                   "    if (!cb) {\n        errno = EINVAL;\n        return -1;\n    }\n"
                   "    if (!(vb_ctx = calloc(1, sizeof(*vb_ctx))))\n        return -1;\n"
                   "    vb_ctx->cb = cb;\n    vb_ctx->opaque = opaque;\n    vb_ctx->freecb = freecb;\n"
                   "    vb_id = virtbind%sRegister(conn, %s, %sTrampoline, vb_ctx, %sFree);\n"
                   "    if (vb_id < 0)\n        free(vb_ctx);   /* libvirt did not take it */\n"
                   "    return vb_id;\n}\n\n",
                base, reg->args[objarg].type, reg->args[objarg].name, cbt, ctx, base,
                reg->args[objarg].name, ctx, ctx);
    free(st);
    free(cbt);
    free(ctx);
}

int vbCShimEvents(const vbModel *m, vbBuf *h, vbBuf *c)
{
    vbCShimHeaderComment(h, m, "virtbind/events.h",
                         "typed registration of libvirt event callbacks:\n"
                         " * one register/deregister pair per event ID, taking that ID's exact callback type.");
    vbBufAdd(h, "#ifndef VIRTBIND_EVENTS_H\n#define VIRTBIND_EVENTS_H\n\n"
                "#include <libvirt/libvirt.h>\n#include <libvirt/libvirt-qemu.h>\n\n"
                "#include <virtbind/typedparams.h>\n\n"
                "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
    vbCShimHeaderComment(c, m, "events.c", "typed event registration of libvirtbind.");
    vbBufAdd(c, "#include \"virtbind/events.h\"\n\n#include <errno.h>\n#include <stdlib.h>\n\n");

    evRef *evs = vbAlloc((m->nevents ? m->nevents : 1) * sizeof(*evs));
    size_t nev = 0;
    for (size_t i = 0; i < m->nevents; i++) {
        const vbEventId *e = &m->events[i];
        if (e->enum_const < 0 || e->family < 0 || e->functype < 0)
            continue;
        evs[nev].ev = e;
        evs[nev].id = m->enums[e->enum_const].name;
        nev++;
    }
    qsort(evs, nev, sizeof(*evs), cmpEv);

    size_t nemitted = 0;
    for (size_t i = 0; i < nev; i++) {
        const vbEventId *e = evs[i].ev;
        const vbEventFamily *fam = &m->families[e->family];
        const char *id = evs[i].id;
        const char *p = strstr(id, "_EVENT_ID_");
        if (!p || fam->register_fn < 0 || fam->deregister_fn < 0)
            continue;
        char *suffix = camel(p + strlen("_EVENT_ID_"));
        char *base = vbPrintf("Connect%sEvent%s", fam->name, suffix);
        emitPair(h, c, m, fam, base, id, &m->functypes[e->functype]);
        if (e->tp_group >= 0)
            emitParamsEvent(h, c, m, fam, base, id, &m->functypes[e->functype],
                            m->tp_groups[e->tp_group].name);
        free(base);
        free(suffix);
        nemitted++;
    }
    free(evs);

    /* families without per-ID registration */
    size_t nfam = 0;
    for (size_t f = 0; f < m->nfamilies; f++) {
        const vbEventFamily *fam = &m->families[f];
        if (fam->id_enum_type || fam->register_fn < 0 || fam->deregister_fn < 0)
            continue;
        const vbFunction *reg = &m->functions[fam->register_fn];
        if (findArgNamed(reg, "eventID") >= 0 || vbStrEq(fam->name, "DomainLegacy"))
            continue;
        /* virConnectDomainQemuMonitorEventRegister -> ConnectDomainQemuMonitorEvent */
        const char *rn = vbStartsWith(reg->name, "vir") ? reg->name + 3 : reg->name;
        size_t len = strlen(rn);
        if (vbEndsWith(rn, "Register"))
            len -= strlen("Register");
        char *base = vbStrndup(rn, len);
        emitPair(h, c, m, fam, base, NULL, NULL);
        free(base);
        nfam++;
    }
    vbBufPrintf(h, "#define VIRTBIND_EVENT_NIDS %zu\n\n", nemitted);
    vbBufAdd(h, "#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
    (void)nfam;
    return 0;
}
