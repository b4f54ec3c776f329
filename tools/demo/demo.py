"""The virtbind Python demo (make demo): code written for libvirt-python,
run on virtbind, against libvirt's in-process test driver."""
import sys

import virtbind as libvirt

URI = sys.argv[1] if len(sys.argv) > 1 else "test:///default"

print(f"virtbind loaded {libvirt.__virtbind_libvirt_so__}; libvirt version {libvirt.getVersion()}")
conn = libvirt.open(URI)
print(f"connected to {conn.getURI()} ({conn.getType()} driver)")
for dom in conn.listAllDomains():
    state, maxmem, mem, vcpus, cputime = dom.info()
    print(f"domain {dom.name()!r} id={dom.ID()} uuid={dom.UUIDString()} state={state} "
          f"memory={mem} KiB of {maxmem} KiB vcpus={vcpus}")
    print(f"  memory parameters:    {dom.memoryParameters()}")
    print(f"  scheduler parameters: {dom.schedulerParameters()}")
    print(f"  blkio weight:         {dom.blkioParameters()['weight']}")
for dom, stats in conn.getAllDomainStats():
    print(f"domain stats for {dom.name()!r}: {stats}")

try:
    conn.lookupByName("no-such-domain")
except libvirt.libvirtError as err:
    print(f"lookupByName('no-such-domain') raised libvirtError: code={err.get_error_code()} "
          f"(VIR_ERR_NO_DOMAIN={libvirt.VIR_ERR_NO_DOMAIN}) message={err.get_error_message()!r}")

try:
    conn.lookupByName(42)
except TypeError as err:
    print(f"lookupByName(42) raised TypeError: {err}")

bound = len(libvirt.__virtbind_manifest__)
print(f"{bound} libvirt functions bound; {len(libvirt.__virtbind_skipped__)} not yet "
      "(see virtbind.__virtbind_skip_reasons__)")
conn.close()
