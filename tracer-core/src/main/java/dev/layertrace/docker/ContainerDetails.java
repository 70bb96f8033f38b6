package dev.layertrace.docker;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code GET /containers/{id}/json} says about a container's network: the facts layertrace
 * needs to enter its namespace and to name it.
 *
 * @param name without Docker's leading {@code /}
 * @param pid the init process ({@code State.Pid}); 0 when not running
 * @param ipAddress {@code NetworkSettings.IPAddress} on the default bridge; empty otherwise
 * @param gateway {@code NetworkSettings.Gateway}; empty when none
 * @param sandboxKey {@code NetworkSettings.SandboxKey}: the bind-mounted netns file under the
 *     daemon's exec-root ({@code /var/run/docker/netns/…}); null when the container has none
 * @param networkMode {@code HostConfig.NetworkMode}: {@code default}, {@code bridge}, {@code host},
 *     {@code none}, {@code container:ID}, or a network name
 */
public record ContainerDetails(String id, String name, String image, boolean running, int pid, String ipAddress,
    String gateway, Path sandboxKey, String networkMode) {

  /** The netns file to enter: the sandbox key when the daemon gave one. */
  public Optional<Path> netnsPath() {
    return Optional.ofNullable(sandboxKey);
  }

  /** True when the container shares the host's (here: the daemon's) network namespace. */
  public boolean hostNetwork() {
    return "host".equals(networkMode);
  }

  /** {@code lt-web (3f9c0a1b2c3d)}. */
  public String describe() {
    return name + " (" + id.substring(0, Math.min(12, id.length())) + ")";
  }
}
