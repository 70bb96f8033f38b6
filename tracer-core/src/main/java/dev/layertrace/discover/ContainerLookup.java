package dev.layertrace.discover;

/**
 * Finds a container's network namespace (a Docker Engine API client plugs in here): the path of a file
 * that opens it, e.g. the sandbox key {@code /var/run/docker/netns/abc123} or {@code /proc/PID/ns/net}.
 */
public interface ContainerLookup {
  /** Throws a {@link dev.layertrace.LayertraceException} (exit 2) for an unknown container or absent daemon. */
  ContainerNamespace find(String nameOrId);

  /** The container's name and the namespace file its sandbox uses. */
  record ContainerNamespace(String name, String id, String netnsPath, int pid) {}
}
