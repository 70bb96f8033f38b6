package dev.layertrace.lab;

/** An IPv4 address the lab assigns, e.g. {@code lt-guest eth0 172.16.0.2/30}. */
public record LabAddress(String netns, String iface, String cidr) {}
