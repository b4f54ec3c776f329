/* cov_python.c — owns the --python-module input: turns the judged items into
 * probes, runs the interpreter on the embedded script (cov_pyscript.c) with
 * the probes on its stdin, reads its answers from its stdout, and decides
 * each item from its probes (events need their constant and either a
 * manifest "event:" key or, without a manifest, a bound register function). */
#include "cov.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef enum {
    COV_PROBE_FUNC, COV_PROBE_INT, COV_PROBE_STR, COV_PROBE_ATTR, COV_PROBE_EVENT,
    COV_PROBE_ENUMTYPE,   /* ARG: the type's values without _LAST, comma-separated */
} covProbeKind;

static const char *const covProbeKindNames[] = { "func", "int", "str", "attr", "event",
                                                 "enumtype" };

typedef struct {
    covProbeKind kind;
    vbSource src;
    const char *name;
    long long ival;
    const char *sval;
    char *owned;       /* sval when the probe built it */
    bool answered;
    bool ok;
    char *why;
} covProbe;

typedef struct {
    covProbe *p;
    size_t n;
    size_t cap;
    int (*of_item)[3];   /* per item: up to three probe indexes, -1 unused */
    bool manifest;       /* the module has __virtbind_manifest__ */
    bool done;
    vbBuf notes;
} covProbeSet;

static int covAddProbe(covProbeSet *ps, covProbeKind kind, vbSource src, const char *name)
{
    covProbe *p = VB_PUSH(ps->p, ps->n, ps->cap);
    p->kind = kind;
    p->src = src;
    p->name = name;
    return (int)(ps->n - 1);
}

static int covAddValueProbe(covProbeSet *ps, const vbModel *m, const covItem *it)
{
    if (it->kind == COV_KIND_ENUMS) {
        int i = covAddProbe(ps, COV_PROBE_INT, it->src, it->name);
        ps->p[i].ival = m->enums[it->index].value;
        return i;
    }
    const vbMacro *mc = &m->macros[it->index];
    if (!mc->string)
        return covAddProbe(ps, COV_PROBE_ATTR, it->src, it->name);
    int i = covAddProbe(ps, COV_PROBE_STR, it->src, it->name);
    ps->p[i].sval = mc->string;
    return i;
}

/* An event ID: its constant, the manifest key, the family's register function. */
static void covAddEventProbes(covProbeSet *ps, const vbModel *m, const covItem *it, int *slots)
{
    const vbEventId *ev = &m->events[it->index];
    slots[0] = covAddProbe(ps, COV_PROBE_INT, it->src, it->name);
    ps->p[slots[0]].ival = m->enums[ev->enum_const].value;
    slots[1] = covAddProbe(ps, COV_PROBE_EVENT, it->src, it->name);
    if (ev->family < 0 || (size_t)ev->family >= m->nfamilies)
        return;
    int fn = m->families[ev->family].register_fn;
    if (fn < 0 || (size_t)fn >= m->nfunctions)
        return;
    slots[2] = covAddProbe(ps, COV_PROBE_FUNC, m->functions[fn].src, m->functions[fn].name);
}

/* An enum type: a class the module names in __virtbind_enum_types__, an
 * IntEnum/IntFlag holding every value of the type but its _LAST sentinel. */
static int covAddEnumTypeProbe(covProbeSet *ps, const vbModel *m, const covItem *it)
{
    int i = covAddProbe(ps, COV_PROBE_ENUMTYPE, it->src, it->name);
    vbBuf vals = {0};
    for (size_t k = 0; k < m->nenums; k++)
        if (vbStrEq(m->enums[k].type, it->name) && !m->enums[k].is_last)
            vbBufPrintf(&vals, "%s%lld", vals.len ? "," : "", m->enums[k].value);
    ps->p[i].owned = vals.s ? vbBufSteal(&vals) : vbStrdup("");
    ps->p[i].sval = ps->p[i].owned;
    return i;
}

static void covBuildProbes(covProbeSet *ps, const vbModel *m, const covItems *items)
{
    ps->of_item = vbAlloc((items->nitems ? items->nitems : 1) * sizeof(*ps->of_item));
    for (size_t i = 0; i < items->nitems; i++) {
        const covItem *it = &items->items[i];
        int *slots = ps->of_item[i];
        slots[0] = slots[1] = slots[2] = -1;
        if (it->kind == COV_KIND_FUNCTIONS)
            slots[0] = covAddProbe(ps, COV_PROBE_FUNC, it->src, it->name);
        else if (it->kind == COV_KIND_EVENTS)
            covAddEventProbes(ps, m, it, slots);
        else if (it->kind == COV_KIND_ENUM_TYPES)
            slots[0] = covAddEnumTypeProbe(ps, m, it);
        else
            slots[0] = covAddValueProbe(ps, m, it);
    }
}

