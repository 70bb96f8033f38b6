// What each kind of layer does to a packet, for the teaching mode. Plain text only: app.js puts it
// into the page with textContent.
"use strict";
window.LT_TEACHING = Object.freeze({
  "container": "The container's own network namespace. The packet is born here: the application's socket hands it to the kernel, which picks a route (usually the default via the bridge's address) and sends it out of eth0 with the container's address as source and a TTL of 64.",
  "veth": "A veth pair is a virtual cable: whatever enters one end leaves the other, here crossing from the container's namespace into the guest's. Nothing in the headers changes; only the namespace does.",
  "bridge": "The bridge (docker0) is a virtual switch. It learns MAC addresses on its ports and, because the destination MAC is the bridge's own, hands the frame up to the IP stack for routing instead of switching it to another port.",
  "forwarding": "The routing decision: the kernel looks up the destination in its routing table and, because the packet is not for this host, forwards it (only if net.ipv4.ip_forward=1). Forwarding decrements the TTL by one and picks the output device and next hop.",
  "filter": "Netfilter's FORWARD hook (iptables filter table or an nftables chain) decides whether forwarded packets may pass. A DROP policy with no matching ACCEPT rule silently discards the packet here.",
  "nat": "Netfilter's POSTROUTING hook rewrites the source address (MASQUERADE/SNAT) to the address of the output interface, so that replies can find their way back. Without it the packet leaves with a private source the far side cannot answer.",
  "nic": "The guest's network card (virtio-net in a microVM). On the way out the kernel writes a new Ethernet header: the source MAC becomes this NIC's, the destination MAC the next hop's, resolved by ARP.",
  "vmm-link": "The VMM boundary: the virtual machine monitor (Firecracker, Cloud Hypervisor, QEMU) reads the frame from the guest NIC's queue and writes it into a tap device on the host. The packet leaves one kernel and enters another.",
  "tap": "The tap device is the host's end of the guest NIC: frames the VMM writes into it arrive on the host as if received from a cable. From here on the host kernel decides the packet's fate.",
  "uplink": "The host's way out to the world. The host routes the packet here and its own NAT usually rewrites the source again, to the uplink's address.",
  "remote": "The destination. If the request arrives with a source address the remote cannot route back to, it will answer into the void: the reply is lost."
});
