package dev.layertrace.discover;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The network namespaces of a host, deduplicated by nsfs inode: one entry per namespace however many
 * files ({@code /run/netns/*}, Docker's {@code /var/run/docker/netns/*}, {@code /proc/PID/ns/net}) point at it.
 */
public record NamespaceInventory(List<Entry> entries) {

  /** Where a namespace file was found. */
  public enum Origin { NAMED, DOCKER, PROCESS, SELF }

  /** One file that refers to a namespace. */
  public record Reference(Origin origin, String path, long inode, String name, int pid) {}

  /**
   * One namespace.
   *
   * @param name {@code ip netns} name, else Docker's sandbox file name, else {@code pid:LOWEST}
   * @param path a file that opens it (for setns and NETNSA_FD)
   * @param container the container name, when Docker resolution named it (null until then)
   * @param pids processes whose {@code /proc/PID/ns/net} is this namespace (readable ones only)
   */
  public record Entry(String name, String path, long inode, Origin origin, String container, List<Integer> pids) {
    public Entry {
      pids = List.copyOf(pids);
    }
  }

  public NamespaceInventory {
    entries = List.copyOf(entries);
  }

  /** Groups references by inode; the best-named reference names the namespace (named, docker, self, process). */
  public static NamespaceInventory of(List<Reference> refs) {
    Map<Long, List<Reference>> byInode = new LinkedHashMap<>();
    for (Reference r : refs) {
      byInode.computeIfAbsent(r.inode(), k -> new ArrayList<>()).add(r);
    }
    List<Entry> out = new ArrayList<>();
    for (var e : byInode.entrySet()) {
      List<Reference> rs = e.getValue();
      Reference best = rs.stream().min(Comparator.comparingInt((Reference r) -> rank(r.origin()))
          .thenComparing(Reference::name)).orElseThrow();
      TreeSet<Integer> pids = new TreeSet<>();
      rs.stream().filter(r -> r.pid() > 0).forEach(r -> pids.add(r.pid()));
      String name = best.origin() == Origin.PROCESS && !pids.isEmpty() ? "pid:" + pids.first() : best.name();
      out.add(new Entry(name, best.path(), e.getKey(), best.origin(), null, new ArrayList<>(pids)));
    }
    out.sort(Comparator.comparing(Entry::name));
    return new NamespaceInventory(out);
  }

  private static int rank(Origin o) {
    return switch (o) {
      case NAMED -> 0;
      case DOCKER -> 1;
      case SELF -> 2;
      case PROCESS -> 3;
    };
  }

  public Optional<Entry> byName(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The namespace process {@code pid} is in, if its namespace file was readable. */
  public Optional<Entry> byPid(int pid) {
    return entries.stream().filter(e -> e.pids().contains(pid)).findFirst();
  }

  public Optional<Entry> byInode(long inode) {
    return entries.stream().filter(e -> e.inode() == inode).findFirst();
  }

  public List<String> names() {
    return entries.stream().map(Entry::name).toList();
  }
}
