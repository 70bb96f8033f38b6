/**
 * Packets as bytes: immutable parsed views of Ethernet, IPv4, ICMP, UDP, TCP and ARP (one static
 * parse factory, {@link dev.layertrace.packet.EthernetFrame#parse}), builders for the probes, and the
 * Internet checksum. Pure: no sockets here.
 */
package dev.layertrace.packet;
