#!/usr/bin/env bash
# Records the .pcap fixtures of dev.layertrace.packet's parser tests from a real kernel.
# Run as root from this folder:  ./record-fixtures.sh
# Topology (only namespaces it creates, all named lt-ttr-fx-*; removed on exit):
#   lt-ttr-fx-a eth0 172.17.5.2/24 ── r0 172.17.5.1  lt-ttr-fx-r  r1 198.51.100.1/24 (mtu 1300, MASQUERADE) ── eth0 198.51.100.10/24 lt-ttr-fx-b
# Traffic from a: ping (ARP first), a DF ping too big for r1 (frag needed), a TTL-1 ping (time exceeded),
# UDP to a closed port (port unreachable), TCP SYN to a closed port (RST) and to a listener (SYN-ACK).
set -euo pipefail
A=lt-ttr-fx-a R=lt-ttr-fx-r B=lt-ttr-fx-b
cleanup() { for n in $A $R $B; do ip netns del $n 2>/dev/null || true; done; }
trap cleanup EXIT
cleanup
for n in $A $R $B; do ip netns add $n; ip -n $n link set lo up; done
ip -n $A link add eth0 type veth peer name r0 netns $R
ip -n $B link add eth0 type veth peer name r1 netns $R
ip -n $A addr add 172.17.5.2/24 dev eth0; ip -n $A link set eth0 up
ip -n $A route add default via 172.17.5.1
ip -n $R addr add 172.17.5.1/24 dev r0; ip -n $R addr add 198.51.100.1/24 dev r1
ip -n $R link set r0 up; ip -n $R link set r1 up mtu 1300
ip -n $B addr add 198.51.100.10/24 dev eth0; ip -n $B link set eth0 up
ip netns exec $R sysctl -q -w net.ipv4.ip_forward=1
ip netns exec $R nft -f - <<'NFT'
table ip lt_ttr_fx {
  chain post {
    type nat hook postrouting priority srcnat;
    oifname "r1" masquerade
  }
}
NFT
for n in $A $R $B; do ip netns exec $n sysctl -q -w net.ipv6.conf.all.disable_ipv6=1; done
ip netns exec $B python3 -c 'import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("198.51.100.10", 8080)); s.listen(); time.sleep(6)' &
listener=$!
ip netns exec $A tcpdump -q -n -i eth0 -U -w scratch-a-eth0.pcap 2>/dev/null & ta=$!
ip netns exec $B tcpdump -q -n -i eth0 -U -w scratch-b-eth0.pcap 2>/dev/null & tb=$!
sleep 1
ping() { # ping SIZE TTL DF: one ICMP echo from a raw socket (iputils-ping is not needed)
  ip netns exec $A python3 - "$@" <<'PY'
import socket, struct, sys, time
size, ttl, df = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "df"
def csum(b):
    b += b"\0" * (len(b) % 2); s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
payload = (b"LT\x3f\x9c" + bytes(range(256)) * 8)[:size]
hdr = struct.pack("!BBHHH", 8, 0, 0, 0x3f9c, 1)
msg = struct.pack("!BBHHH", 8, 0, csum(hdr + payload), 0x3f9c, 1) + payload
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
s.setsockopt(socket.IPPROTO_IP, 10, 2 if df else 0)  # IP_MTU_DISCOVER: DO or DONT
try:
    s.sendto(msg, ("198.51.100.10", 0)); s.settimeout(1); s.recv(2048)
except OSError:
    pass
PY
}
ping 56 64 nodf
ping 1400 64 df
ping 56 1 nodf
ip netns exec $A bash -c 'echo LTprobe > /dev/udp/198.51.100.10/33434' || true
ip netns exec $A bash -c 'exec 3<>/dev/tcp/198.51.100.10/80' 2>/dev/null || true
ip netns exec $A timeout 2 bash -c 'exec 3<>/dev/tcp/198.51.100.10/8080' || true
sleep 0.5
kill -INT $ta $tb; wait $ta $tb 2>/dev/null || true
kill $listener 2>/dev/null || true; wait $listener 2>/dev/null || true
echo "recorded: $(ls -l scratch-*.pcap | awk '{print $5, $9}' | tr '\n' ' ')"
