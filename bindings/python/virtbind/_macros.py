"""libvirt's function-like macros, in Python, with their C meaning.

CPU maps are byte sequences, one bit per host CPU (bit cpu % 8 of byte
cpu // 8): ``bytes`` for reading, ``bytearray`` (or a writable memoryview)
to change.  ``cpumaps`` holds one map of ``maplen`` bytes per vCPU, as
libvirt's virDomainGetVcpus fills it.  The generator lists these names
(generator/gen_python_names.c, vbPyMacroFunctions); object-like macros with
an integer value are plain int constants of the extension.
"""
from virtbind._virtbind import LIBVIR_VERSION_NUMBER

__all__ = ["LIBVIR_CHECK_VERSION", "VIR_COPY_CPUMAP", "VIR_CPU_MAPLEN", "VIR_CPU_USABLE",
           "VIR_CPU_USED", "VIR_GET_CPUMAP", "VIR_NODEINFO_MAXCPUS", "VIR_UNUSE_CPU",
           "VIR_USE_CPU"]


def VIR_CPU_MAPLEN(cpu):
    """Bytes needed for a map of cpu CPUs: (cpu + 7) / 8."""
    return (cpu + 7) // 8


def VIR_USE_CPU(cpumap, cpu):
    """Set cpu's bit in cpumap (a bytearray); returns the byte's new value."""
    cpumap[cpu // 8] |= 1 << (cpu % 8)
    return cpumap[cpu // 8]


def VIR_UNUSE_CPU(cpumap, cpu):
    """Clear cpu's bit in cpumap (a bytearray); returns the byte's new value."""
    cpumap[cpu // 8] &= ~(1 << (cpu % 8)) & 0xff
    return cpumap[cpu // 8]


def VIR_CPU_USED(cpumap, cpu):
    """cpu's bit of cpumap: non-zero (the bit's value) when set, 0 otherwise."""
    return cpumap[cpu // 8] & (1 << (cpu % 8))


def VIR_GET_CPUMAP(cpumaps, maplen, vcpu):
    """vcpu's map inside cpumaps: a memoryview (C: a pointer), writable when
    cpumaps is, so VIR_USE_CPU on it changes cpumaps."""
    return memoryview(cpumaps)[vcpu * maplen:(vcpu + 1) * maplen]


def VIR_COPY_CPUMAP(cpumaps, maplen, vcpu, cpumap):
    """Copy vcpu's map out of cpumaps into cpumap (writable, >= maplen bytes)."""
    cpumap[:maplen] = bytes(VIR_GET_CPUMAP(cpumaps, maplen, vcpu))


def VIR_CPU_USABLE(cpumaps, maplen, vcpu, cpu):
    """Whether vcpu may run on cpu: VIR_CPU_USED of vcpu's map."""
    return VIR_CPU_USED(VIR_GET_CPUMAP(cpumaps, maplen, vcpu), cpu)


def VIR_NODEINFO_MAXCPUS(nodeinfo):
    """nodes * sockets * cores * threads of a node info: conn.getInfo()'s
    list ([model, memory, cpus, mhz, nodes, sockets, cores, threads]) or an
    object with those attributes."""
    if isinstance(nodeinfo, (list, tuple)):
        return nodeinfo[4] * nodeinfo[5] * nodeinfo[6] * nodeinfo[7]
    return nodeinfo.nodes * nodeinfo.sockets * nodeinfo.cores * nodeinfo.threads


def LIBVIR_CHECK_VERSION(major, minor, micro):
    """Whether the libvirt API this module was generated from (its
    LIBVIR_VERSION_NUMBER) is at least major.minor.micro."""
    return major * 1000000 + minor * 1000 + micro <= LIBVIR_VERSION_NUMBER
