"""An admin-only program (virtbind_admin cannot share a process with
virtbind): list the daemon's servers, their thread pools and clients.
Type-checked only: it needs a running libvirtd."""
import sys

import virtbind_admin
from virtbind_admin import libvirtError


def main(uri: str = "libvirtd:///system") -> int:
    try:
        with virtbind_admin.open(uri) as conn:
            print(conn.getURI(), conn.getLibVersion())
            for srv in conn.listServers():
                pool = srv.getThreadPoolParameters()
                print(srv.getName(), pool.get("maxWorkers"), pool.get("freeWorkers"))
                for cl in srv.listClients():
                    print(cl.getID(), cl.getTransport(), cl.getTimestamp(), cl.getInfo())
                srv.setClientLimits({"nclients_max": 100})
    except libvirtError as e:
        print("admin:", e.get_error_message(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
