"""Error handling: libvirtError's getters and a custom error handler."""
from typing import Optional

import virtbind
from virtbind import libvirtError


def handler(ctx: str, err: "tuple[int, int, Optional[str], int, Optional[str], Optional[str], Optional[str], int, int]") -> None:
    code, domain, message = err[0], err[1], err[2]
    print(ctx, code, domain, message)


def main() -> None:
    virtbind.registerErrorHandler(handler, "ctx")
    conn = virtbind.open("test:///default")
    try:
        conn.lookupByName("no-such-domain")
    except libvirtError as e:
        code: Optional[int] = e.get_error_code()
        if code == virtbind.VIR_ERR_NO_DOMAIN:
            print("no such domain:", e.get_error_message(), e.get_str1(), e.get_int1())
        if e.err is not None:
            print(e.err[2])
    last = virtbind.virGetLastError()
    if last is not None:
        print(last[0])
    conn.close()


if __name__ == "__main__":
    main()
