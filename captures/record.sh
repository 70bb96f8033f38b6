#!/usr/bin/env bash
# Re-records every capture in this folder from the live lab: the healthy path (ICMP, UDP, TCP) and one
# capture per catalog fault, each traced from the container (lt-ctr) to the lab's remote.
# Run as root from anywhere:  sudo captures/record.sh            (everything)
#                             sudo captures/record.sh --split    (only the split-mode captures)
# It brings the lab up, breaks and heals one fault at a time, and takes the lab down at the end.
# The split-* captures are traced the two-kernel way: a tracer scoped to the guest (lt-ctr, lt-guest)
# asks an agent scoped to the host (lt-host, lt-inet), a process of its own, over a unix socket.
# LT=/path/to/a/layertrace-command overrides the launcher (e.g. a wrapper around java -jar).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lt="${LT:-$here/../layertrace}"
only_split=false
[ "${1:-}" = --split ] && only_split=true
dst=198.51.100.10

"$lt" lab up >/dev/null || { echo "record: lab up failed" >&2; exit 1; }
trap '"$lt" lab heal --all >/dev/null 2>&1; "$lt" lab down >/dev/null 2>&1' EXIT

trace() { # NAME ARGS...: one trace, written as NAME.json; a stopped probe (exit 1) is what we want
  local name=$1; shift
  "$lt" trace --from netns:lt-ctr "$@" -o "$here/$name.json" >/dev/null
  local rc=$?
  [ $rc -le 1 ] || { echo "record: trace for $name failed (exit $rc)" >&2; exit 1; }
  echo "recorded $name.json"
}

# split NAME [FAULT]: the healthy path or one fault, traced across the two "kernels" with an agent.
split() {
  local name=$1 fault=${2:-} tmp
  tmp=$(mktemp -d /run/layertrace/record-split.XXXXXX)
  "$lt" agent --listen "unix:$tmp/agent.sock" --token-file "$tmp/token" --scope lt-host,lt-inet >"$tmp/agent.log" 2>&1 &
  local agent=$!
  for _ in $(seq 100); do grep -q "listening on" "$tmp/agent.log" && break; sleep 0.1; done
  [ -n "$fault" ] && { "$lt" lab break "$fault" >/dev/null || { echo "record: cannot break $fault" >&2; exit 1; }; }
  "$lt" trace --from netns:lt-ctr --to $dst --scope lt-ctr,lt-guest --agent "unix:$tmp/agent.sock" \
    --agent-token-file "$tmp/token" -o "$here/$name.json" >/dev/null
  local rc=$?
  [ -n "$fault" ] && "$lt" lab heal "$fault" >/dev/null
  kill "$agent"; wait "$agent" 2>/dev/null
  rm -rf "$tmp"
  [ $rc -le 1 ] || { echo "record: split trace for $name failed (exit $rc)" >&2; exit 1; }
  echo "recorded $name.json"
}

split split-healthy
split split-guest-no-masquerade guest-no-masquerade
split split-vmm-stalled vmm-stalled
split split-host-forward-drop host-forward-drop
$only_split && exit 0

trace healthy --to $dst
trace healthy-udp --to $dst:53 --proto udp
trace healthy-tcp --to $dst:80 --proto tcp

# Each fault with the probe the catalog says shows it: NAME PROTO SIZE DF
"$lt" lab faults --format json | python3 -c '
import json, sys
for f in json.load(sys.stdin):
    p = f["probe"]
    print(f["name"], p["protocol"], p["size"], "df" if p["df"] else "-")' > "$here/.faults"
while read -r fault proto size df; do
  "$lt" lab break "$fault" >/dev/null || { echo "record: cannot break $fault" >&2; exit 1; }
  args=(--to $dst --proto "$proto" --size "$size")
  [ "$df" = df ] && args+=(--df)
  trace "$fault" "${args[@]}"
  "$lt" lab heal "$fault" >/dev/null || { echo "record: cannot heal $fault" >&2; exit 1; }
done < "$here/.faults"
rm -f "$here/.faults"