static void covProbeSetClear(covProbeSet *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->p[i].why);
        free(ps->p[i].owned);
    }
    free(ps->p);
    free(ps->of_item);
    vbBufClear(&ps->notes);
}

/* ------------------------------------------------------------ protocol */

static void covWriteProbes(const covProbeSet *ps, vbBuf *out)
{
    for (size_t i = 0; i < ps->n; i++) {
        const covProbe *p = &ps->p[i];
        vbBufPrintf(out, "%zu\t%s\t%s\t%s\t", i, covProbeKindNames[p->kind], vbSourceName(p->src),
                    p->name);
        if (p->kind == COV_PROBE_INT) {
            vbBufPrintf(out, "%lld", p->ival);
        } else if (p->kind == COV_PROBE_ENUMTYPE) {
            vbBufAdd(out, *p->sval ? p->sval : "-");
        } else if (p->kind == COV_PROBE_STR) {
            for (const unsigned char *c = (const unsigned char *)p->sval; *c; c++)
                vbBufPrintf(out, "%02x", *c);
        } else {
            vbBufAdd(out, "-");
        }
        vbBufAdd(out, "\n");
    }
}

static void covAnswer(covProbeSet *ps, const char *idtext, bool ok, const char *why)
{
    char *end;
    errno = 0;
    unsigned long id = strtoul(idtext, &end, 10);
    if (errno || end == idtext || (*end && *end != '\t') || id >= ps->n)
        return;
    covProbe *p = &ps->p[id];
    p->answered = true;
    p->ok = ok;
    free(p->why);
    p->why = ok ? NULL : vbStrdup(why ? why : "absent");
}

/* One answer line (NUL-terminated, no newline).  Unknown lines are output
 * the module wrote to file descriptor 1 itself; they are skipped. */
static void covParseLine(covProbeSet *ps, char *line, char **err)
{
    char *tab = strchr(line, '\t');
    if (!tab)
        return;
    *tab = '\0';
    char *rest = tab + 1;
    if (strcmp(line, "ok") == 0) {
        covAnswer(ps, rest, true, NULL);
    } else if (strcmp(line, "no") == 0) {
        char *why = strchr(rest, '\t');
        covAnswer(ps, rest, false, why ? why + 1 : NULL);
    } else if (strcmp(line, "manifest") == 0) {
        ps->manifest = strcmp(rest, "1") == 0;
    } else if (strcmp(line, "note") == 0) {
        vbBufPrintf(&ps->notes, "%s\n", rest);
    } else if (strcmp(line, "error") == 0 && !*err) {
        *err = vbStrdup(rest);
    } else if (strcmp(line, "done") == 0) {
        ps->done = strtoull(rest, NULL, 10) == ps->n;
    }
}

static void covParseAnswers(covProbeSet *ps, char *text, char **err)
{
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        covParseLine(ps, line, err);
}

/* ------------------------------------------------------------- process */

typedef struct {
    pid_t pid;
    int to_child;
    int from_child;
} covChild;

static const char **covPythonArgv(const covInput *in)
{
    const char **argv = vbAlloc((in->npypath + 6) * sizeof(*argv));
    size_t n = 0;
    argv[n++] = in->python;
    argv[n++] = "-B";   /* never write __pycache__ into the binding's tree */
    argv[n++] = "-c";
    argv[n++] = covPythonScript;
    argv[n++] = in->arg;
    for (size_t i = 0; i < in->npypath; i++)
        argv[n++] = in->pypath[i];
    argv[n] = NULL;
    return argv;
}

/* Child side, between fork and exec: only async-signal-safe calls. */
static void covExecChild(int in_fd, int out_fd, const char **argv)
{
    if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0)
        _exit(127);
    execvp(argv[0], (char *const *)argv);
    static const char msg[] = "virtbind-coverage: cannot execute the Python interpreter\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)ignored;
    _exit(127);
}

static int covSpawn(const covInput *in, covChild *child, char **err)
{
    int in_pipe[2] = { -1, -1 }, out_pipe[2] = { -1, -1 };
    int rc = -1;
    const char **argv = covPythonArgv(in);
    if (pipe2(in_pipe, O_CLOEXEC) < 0 || pipe2(out_pipe, O_CLOEXEC) < 0) {
        *err = vbPrintf("cannot create pipes: %s", strerror(errno));
        goto cleanup;
    }
    fflush(NULL);
    child->pid = fork();
    if (child->pid < 0) {
        *err = vbPrintf("cannot fork: %s", strerror(errno));
        goto cleanup;
    }
    if (child->pid == 0)
        covExecChild(in_pipe[0], out_pipe[1], argv);
    child->to_child = in_pipe[1];
    child->from_child = out_pipe[0];
    in_pipe[1] = out_pipe[0] = -1;
    rc = 0;
cleanup:
    for (int i = 0; i < 2; i++) {
        if (in_pipe[i] >= 0)
            close(in_pipe[i]);
        if (out_pipe[i] >= 0)
            close(out_pipe[i]);
    }
    free(argv);
    return rc;
}

