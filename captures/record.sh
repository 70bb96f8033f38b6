#!/usr/bin/env bash
# Re-records every capture in this folder from the live lab: the healthy path (ICMP, UDP, TCP) and one
# capture per catalog fault, each traced from the container (lt-ctr) to the lab's remote.
# Run as root from anywhere:  sudo captures/record.sh
# It brings the lab up, breaks and heals one fault at a time, and takes the lab down at the end.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lt="$here/../layertrace"
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
