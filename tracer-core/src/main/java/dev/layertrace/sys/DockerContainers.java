package dev.layertrace.sys;

import dev.layertrace.LayertraceException;
import dev.layertrace.check.FactPaths;
import dev.layertrace.docker.ContainerDetails;
import dev.layertrace.docker.DockerHost;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a running Docker container's network namespace through the daemon's API. */
public final class DockerContainers {
  private DockerContainers() {}

  /**
   * The network namespace of running container {@code name} ({@code /proc/PID/ns/net} of its init).
   * A usage error (exit 2) when no Docker daemon socket exists or the daemon does not run that container.
   */
  public static Netns netnsOf(String name) {
    String socket = FactPaths.DOCKER_SOCKETS.stream().filter(s -> Files.exists(Path.of(s))).findFirst()
        .orElseThrow(() -> LayertraceException.usage("--container " + name + ": no Docker daemon socket ("
            + String.join(", ", FactPaths.DOCKER_SOCKETS) + "); is dockerd running?"));
    try (DockerClient docker = DockerClient.open(new DockerHost(Path.of(socket)))) {
      ContainerDetails c = docker.running(name);
      return Netns.ofPid(c.pid());
    }
  }
}
