#!/usr/bin/env bash
# Re-records the fixtures in this folder from a running scratch lab (see README.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; p=lt-tdisc-
rec() { ns=$1; shift; ip netns exec "$p$ns" python3 "$here/record.py" "$here/scratch/$ns" "$@"; }
rec ctr --nsid-of /run/netns/${p}guest --route 198.51.100.10 --route 172.17.0.1
rec guest --nsid-of /run/netns/${p}ctr --nsid-of /run/netns/${p}host \
    --route 198.51.100.10,172.17.0.2,docker0 --route 172.17.0.1
rec host --nsid-of /run/netns/${p}inet --route 198.51.100.10,172.16.0.2,tap0 --route 10.9.9.9,172.16.0.2,uplink0
rec inet --nsid-of /run/netns/${p}host --route 198.51.100.10,203.0.113.2,eth0 --route 172.16.0.2
