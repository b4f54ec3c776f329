/* bench/floor.c: the module `_vbfloor`, the floor column of `make bench`: a
 * minimal hand-written extension method per row, i.e. what the row costs from
 * Python with no binding machinery at all.  The cheapest calling convention
 * for the call as the benchmark writes it (METH_NOARGS for dom.info(),
 * METH_O for dom.XMLDesc(0)), the GIL released around libvirt's call as every
 * binding must (a call can block on RPC), the result built with the plain
 * CPython calls (PyLong_From*, PyUnicode_FromString), and nothing else: no
 * argument names or defaults, no symbol lookup, no error details.  It is not
 * a binding; its (floor - C) / (libvirt-python - C) shows how low the issue's
 * overhead ratio can go on a row (docs/performance.md, "The floor").
 *
 *   import _vbfloor; dom = _vbfloor.domain()   # test:///default, domain "test"
 *   dom.info(); dom.XMLDesc(0)
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdlib.h>

typedef struct {
    PyObject_HEAD
    virConnectPtr conn;
    virDomainPtr dom;
} FloorDomain;

static PyObject *floor_failed(const char *what)
{
    virErrorPtr e = virGetLastError();
    return PyErr_Format(PyExc_RuntimeError, "%s: %s", what,
                        e && e->message ? e->message : "failed");
}

static PyObject *floor_info(PyObject *self, PyObject *unused)
{
    (void)unused;
    virDomainInfo info;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = virDomainGetInfo(((FloorDomain *)self)->dom, &info);
    Py_END_ALLOW_THREADS
    if (rc < 0)
        return floor_failed("virDomainGetInfo");
    PyObject *items[5] = {
        PyLong_FromLong(info.state), PyLong_FromUnsignedLong(info.maxMem),
        PyLong_FromUnsignedLong(info.memory), PyLong_FromLong(info.nrVirtCpu),
        PyLong_FromUnsignedLongLong(info.cpuTime),
    };
    PyObject *list = PyList_New(5);
    for (Py_ssize_t i = 0; i < 5; i++) {
        if (list && items[i])
            PyList_SET_ITEM(list, i, items[i]);
        else
            Py_XDECREF(items[i]);
        if (!items[i])
            Py_CLEAR(list);
    }
    return list;
}

static PyObject *floor_xmldesc(PyObject *self, PyObject *arg)
{
    unsigned long flags = PyLong_AsUnsignedLong(arg);
    if (flags == (unsigned long)-1 && PyErr_Occurred())
        return NULL;
    if (flags > 0xffffffffUL)
        return PyErr_Format(PyExc_OverflowError, "flags out of range");
    char *xml;
    Py_BEGIN_ALLOW_THREADS
    xml = virDomainGetXMLDesc(((FloorDomain *)self)->dom, (unsigned int)flags);
    Py_END_ALLOW_THREADS
    if (!xml)
        return floor_failed("virDomainGetXMLDesc");
    PyObject *s = PyUnicode_FromString(xml);
    free(xml);
    return s;
}

static void floor_dealloc(PyObject *self)
{
    FloorDomain *d = (FloorDomain *)self;
    if (d->dom)
        virDomainFree(d->dom);
    if (d->conn)
        virConnectClose(d->conn);
    PyObject_Free(self);
}

static PyMethodDef floor_domain_methods[] = {
    { "info", floor_info, METH_NOARGS, "virDomainGetInfo as a list of 5 ints" },
    { "XMLDesc", floor_xmldesc, METH_O, "virDomainGetXMLDesc(flags) as a str" },
    { NULL, NULL, 0, NULL },
};

static PyTypeObject FloorDomainType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_vbfloor.Domain",
    .tp_basicsize = sizeof(FloorDomain),
    .tp_dealloc = floor_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "the domain \"test\" of test:///default (benchmark floor)",
    .tp_methods = floor_domain_methods,
};

static PyObject *floor_domain(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    FloorDomain *d = PyObject_New(FloorDomain, &FloorDomainType);
    if (!d)
        return NULL;
    d->dom = NULL;
    if (!(d->conn = virConnectOpen("test:///default"))) {
        Py_DECREF(d);
        return floor_failed("virConnectOpen");
    }
    if (!(d->dom = virDomainLookupByName(d->conn, "test"))) {
        Py_DECREF(d);
        return floor_failed("virDomainLookupByName");
    }
    return (PyObject *)d;
}

static PyMethodDef floor_methods[] = {
    { "domain", floor_domain, METH_NOARGS, "open test:///default and look up \"test\"" },
    { NULL, NULL, 0, NULL },
};

static struct PyModuleDef floor_module = {
    PyModuleDef_HEAD_INIT, "_vbfloor", "make bench's floor (bench/floor.c)", -1, floor_methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__vbfloor(void);

PyMODINIT_FUNC PyInit__vbfloor(void)
{
    if (PyType_Ready(&FloorDomainType) < 0)
        return NULL;
    return PyModule_Create(&floor_module);
}
