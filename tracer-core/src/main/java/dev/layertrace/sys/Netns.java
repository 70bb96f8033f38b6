package dev.layertrace.sys;

import dev.layertrace.LayertraceException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A reference to a network namespace file: a name under {@code /run/netns} (what {@code ip netns add}
 * makes), {@code /proc/PID/ns/net}, or this process's own namespace. Holds only the path; the
 * namespace is identified by the inode of that file, read when asked.
 */
public final class Netns {
  /** Where {@code ip netns} keeps its bind mounts. */
  public static final Path RUN_NETNS = Path.of("/run/netns");

  private final Path path;
  private final String name;

  private Netns(Path path, String name) {
    this.path = path;
    this.name = name;
  }

  /** {@code /run/netns/NAME}; a usage error naming {@code ip netns list} when it does not exist. */
  public static Netns named(String name) {
    if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw LayertraceException.usage("'" + name + "' is not a network namespace name");
    }
    Path p = RUN_NETNS.resolve(name);
    if (!Files.exists(p)) {
      throw LayertraceException.usage("no network namespace '" + name + "' (see ip netns list)");
    }
    return new Netns(p, name);
  }

  /** Where Docker keeps its containers' namespace files (named by sandbox id in the inventory). */
  static final Path DOCKER_NETNS = Path.of("/var/run/docker/netns");

  /**
   * A namespace by the name discovery gave it (see {@code NamespaceInventory}): {@code self},
   * {@code pid:N}, a name under /run/netns, a Docker sandbox id under /var/run/docker/netns, or a
   * path. This is how a trace enters the namespaces of a path whose source is a container or process.
   */
  public static Netns byInventoryName(String name) {
    if (name == null || name.isEmpty()) {
      throw LayertraceException.usage("'" + name + "' is not a network namespace name");
    }
    if (name.equals("self")) {
      return self();
    }
    if (name.startsWith("pid:")) {
      try {
        int pid = Integer.parseInt(name.substring(4));
        if (Files.exists(Path.of("/proc", Integer.toString(pid), "ns", "net"))) {
          return ofPid(pid);
        }
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
      throw LayertraceException.usage("no network namespace '" + name + "' (the process is gone)");
    }
    if (name.startsWith("/")) {
      return ofPath(Path.of(name));
    }
    if (!name.contains("/") && !Files.exists(RUN_NETNS.resolve(name)) && Files.exists(DOCKER_NETNS.resolve(name))) {
      return ofPath(DOCKER_NETNS.resolve(name));
    }
    return named(name);
  }

  /** Any namespace file, e.g. a bind mount made by another tool; named by its file name under /run/netns. */
  public static Netns ofPath(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    String name = RUN_NETNS.equals(abs.getParent()) ? abs.getFileName().toString() : abs.toString();
    return new Netns(abs, name);
  }

  /** The namespace of process {@code pid}: {@code /proc/PID/ns/net}, named {@code pid:PID}. */
  public static Netns ofPid(int pid) {
    return new Netns(Path.of("/proc", Integer.toString(pid), "ns", "net"), "pid:" + pid);
  }

  /**
   * This process's own namespace, {@code /proc/self/ns/net} (the main thread's, which layertrace never
   * switches), named {@code self}. Not {@code /proc/1}: that is unreadable in sandboxes.
   */
  public static Netns self() {
    return new Netns(Path.of("/proc/self/ns/net"), "self");
  }

  /** The inode of the namespace the calling thread is in ({@code /proc/thread-self/ns/net}). */
  public static long currentThreadInode() {
    return inodeOf(Path.of("/proc/thread-self/ns/net"));
  }

  public Path path() {
    return path;
  }

  /** The namespace's identity: the nsfs inode behind the path (as in {@code ip netns identify}, {@code lsns}). */
  public long inode() {
    return inodeOf(path);
  }

  /** True when the calling thread is in this namespace. */
  public boolean isCurrentThread() {
    return inode() == currentThreadInode();
  }

  /** The netns name, {@code pid:N}, {@code self}, or the path for other files. */
  public String name() {
    return name;
  }

  private static long inodeOf(Path p) {
    try {
      return (Long) Files.getAttribute(p, "unix:ino");
    } catch (NoSuchFileException e) {
      throw new SysException("stat " + p, Errno.ENOENT);
    } catch (AccessDeniedException e) {
      throw new SysException("stat " + p, Errno.EACCES);
    } catch (IOException e) {
      throw new SysException("stat " + p, Errno.EIO);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Netns other && other.path.equals(path) && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, name);
  }

  @Override
  public String toString() {
    return name;
  }
}
