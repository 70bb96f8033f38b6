#!/bin/sh
# Re-records the doctor fixtures in this folder from the live system (root; Debian 12 microVM).
# Usage: CP=<tracer-core test classpath> sh record-fixtures.sh
# The classpath: mvn -Dlt.build.dir=target-x -pl tracer-core test-compile dependency:build-classpath
#   -Dmdep.outputFile=cp.txt, then target-x/test-classes:target-x/classes:$(cat cp.txt)
set -eu
cd "$(dirname "$0")"
JAVA=$(readlink -f "$(command -v java)")
rec() { "$JAVA" -cp "$CP" dev.layertrace.check.FactsRecorder "$@"; }

# This machine, the process's own namespaces (with the kernel config from /proc/config.gz).
rec host.json --without-kernel-config
zcat /proc/config.gz > kernel-config/config-6.18-microvm

# A private mount namespace whose /sys/fs/cgroup was unmounted (acceptance a).
unshare -m --propagation private sh -c "umount -l /sys/fs/cgroup; '$JAVA' -cp '$CP' \
  dev.layertrace.check.FactsRecorder no-cgroup-mount.json --without-kernel-config"

# Under ip netns exec, which remounts /sys (acceptance b).
ip netns add lt-tdoc-rec
trap 'ip netns del lt-tdoc-rec' EXIT
ip netns exec lt-tdoc-rec "$JAVA" -cp "$CP" dev.layertrace.check.FactsRecorder ip-netns-exec.json \
  --without-kernel-config

# A fresh namespace: ip_forward=0 (acceptance c).
rec netns-ip-forward-off.json lt-tdoc-rec --without-kernel-config

# Docker-style iptables-nft rules beside a native inet filter forward chain, policy drop (acceptance d).
ip netns exec lt-tdoc-rec sh -e split-brain-rules.sh
rec netns-split-brain.json lt-tdoc-rec --without-kernel-config

# Kernel config variants (see README.md): NAT and what depends on it switched off; bridge netfilter off.
NAT_SYMBOLS='NF_NAT|NF_NAT_[A-Z0-9_]+|NFT_NAT|NFT_MASQ|NFT_REDIR|NFT_CHAIN_NAT|IP_NF_NAT|IP6_NF_NAT|IP_NF_TARGET_(MASQUERADE|NETMAP|REDIRECT)|IP6_NF_TARGET_(MASQUERADE|NPT)|NETFILTER_XT_NAT|NETFILTER_XT_TARGET_(MASQUERADE|NETMAP|REDIRECT)'
sed -E "s/^CONFIG_($NAT_SYMBOLS)=.*/# CONFIG_\1 is not set/" kernel-config/config-6.18-microvm \
  > kernel-config/config-6.18-microvm-no-nf-nat
sed -E 's/^CONFIG_BRIDGE_NETFILTER=.*/# CONFIG_BRIDGE_NETFILTER is not set/' kernel-config/config-6.18-microvm \
  > kernel-config/config-6.18-microvm-no-bridge-netfilter
