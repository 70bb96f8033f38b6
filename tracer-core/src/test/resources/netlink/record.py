#!/usr/bin/env python3
"""Records raw rtnetlink replies of the current network namespace as parser fixtures.

Run inside the namespace to record, e.g.
  ip netns exec lt-tdisc-guest python3 record.py OUT/guest \
      --nsid-of /run/netns/lt-tdisc-ctr --route 198.51.100.10,172.17.0.2,docker0
Writes OUT/links.bin, addresses.bin, routes.bin, rules.bin, neighbours.bin (each the concatenated
datagrams of one dump, NLMSG_DONE included), nsid-NAME.bin per --nsid-of, and route-N.bin per
--route DST[,SRC[,IIFNAME]] (the kernel's answer to a single-flow RTM_GETROUTE, or its NLMSG_ERROR).
The requests are built as dev.layertrace.netlink.RtnetlinkRequests builds them."""
import argparse, os, socket, struct

NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_ERROR, NLMSG_DONE, NLM_F_MULTI = 2, 3, 0x2
RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE, RTM_GETNEIGH, RTM_GETRULE, RTM_GETNSID = 18, 22, 26, 30, 34, 90
RTM_GETNETCONF = 82
AF_INET, AF_UNSPEC = 2, 0


def attr(t, payload):
    ln = 4 + len(payload)
    return struct.pack("=HH", ln, t) + payload + b"\0" * ((4 - ln % 4) % 4)


def msg(t, flags, seq, body):
    return struct.pack("=IHHII", 16 + len(body), t, flags, seq, 0) + body


def exchange(sock, request, seq):
    sock.send(request)
    out = bytearray()
    while True:
        data = sock.recv(1 << 16)
        out += data
        off, done = 0, False
        while off + 16 <= len(data):
            ln, t, fl, s, _ = struct.unpack_from("=IHHII", data, off)
            if s == seq and (t in (NLMSG_DONE, NLMSG_ERROR) or not fl & NLM_F_MULTI):
                done = True
            off += (ln + 3) & ~3
        if done:
            return bytes(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--nsid-of", action="append", default=[])
    ap.add_argument("--route", action="append", default=[])
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.bind((0, 0))
    dumps = {
        "links": msg(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1, bytes(16)),
        "addresses": msg(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 2, bytes([AF_UNSPEC]) + bytes(7)),
        "routes": msg(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 3, bytes([AF_INET]) + bytes(11)),
        "rules": msg(RTM_GETRULE, NLM_F_REQUEST | NLM_F_DUMP, 4, bytes([AF_INET]) + bytes(11)),
        "neighbours": msg(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, 5, bytes([AF_INET]) + bytes(11)),
        "netconf": msg(RTM_GETNETCONF, NLM_F_REQUEST | NLM_F_DUMP, 6, bytes([AF_INET]) + bytes(3)),
    }
    seq = 6
    for name, req in dumps.items():
        seq_of = struct.unpack_from("=I", req, 8)[0]
        with open(os.path.join(a.out, name + ".bin"), "wb") as f:
            f.write(exchange(s, req, seq_of))
    for path in a.nsid_of:
        seq += 1
        fd = os.open(path, os.O_RDONLY)
        req = msg(RTM_GETNSID, NLM_F_REQUEST, seq, bytes(4) + attr(3, struct.pack("=I", fd)))
        with open(os.path.join(a.out, "nsid-" + os.path.basename(path) + ".bin"), "wb") as f:
            f.write(exchange(s, req, seq))
        os.close(fd)
    for i, spec in enumerate(a.route):
        seq += 1
        parts = spec.split(",") + ["", ""]
        dst, src, iif = parts[0], parts[1], parts[2]
        body = attr(1, socket.inet_aton(dst))
        rtm = bytearray(12)
        rtm[0], rtm[1] = AF_INET, 32
        if src:
            body += attr(2, socket.inet_aton(src))
            rtm[2] = 32
        if iif:
            body += attr(3, struct.pack("=I", socket.if_nametoindex(iif)))
        with open(os.path.join(a.out, "route-%d.bin" % i), "wb") as f:
            f.write(exchange(s, msg(RTM_GETROUTE, NLM_F_REQUEST, seq, bytes(rtm) + body), seq))


if __name__ == "__main__":
    main()
