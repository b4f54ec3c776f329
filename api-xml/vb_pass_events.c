/* vb_pass_events.c — event facts: the event families (one per register
 * function: Domain, Network, StoragePool, NodeDevice, Secret, the legacy
 * domain lifecycle registration and the QEMU monitor event), every event
 * ID of each family and the callback type that ID delivers (the XML gives
 * it in the ID's info text), plus the _LAST sentinels of every enum. */
#include "vb_internal.h"

#include <stdlib.h>
#include <string.h>

/* A _LAST constant that is its enum's largest value is a sentinel that
 * grows with libvirt, not an API value. */
static void vbMarkLastSentinels(vbModel *m)
{
    for (size_t i = 0; i < m->nenums; i++) {
        vbEnumConst *e = &m->enums[i];
        if (!vbEndsWith(e->name, "_LAST"))
            continue;
        bool highest = true;
        for (size_t k = 0; k < m->nenums && highest; k++)
            if (k != i && vbStrEq(m->enums[k].type, e->type) && m->enums[k].value > e->value)
                highest = false;
        e->is_last = highest;
    }
}

/* "virConnectNetworkEventRegisterAny" -> "Network"; the legacy
 * "virConnectDomainEventRegister" -> "DomainLegacy";
 * "virConnectDomainQemuMonitorEventRegister" -> "QemuMonitor". */
static char *vbFamilyName(const char *reg)
{
    const char *p = reg + strlen("virConnect");
    const char *ev = strstr(p, "EventRegister");
    if (!vbStartsWith(reg, "virConnect") || !ev)
        return NULL;
    if (vbStartsWith(p, "DomainQemuMonitor"))
        return vbStrdup("QemuMonitor");
    if (!vbEndsWith(reg, "RegisterAny"))
        return vbPrintf("%.*sLegacy", (int)(ev - p), p);
    return vbStrndup(p, (size_t)(ev - p));
}

static void vbAddFamily(vbModel *m, size_t *cap, int reg)
{
    const vbFunction *fn = &m->functions[reg];
    char *name = vbFamilyName(fn->name);
    if (!name) {
        vbModelUnclassified(m, fn->src, fn->line, "%s: event registration of no known shape", fn->name);
        return;
    }
    vbEventFamily *f = VB_PUSH(m->families, m->nfamilies, *cap);
    f->name = name;
    f->register_fn = reg;
    f->object_class = -1;
    /* ...RegisterAny -> ...DeregisterAny, ...Register -> ...Deregister */
    const char *at = strstr(fn->name, "Register");
    char *dereg = vbPrintf("%.*sDeregister%s", (int)(at - fn->name), fn->name, at + strlen("Register"));
    f->deregister_fn = vbModelFindFunction(m, dereg);
    if (f->deregister_fn < 0)
        vbModelUnclassified(m, fn->src, fn->line, "%s has no matching %s", fn->name, dereg);
    else
        m->functions[f->deregister_fn].event_family = (int)m->nfamilies - 1;
    free(dereg);
    m->functions[reg].event_family = (int)m->nfamilies - 1;
    for (size_t i = 1; i < fn->nargs; i++)
        if (fn->args[i].role == VB_ROLE_OBJECT)
            f->object_class = fn->args[i].ctype.ref;
    if (vbEndsWith(fn->name, "RegisterAny")) {
        char *idtype = vbPrintf("vir%sEventID", name);
        if (vbModelFindTypedef(m, idtype) >= 0)
            f->id_enum_type = idtype;
        else {
            vbModelUnclassified(m, fn->src, fn->line, "%s: no enum type %s for its event IDs", fn->name, idtype);
            free(idtype);
        }
    }
}

static void vbAddEventIds(vbModel *m, vbAnnotations *a, int fam, size_t *cap)
{
    const vbEventFamily *f = &m->families[fam];
    for (size_t i = 0; f->id_enum_type && i < m->nenums; i++) {
        const vbEnumConst *e = &m->enums[i];
        if (!vbStrEq(e->type, f->id_enum_type) || e->is_last)
            continue;
        vbAnnotation *an = vbAnnotationsFind(a, "event", e->name);
        const char *cb = an ? vbAnnotationGet(an, "callback") : e->info;
        int ft = vbModelFindFunctype(m, cb);
        if (ft < 0) {
            vbModelUnclassified(m, e->src, e->line,
                                "event %s: its info names no callback type ('%s'); add 'event %s callback=...'",
                                e->name, cb ? cb : "", e->name);
            continue;
        }
        vbEventId *ev = VB_PUSH(m->events, m->nevents, *cap);
        ev->enum_const = (int)i;
        ev->family = fam;
        ev->functype = ft;
        ev->tp_group = m->functypes[ft].tp_group;
    }
}

/* Families without IDs deliver one callback type: the register function's. */
static void vbCheckCallbacks(vbModel *m)
{
    for (size_t f = 0; f < m->nfamilies; f++) {
        const vbFunction *fn = &m->functions[m->families[f].register_fn];
        bool has_cb = false;
        for (size_t i = 0; i < fn->nargs; i++)
            has_cb |= fn->args[i].role == VB_ROLE_CALLBACK;
        if (!has_cb)
            vbModelUnclassified(m, fn->src, fn->line, "%s registers no callback", fn->name);
    }
}

void vbClassifyEvents(vbModel *m, vbAnnotations *a)
{
    size_t fcap = 0, ecap = 0;
    vbMarkLastSentinels(m);
    for (size_t i = 0; i < m->nfunctions; i++)
        if (m->functions[i].kind == VB_FN_EVENT_REGISTER)
            vbAddFamily(m, &fcap, (int)i);
    for (size_t i = 0; i < m->nfunctions; i++) {
        const vbFunction *fn = &m->functions[i];
        if (fn->kind == VB_FN_EVENT_DEREGISTER && fn->event_family < 0)
            vbModelUnclassified(m, fn->src, fn->line, "%s deregisters no known registration", fn->name);
    }
    for (size_t f = 0; f < m->nfamilies; f++)
        vbAddEventIds(m, a, (int)f, &ecap);
    vbCheckCallbacks(m);
}
