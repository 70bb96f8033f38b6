#!/usr/bin/env bash
# Records the tracefs fixtures of KernelDropBinderTest: what a private tracefs instance, configured as
# dev.layertrace.sys.TracefsSession configures it, shows for one 84-byte ICMP echo from lt-ttr-fx-c
# through router lt-ttr-fx-r (i) with ip_forward=0 (forward-off.trace) and (ii) with a forward chain of
# policy drop (forward-drop.trace). Run as root from this folder: ./record-tracefs.sh
# Topology: lt-ttr-fx-c eth0 172.17.9.2/24 ── c0 lt-ttr-fx-r u0 198.51.100.1/24 ── eth0 198.51.100.10 lt-ttr-fx-i
set -euo pipefail
C=lt-ttr-fx-c R=lt-ttr-fx-r I=lt-ttr-fx-i T=/sys/kernel/tracing
INST=$T/instances/layertrace-fixture
cleanup() {
  [ -d $INST ] && { echo 0 > $INST/tracing_on; for e in skb/kfree_skb net/net_dev_queue net/netif_receive_skb fib/fib_table_lookup; do echo 0 > $INST/events/$e/enable; done; rmdir $INST; }
  for n in $C $R $I; do ip netns del $n 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup
[ -d $T/instances ] || mount -t tracefs nodev $T
for n in $C $R $I; do ip netns add $n; ip -n $n link set lo up; ip netns exec $n sysctl -q -w net.ipv6.conf.all.disable_ipv6=1; done
ip -n $C link add eth0 type veth peer name c0 netns $R
ip -n $I link add eth0 type veth peer name u0 netns $R
ip -n $C addr add 172.17.9.2/24 dev eth0; ip -n $C link set eth0 up; ip -n $C route add default via 172.17.9.1
ip -n $R addr add 172.17.9.1/24 dev c0; ip -n $R addr add 198.51.100.1/24 dev u0; ip -n $R link set c0 up; ip -n $R link set u0 up
ip -n $I addr add 198.51.100.10/24 dev eth0; ip -n $I link set eth0 up
ip netns exec $C ip neigh replace 172.17.9.1 lladdr "$(ip netns exec $R cat /sys/class/net/c0/address)" dev eth0 nud reachable
ping() {
  ip netns exec $C python3 - <<'PY'
import socket, struct
def csum(b):
    b += b"\0" * (len(b) % 2); s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
payload = b"LT\x3f\x9c" + bytes(range(4, 56))
msg = struct.pack("!BBHHH", 8, 0, csum(struct.pack("!BBHHH", 8, 0, 0, 0x3f9c, 1) + payload), 0x3f9c, 1) + payload
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.sendto(msg, ("198.51.100.10", 0))
PY
}
record() { # record FILE: one probe through a fresh instance
  mkdir $INST
  echo mono > $INST/trace_clock
  for e in net_dev_queue netif_receive_skb; do echo 'len == 84 || len == 98 || len == 28 || len == 42' > $INST/events/net/$e/filter; done
  echo 'protocol == 2048 || protocol == 2054' > $INST/events/skb/kfree_skb/filter
  for e in skb/kfree_skb net/net_dev_queue net/netif_receive_skb fib/fib_table_lookup; do echo 1 > $INST/events/$e/enable; done
  echo 1 > $INST/tracing_on
  ping; sleep 0.2
  echo 0 > $INST/tracing_on
  grep -v '^#' $INST/trace > "$1"
  for e in skb/kfree_skb net/net_dev_queue net/netif_receive_skb fib/fib_table_lookup; do echo 0 > $INST/events/$e/enable; done
  rmdir $INST
}
ip netns exec $R sysctl -q -w net.ipv4.ip_forward=0
record forward-off.trace
ip netns exec $R sysctl -q -w net.ipv4.ip_forward=1
ip netns exec $R nft -f - <<'NFT'
table ip lt_ttr_fx {
  chain forward {
    type filter hook forward priority filter; policy drop;
  }
}
NFT
record forward-drop.trace
wc -l forward-off.trace forward-drop.trace
