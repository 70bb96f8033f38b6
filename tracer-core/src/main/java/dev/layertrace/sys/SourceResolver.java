package dev.layertrace.sys;

import dev.layertrace.LayertraceException;
import dev.layertrace.discover.ContainerLookup;
import dev.layertrace.discover.NamespaceInventory;
import dev.layertrace.discover.SourceSpec;
import dev.layertrace.docker.ContainerDetails;
import dev.layertrace.docker.DockerHost;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Turns a {@code --from} source into the name of a namespace of a {@link LiveHost}'s inventory.
 * Containers go through a {@link ContainerLookup}: {@link #dockerSocketLookup} asks the Docker Engine
 * API ({@link DockerClient}) for the container's process and enters its namespace.
 */
public final class SourceResolver {
  private final LiveHost host;
  private final ContainerLookup containers;

  public SourceResolver(LiveHost host, ContainerLookup containers) {
    this.host = host;
    this.containers = containers;
  }

  /** The namespace name (as {@link LiveHost#namespace} knows it) the source lives in. */
  public String resolve(SourceSpec s) {
    NamespaceInventory inv = host.inventory();
    return switch (s.kind()) {
      case NETNS -> inv.byName(s.value()).map(NamespaceInventory.Entry::name).orElseThrow(() ->
          LayertraceException.usage("no network namespace '" + s.value() + "' (see ip netns list)"));
      case PID -> byPid(inv, Integer.parseInt(s.value()));
      case IP -> byAddress(inv, s.value());
      case CONTAINER -> {
        ContainerLookup.ContainerNamespace c = containers.find(s.value());
        long ino = ProcReaders.inode(Path.of(c.netnsPath())).orElseThrow(() -> LayertraceException.usage(
            "container '" + s.value() + "' has no readable network namespace at " + c.netnsPath()));
        yield inv.byInode(ino).map(NamespaceInventory.Entry::name).orElseThrow(() -> LayertraceException.usage(
            "container '" + s.value() + "' namespace " + c.netnsPath() + " is not in the inventory"));
      }
    };
  }

  private static String byPid(NamespaceInventory inv, int pid) {
    Path ns = Path.of("/proc", Integer.toString(pid), "ns", "net");
    try {
      long ino = (Long) Files.getAttribute(ns, "unix:ino");
      return inv.byInode(ino).map(NamespaceInventory.Entry::name).orElse("pid:" + pid);
    } catch (NoSuchFileException e) {
      throw LayertraceException.usage("no process " + pid);
    } catch (AccessDeniedException e) {
      throw LayertraceException.missingPrivilege("CAP_SYS_ADMIN", "to open " + ns);
    } catch (java.io.IOException e) {
      throw LayertraceException.usage("cannot read " + ns + ": " + e.getMessage());
    }
  }

  /** The namespace with {@code ip} configured on an interface; named namespaces are looked at first. */
  private String byAddress(NamespaceInventory inv, String ip) {
    dev.layertrace.discover.DecodingHostView view = new dev.layertrace.discover.DecodingHostView(host);
    for (NamespaceInventory.Entry e : inv.entries().stream()
        .sorted(java.util.Comparator.comparing((NamespaceInventory.Entry x) -> x.origin().ordinal())).toList()) {
      try {
        if (view.namespace(e.name()).ownsAddress(ip)) {
          return e.name();
        }
      } catch (LayertraceException gone) {
        if (gone.exitCode() != dev.layertrace.ExitCode.USAGE) {
          throw gone; // a missing privilege is the user's to fix, not a namespace to skip
        }
      }
    }
    throw LayertraceException.usage("no network namespace has the address " + ip);
  }

  /**
   * The placeholder until the Docker Engine API client exists: names the socket it would ask
   * ({@code DOCKER_HOST} if set to unix://, else /var/run/docker.sock) and fails with exit 2.
   */
  public static ContainerLookup dockerSocketLookup(String dockerHost) {
    // Resolved lazily: only a container source needs the daemon.
    return nameOrId -> {
      DockerHost host = DockerHost.resolve(dockerHost, System.getenv());
      try (DockerClient client = DockerClient.open(host)) {
        ContainerDetails c = client.running(nameOrId);
        // /proc/PID/ns/net is in the inventory even when the sandbox key lives under another exec-root.
        String netns = c.pid() > 0 ? "/proc/" + c.pid() + "/ns/net"
            : c.netnsPath().map(Path::toString).orElseThrow(() -> LayertraceException.usage(
                "container " + c.describe() + " has no network namespace of its own (network mode "
                    + c.networkMode() + ")"));
        return new ContainerLookup.ContainerNamespace(c.name(), c.id(), netns, c.pid());
      }
    };
  }

}
