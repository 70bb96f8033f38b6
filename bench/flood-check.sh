#!/bin/bash
# 100 probes (10 traces of 10) through the standard lab while iperf3 floods the same path, then
# counts the probes observed at every device layer of the path. Needs root and iperf3.
set -u
out=$(mktemp -d -t layertrace-flood.XXXXXX)
trap 'rm -rf "$out"' EXIT
cd "$(dirname "$0")/.." && ./layertrace --version >/dev/null || exit 1
J="java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar tracer-cli/target/layertrace.jar"
$J lab up >/dev/null || exit 1
ip netns exec lt-inet iperf3 -s -1 >/dev/null 2>&1 & srv=$!
sleep 0.5
ip netns exec lt-ctr iperf3 -c 198.51.100.10 -t 60 > "$out"/flood-iperf.txt 2>&1 & cli=$!
sleep 2
for i in $(seq 1 10); do $J trace --from netns:lt-ctr --to 198.51.100.10 --count 10 --format json -o "$out"/flood-$i.json >/dev/null; done
kill $cli $srv 2>/dev/null; wait $cli $srv 2>/dev/null
$J lab down >/dev/null
OUT="$out" python3 - <<'PY'
import json, os
out = os.environ['OUT']
full=0; total=0; outcomes={}
for i in range(1,11):
    c=json.load(open(f'{out}/flood-{i}.json'))
    nodes={n['id']:n for n in c['graph']['nodes']}
    dev=[l for l in c['graph']['path'] if nodes[l]['kind'] in ('container','veth','bridge','nic','tap','uplink','remote')]
    for p in c['probes']:
        total+=1
        seen={o['layerId'] for o in c['observations'] if o['probeId']==p['id'] and o['direction']=='request'}
        if all(d in seen for d in dev): full+=1
    for v in c['verdicts']: outcomes[v['outcome']]=outcomes.get(v['outcome'],0)+1
print(f"probes {total}, observed at all {len(dev)} device layers: {full}; outcomes {outcomes}")
PY
grep -E "sender|receiver" "$out"/flood-iperf.txt | tail -2
