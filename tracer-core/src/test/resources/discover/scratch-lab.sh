#!/usr/bin/env bash
# A small copy of the DESIGN lab in namespaces named ${PREFIX}ctr/guest/host/inet, for discovery tests
# that must not wait for (or touch) the real lab. The guest NIC and the host tap are real tap devices
# held by tap-relay.py (a VMM stand-in). Usage: scratch-lab.sh up|down PREFIX   (PREFIX e.g. lt-tdisc-)
set -euo pipefail
cmd=${1:?up|down}; p=${2:?prefix}
case "$p" in lt-*) ;; *) echo "prefix must start with lt-" >&2; exit 2 ;; esac
here="$(cd "$(dirname "$0")" && pwd)"
ctr=${p}ctr guest=${p}guest host=${p}host inet=${p}inet
run=/run/layertrace/${p}scratch

down() {
  if [ -f "$run/relay.pid" ]; then kill "$(cat "$run/relay.pid")" 2>/dev/null || true; rm -f "$run/relay.pid"; fi
  for ns in $ctr $guest $host $inet; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$run"
}

up() {
  down
  mkdir -p "$run"
  for ns in $ctr $guest $host $inet; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  # container ↔ guest bridge
  ip -n "$ctr" link add eth0 type veth peer name veth-ctr netns "$guest"
  ip -n "$guest" link add docker0 type bridge
  ip -n "$guest" link set veth-ctr master docker0
  ip -n "$ctr" addr add 172.17.0.2/16 dev eth0
  ip -n "$guest" addr add 172.17.0.1/16 dev docker0
  # guest NIC and host tap: tap devices joined by the relay
  ip -n "$guest" tuntap add dev eth0 mode tap
  ip -n "$host" tuntap add dev tap0 mode tap
  ip -n "$guest" addr add 172.16.0.2/30 dev eth0
  ip -n "$host" addr add 172.16.0.1/30 dev tap0
  # host uplink ↔ internet
  ip -n "$host" link add uplink0 type veth peer name eth0 netns "$inet"
  ip -n "$host" addr add 203.0.113.2/24 dev uplink0
  ip -n "$inet" addr add 203.0.113.1/24 dev eth0
  ip -n "$inet" addr add 198.51.100.10/32 dev eth0
  ip -n "$ctr" link set eth0 up; ip -n "$guest" link set veth-ctr up; ip -n "$guest" link set docker0 up
  ip -n "$guest" link set eth0 up; ip -n "$host" link set tap0 up
  ip -n "$host" link set uplink0 up; ip -n "$inet" link set eth0 up
  ip -n "$ctr" route add default via 172.17.0.1
  ip -n "$guest" route add default via 172.16.0.1
  ip -n "$host" route add default via 203.0.113.1
  ip netns exec "$guest" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$host" sysctl -qw net.ipv4.ip_forward=1
  python3 "$here/tap-relay.py" "/run/netns/$guest" eth0 "/run/netns/$host" tap0 </dev/null >/dev/null 2>&1 &
  echo $! > "$run/relay.pid"
  # wait until the relay holds both taps (their carrier comes up)
  for _ in $(seq 50); do
    if ip -n "$host" link show tap0 | grep -q 'state UP' && ip -n "$guest" link show eth0 | grep -q 'state UP'; then
      # One datagram towards the host makes the guest resolve 172.16.0.1 across the relay, as traffic would.
      ip netns exec "$guest" python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("172.16.0.1", 9))'
      return 0
    fi
    sleep 0.05
  done
  echo "relay did not attach to the taps" >&2; exit 1
}

"$cmd"
