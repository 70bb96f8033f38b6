package dev.layertrace.lab;

/**
 * A route the lab adds (the kernel adds the connected ones itself).
 *
 * @param dst {@code default} or a prefix
 */
public record LabRoute(String netns, String dst, String via, String dev, boolean onlink) {}
