#!/usr/bin/env python3
"""A VMM stand-in for discovery tests: opens two existing tap devices, each in its own network
namespace, and copies frames between them, as a VMM's virtio-net backend does. Holding both
/dev/net/tun descriptors is what discovery looks for (/proc/PID/fdinfo/FD says 'iff: NAME').
Usage: tap-relay.py NETNS_PATH_A TAP_A NETNS_PATH_B TAP_B   (exits on SIGTERM)"""
import ctypes, fcntl, os, select, signal, struct, sys

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000
libc = ctypes.CDLL(None, use_errno=True)


def open_tap(netns_path, name):
    fd = os.open(netns_path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + netns_path)
    finally:
        os.close(fd)
    tap = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tap, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return tap


def main():
    a = open_tap(sys.argv[1], sys.argv[2])
    b = open_tap(sys.argv[3], sys.argv[4])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    other = {a: b, b: a}
    while True:
        ready, _, _ = select.select([a, b], [], [])
        for fd in ready:
            try:
                os.write(other[fd], os.read(fd, 65536))
            except OSError:
                pass


if __name__ == "__main__":
    main()
