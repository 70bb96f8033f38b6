package dev.layertrace.netlink;

/**
 * One RTM_NEWNETCONF entry: a device's (or the namespace's {@code all}/{@code default}) IPv4/IPv6
 * forwarding and rp_filter, null when the kernel did not include it.
 */
public record Netconf(int family, int ifindex, Integer forwarding, Integer rpFilter) {}
