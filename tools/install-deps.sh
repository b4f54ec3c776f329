#!/bin/sh
# tools/install-deps.sh — installs the Debian 12 packages virtbind needs to
# build, test and run its demo (called by `make deps`).
#
#  * every package is checked with dpkg-query first; when all are there it
#    prints one line and exits 0;
#  * as root it runs `apt-get update` and installs only what is missing
#    (--no-install-recommends: libvirt-daemon would otherwise pull in qemu);
#  * as another user it lists what is missing with the exact command, exit 1.
set -eu

# What each package is for:
#   gcc make clang pkg-config      the C build (clang: second compiler for checks)
#   libvirt-dev libxml2-dev         headers, libs and the API XMLs in /usr/share/libvirt/api
#   libxml2-utils                   xmllint, used by the tests as an independent XML reader
#   valgrind                        make check-valgrind
#   python3-dev libffi-dev          the (planned) Python binding, built for /usr/bin/python3
#   python3-pytest mypy             its tests and type checks
#   python3-libvirt                 libvirt's own Python binding, the reference to compare with
#   libvirt0                        libvirt.so, which contains the in-process test driver
#                                   (test:///default) the demo and tests use
#   libvirt-daemon                  libvirtd (it loads the same test driver from libvirt0;
#                                   pulls libvirt-daemon-driver-qemu, the driver module only)
PACKAGES="gcc make clang pkg-config
libvirt-dev libxml2-dev libxml2-utils valgrind
python3-dev libffi-dev python3-pytest mypy python3-libvirt
libvirt0 libvirt-daemon"

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-deps: dpkg-query not found: this script supports Debian 12 only." >&2
    # shellcheck disable=SC2086  # one package name per word
    echo "install-deps: install these packages by other means:" $PACKAGES >&2
    exit 1
fi

missing_packages() {
    for p in $PACKAGES; do
        case "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" in
        *" installed") ;;
        *) printf '%s ' "$p" ;;
        esac
    done
}

missing=$(missing_packages)
if [ -z "$missing" ]; then
    echo "install-deps: all $(echo "$PACKAGES" | wc -w) required packages are installed."
    exit 0
fi
missing=${missing% }

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing Debian packages: $missing" >&2
    echo "install-deps: install them as root with:" >&2
    echo "    sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing" >&2
    exit 1
fi

echo "install-deps: installing: $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086  # word splitting of the package list is intended
apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends $missing

still=$(missing_packages)
if [ -n "$still" ]; then
    echo "install-deps: still missing after apt-get install: $still" >&2
    exit 1
fi
echo "install-deps: done."