/* Writes everything, or stops quietly if the child has gone (EPIPE): its
 * exit status says why. */
static void covWriteAll(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t n = write(fd, s, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        s += n;
        len -= (size_t)n;
    }
}

static int covReadAll(int fd, vbBuf *out, char **err)
{
    char chunk[16384];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *err = vbPrintf("reading the Python interpreter's answers: %s", strerror(errno));
            return -1;
        }
        if (n == 0)
            return 0;
        vbBufAddN(out, chunk, (size_t)n);
    }
}

static int covWait(pid_t pid, int *status)
{
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return 0;
}

/* Runs the script: the probes in, its answers out; *status = exit status. */
static int covRunScript(const covInput *in, const vbBuf *probes, vbBuf *answers, int *status,
                        char **err)
{
    covChild child = { -1, -1, -1 };
    struct sigaction ign = { .sa_handler = SIG_IGN }, old;
    int rc = -1;
    if (covSpawn(in, &child, err) < 0)
        return -1;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);
    /* The script reads all of stdin before it writes, so this cannot deadlock. */
    covWriteAll(child.to_child, probes->s ? probes->s : "", probes->len);
    close(child.to_child);
    rc = covReadAll(child.from_child, answers, err);
    close(child.from_child);
    sigaction(SIGPIPE, &old, NULL);
    if (covWait(child.pid, status) < 0 && rc == 0) {
        *err = vbPrintf("waiting for the Python interpreter: %s", strerror(errno));
        rc = -1;
    }
    return rc;
}

static int covCheckStatus(const covInput *in, const covProbeSet *ps, int status, char **err)
{
    if (*err)   /* the script reported an error line (the module did not import) */
        return -1;
    if (WIFSIGNALED(status)) {
        *err = vbPrintf("%s was killed by signal %d", in->python, WTERMSIG(status));
        return -1;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 127) {
        *err = vbPrintf("cannot run the Python interpreter '%s'", in->python);
        return -1;
    }
    if (code != 0 || !ps->done) {
        *err = vbPrintf("%s exited with status %d before answering every probe "
                        "(see its messages above)", in->python, code);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ verdicts */

static bool covProbeOk(const covProbeSet *ps, int i)
{
    return i >= 0 && ps->p[i].answered && ps->p[i].ok;
}

static const char *covProbeWhy(const covProbeSet *ps, int i)
{
    return ps->p[i].why ? ps->p[i].why : "no answer";
}

static void covDecideEvent(const covProbeSet *ps, const int *slots, covItem *it)
{
    if (!covProbeOk(ps, slots[0])) {
        it->detail = vbStrdup(covProbeWhy(ps, slots[0]));
    } else if (ps->manifest) {
        it->bound = covProbeOk(ps, slots[1]);
        if (!it->bound)
            it->detail = vbStrdup(covProbeWhy(ps, slots[1]));
    } else if (slots[2] < 0) {
        it->detail = vbStrdup("no register function is known for its event family");
    } else {
        it->bound = covProbeOk(ps, slots[2]);
        if (!it->bound)
            it->detail = vbPrintf("register function %s: %s", ps->p[slots[2]].name,
                                  covProbeWhy(ps, slots[2]));
    }
}

static void covDecideItems(const covProbeSet *ps, covItems *items)
{
    for (size_t i = 0; i < items->nitems; i++) {
        covItem *it = &items->items[i];
        const int *slots = ps->of_item[i];
        free(it->detail);
        it->detail = NULL;
        it->bound = false;
        if (it->kind == COV_KIND_EVENTS) {
            covDecideEvent(ps, slots, it);
            continue;
        }
        it->bound = covProbeOk(ps, slots[0]);
        if (!it->bound)
            it->detail = vbStrdup(covProbeWhy(ps, slots[0]));
    }
}

int covPythonJudge(covItems *items, const vbModel *m, const covInput *in, char **notes,
                   char **err)
{
    covProbeSet ps = {0};
    vbBuf probes = {0}, answers = {0};
    int status = 0, rc = -1;
    *notes = NULL;
    if (strchr(in->python, '/') && access(in->python, X_OK) < 0) {
        *err = vbPrintf("cannot run the Python interpreter '%s': %s", in->python, strerror(errno));
        goto cleanup;
    }
    covBuildProbes(&ps, m, items);
    covWriteProbes(&ps, &probes);
    if (covRunScript(in, &probes, &answers, &status, err) < 0)
        goto cleanup;
    if (answers.s)
        covParseAnswers(&ps, answers.s, err);
    if (covCheckStatus(in, &ps, status, err) < 0)
        goto cleanup;
    covDecideItems(&ps, items);
    if (ps.notes.len)
        *notes = vbBufSteal(&ps.notes);
    rc = 0;
cleanup:
    vbBufClear(&probes);
    vbBufClear(&answers);
    covProbeSetClear(&ps);
    return rc;
}
