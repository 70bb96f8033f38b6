#!/bin/sh
# Records the fixtures of the dev.layertrace.lab.qemu tests from this host (Debian 12 with
# linux-image-amd64, iproute2, nftables and openjdk-17 installed). Run from this folder:
#   sh record-fixtures.sh 6.1.0-57-amd64
set -e
rel=${1:?kernel release}
m=/lib/modules/$rel
mods="crc32c_generic virtio_mmio virtio_net virtio_console 9pnet_virtio 9p veth bridge br_netfilter nf_tables nft_masq xt_MASQUERADE iptable_nat"
# kmod's own answer (the oracle): the files each module needs, in load order.
for x in $mods; do echo "# $x"; modprobe -S "$rel" --show-depends "$x"; done > show-depends.txt
# modules.dep: every line for those files, plus the first 40 lines of the real file as unrelated neighbours.
files=$(grep -v '^#' show-depends.txt | awk '{print $2}' | sed "s|^$m/||" | sort -u)
{ head -40 "$m/modules.dep"; for f in $files; do grep "^$f:" "$m/modules.dep"; done; } | awk '!seen[$0]++' > modules.dep.txt
grep -E ' (crc32c_generic|crc32c_intel|nft_masq|xt_MASQUERADE|virtio_mmio|bridge|9p)$' "$m/modules.alias" > modules.alias.txt
ldd /usr/bin/ip /usr/sbin/nft /usr/lib/jvm/java-17-openjdk-amd64/lib/libnio.so /usr/lib/x86_64-linux-gnu/xtables/libxt_MASQUERADE.so > ldd.txt || true
awk 'NF==0{exit} {print}' /proc/cpuinfo > cpuinfo.txt
