# A Docker host in miniature, run inside a scratch namespace (ip netns exec lt-tdoc-... sh -e THIS):
# docker0 (172.17.0.1/16, MTU 1500) and an uplink eth0 (a veth: this kernel has no dummy driver)
# with a smaller MTU (1400, as on a tunnelled microVM NIC); Docker's iptables rules as dockerd 24 writes them through iptables-nft; and a native
# nftables table whose forward chain drops everything: the lab's nft-split-brain fault.
ip link add docker0 type bridge
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
ip link add eth0 type veth peer name lt-up0
ip link set eth0 mtu 1400 up
ip link set lt-up0 up
ip addr add 203.0.113.2/24 dev eth0
ip route add default via 203.0.113.1
iptables -N DOCKER
iptables -N DOCKER-USER
iptables -P FORWARD DROP
iptables -A FORWARD -j DOCKER-USER
iptables -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A FORWARD -o docker0 -j DOCKER
iptables -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
iptables -A FORWARD -i docker0 -o docker0 -j ACCEPT
iptables -A DOCKER-USER -j RETURN
iptables -t nat -N DOCKER
iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
nft add table inet filter
nft add chain inet filter forward '{ type filter hook forward priority 0; policy drop; }'
