package dev.layertrace.lab;

/** A sysctl the lab sets in one namespace, e.g. {@code lt-guest net.ipv4.ip_forward = 1}. */
public record LabSysctl(String netns, String key, String value) {}
