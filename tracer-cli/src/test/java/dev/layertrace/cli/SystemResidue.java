package dev.layertrace.cli;

import dev.layertrace.lab.LabTopology;
import dev.layertrace.sys.Commands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What layertrace may leave on the system, read from the real kernel: tracefs instances
 * {@code layertrace*}, nft tables {@code layertrace*} in this namespace and rule-trace tables
 * {@code layertrace_trace_<pid>} in each watched one,
 * VMM relays of the standard lab, the lab's dockerd, {@code nft monitor trace} processes whose
 * layertrace is gone, and the watched namespaces that exist. On a machine shared with other runs,
 * an instance or table counts only when its owner pid is gone or one of {@code ours}.
 */
record SystemResidue(List<String> tracefs, List<String> nftTables, List<String> relays, List<String> dockerds,
    List<String> orphanMonitors, List<String> namespaces) {
  static final Path INSTANCES = Path.of("/sys/kernel/tracing/instances");
  private static final Pattern TABLE = Pattern.compile("table (\\S+) (layertrace\\S*)");
  private static final Pattern OWNER = Pattern.compile("layertrace[-_a-z]*?[-_](\\d+)");

  /** The standard lab's namespaces and those of {@code privatePrefix} (e.g. lt-h10-). */
  static List<String> watched(String privatePrefix) {
    List<String> all = new ArrayList<>(LabTopology.standard().namespaces());
    try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(privatePrefix)).sorted().forEach(all::add);
    } catch (IOException e) {
      // no named namespaces at all
    }
    return all;
  }

  static SystemResidue scan(Set<Long> ours, String privatePrefix) {
    List<String> namespaces = watched(privatePrefix).stream().filter(n -> Files.exists(Path.of("/run/netns", n)))
        .toList();
    List<String> tracefs = new ArrayList<>();
    try (Stream<Path> s = Files.list(INSTANCES)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("layertrace")).filter(n -> owned(n, ours))
          .sorted().forEach(tracefs::add);
    } catch (IOException e) {
      // no tracefs here: nothing left in it
    }
    List<String> tables = new ArrayList<>();
    tables(List.of("nft", "list", "tables"), "(root)", ours, tables);
    for (String ns : namespaces) {
      tables(List.of("ip", "netns", "exec", ns, "nft", "list", "tables"), ns, ours, tables);
    }
    List<String> relays = new ArrayList<>();
    List<String> dockerds = new ArrayList<>();
    List<String> monitors = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> {
      List<String> args = cmdline(p.pid());
      if (args.isEmpty()) {
        return;
      }
      String joined = String.join(" ", args);
      if (java.util.Collections.indexOfSubList(args, List.of("lab", "vmm")) >= 0
          && (!args.contains("--runtime-dir") || joined.contains("--runtime-dir /run/layertrace/lab"))) {
        relays.add(p.pid() + " relay " + String.join(" ", args.subList(args.indexOf("vmm") + 1, args.size())));
      } else if (args.get(0).endsWith("dockerd") && joined.contains("/run/layertrace")) {
        dockerds.add(p.pid() + " " + joined.substring(0, Math.min(120, joined.length())));
      } else if (args.get(0).endsWith("nft") && args.contains("monitor")) {
        long parent = p.parent().map(ProcessHandle::pid).orElse(1L);
        if (!String.join(" ", cmdline(parent)).contains("java")) {
          monitors.add(p.pid() + " " + joined + " (parent " + parent + ")");
        }
      }
    });
    return new SystemResidue(tracefs, tables, relays, dockerds, monitors, namespaces);
  }

  private static void tables(List<String> argv, String where, Set<Long> ours, List<String> out) {
    Commands.Result r = Commands.run(argv, null, Duration.ofSeconds(10));
    Matcher m = TABLE.matcher(r.stdout());
    while (m.find()) {
      // A lab's own table (layertrace_lab in lt-host) goes with its namespace; rule-trace tables and
      // anything in this namespace are layertrace's to remove.
      boolean ruleTrace = m.group(2).startsWith("layertrace_trace");
      if ((ruleTrace || where.equals("(root)")) && owned(m.group(2), ours)) {
        out.add(where + ": " + m.group(1) + " " + m.group(2));
      }
    }
  }

  /** True when the name's owner pid is one of ours or gone (or the name has no pid). */
  private static boolean owned(String name, Set<Long> ours) {
    Matcher m = OWNER.matcher(name);
    if (!m.find()) {
      return true;
    }
    long pid = Long.parseLong(m.group(1));
    return ours.contains(pid) || !Files.exists(Path.of("/proc", Long.toString(pid)));
  }

  private static List<String> cmdline(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      if (raw.length == 0) {
        return List.of();
      }
      return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Nothing left at all (no lab meant to be up). */
  boolean clean() {
    return cleanExcept(List.of());
  }

  /** Nothing left but the namespaces in {@code labUp} (a lab meant to be up) and, with them, one relay. */
  boolean cleanExcept(Collection<String> labUp) {
    boolean relayAllowed = labUp.contains(LabTopology.GUEST);
    return tracefs.isEmpty() && nftTables.isEmpty() && dockerds.isEmpty() && orphanMonitors.isEmpty()
        && relays.size() <= (relayAllowed ? 1 : 0) && Set.copyOf(labUp).containsAll(namespaces);
  }

  @Override
  public String toString() {
    return "tracefs " + tracefs + ", nft " + nftTables + ", relays " + relays + ", dockerd " + dockerds
        + ", orphan nft monitors " + orphanMonitors + ", namespaces " + namespaces;
  }
}
