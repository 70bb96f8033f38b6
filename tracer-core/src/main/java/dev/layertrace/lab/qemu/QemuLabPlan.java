package dev.layertrace.lab.qemu;

import dev.layertrace.lab.LabStep;
import dev.layertrace.lab.LabTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a lab's build steps between the two kernels. The host keeps lt-host (with its persistent
 * {@code tap0}, which QEMU opens) and lt-inet; the guest kernel gets lt-ctr, the veth, docker0,
 * the sysctls and Docker's rules — the very steps of {@link LabTopology}, run by the guest's init. In
 * the guest, lt-guest is not a new namespace but the guest kernel's own (initial) one, given the name
 * with {@code ip netns attach}, so every step and every tool addresses it as in the namespace lab. The
 * guest NIC is QEMU's virtio-net device ({@code eth0}), so the step that made a tap for it is dropped.
 */
public final class QemuLabPlan {
  private final LabTopology topology;

  public QemuLabPlan(LabTopology topology) {
    if (topology.vmmLink() != LabTopology.VmmLink.RELAY) {
      throw new IllegalArgumentException("a QEMU lab replaces the relay between two taps: use a RELAY topology");
    }
    this.topology = topology;
  }

  public LabTopology topology() {
    return topology;
  }

  /** The namespaces on the host: lt-host and lt-inet. */
  public List<String> hostNamespaces() {
    return List.of(topology.host(), topology.inet());
  }

  /** The namespaces inside the guest kernel: lt-ctr and lt-guest. */
  public List<String> guestNamespaces() {
    return List.of(topology.ctr(), topology.guest());
  }

  /** The steps that build the host side (namespaces, uplink pair, tap0, addresses, routes, nft). */
  public List<LabStep> hostSteps() {
    Set<String> host = Set.copyOf(hostNamespaces());
    return topology.buildSteps().stream().filter(s -> s instanceof LabStep.Exec e
        && (e.netns() != null ? host.contains(e.netns()) : host.contains(String.valueOf(addedNamespace(e))))).toList();
  }

  /** The steps that remove the host side. */
  public List<LabStep> hostTeardownSteps() {
    return hostNamespaces().stream()
        .<LabStep>map(ns -> new LabStep.Exec(null, List.of("ip", "netns", "delete", ns), null, true))
        .toList();
  }

  /** The guest side as the shell script the guest's init runs ({@code sh -e}: the first failure stops it). */
  public String guestScript() {
    Set<String> guest = Set.copyOf(guestNamespaces());
    List<String> lines = new ArrayList<>();
    lines.add("# The guest side of the layertrace lab, generated from LabTopology; run by the guest's /init.");
    lines.add("mkdir -p /run/netns");
    List<LabStep.Exec> batch = new ArrayList<>();
    for (LabStep step : topology.buildSteps()) {
      if (!(step instanceof LabStep.Exec e) || isTapCreation(e)) {
        continue; // the guest NIC is QEMU's virtio-net device, not a tap
      }
      if (e.netns() != null && guest.contains(e.netns()) && batchable(e)) {
        if (!batch.isEmpty() && !batch.get(0).netns().equals(e.netns())) {
          flush(batch, lines);
        }
        batch.add(e);
        continue;
      }
      flush(batch, lines);
      if (e.netns() == null) {
        String added = addedNamespace(e);
        if (topology.guest().equals(added)) {
          lines.add(shell(List.of("ip", "netns", "attach", added, "1")));
        } else if (added != null && guest.contains(added)) {
          lines.add(shell(e.argv()));
        }
      } else if (guest.contains(e.netns())) {
        lines.add(command(e));
      }
    }
    flush(batch, lines);
    return String.join("\n", lines) + "\n";
  }

  /**
   * Consecutive ip commands in one namespace become one {@code ip -n NS -batch -}, as LabStepRunner does
   * on the host: under TCG every process start costs, and the guest's lab has a few dozen of them.
   */
  private static boolean batchable(LabStep.Exec e) {
    return e.argv().get(0).equals("ip") && e.stdin() == null && !e.mayFail();
  }

  private static void flush(List<LabStep.Exec> batch, List<String> lines) {
    if (batch.size() == 1) {
      lines.add(command(batch.get(0)));
    } else if (batch.size() > 1) {
      lines.add("ip -n " + quote(batch.get(0).netns()) + " -batch - <<'LAB'");
      batch.forEach(e -> lines.add(shell(e.argv().subList(1, e.argv().size()))));
      lines.add("LAB");
    }
    batch.clear();
  }

  /** The command line of a step inside the guest: {@code ip -n NS …} or {@code ip netns exec NS …}. */
  public static String command(LabStep.Exec e) {
    String line = shell(e.command());
    if (e.stdin() != null) {
      line = "printf '%s' " + quote(e.stdin()) + " | " + line;
    }
    return e.mayFail() ? line + " || true" : line;
  }

  private static boolean isTapCreation(LabStep.Exec e) {
    return e.argv().size() > 2 && e.argv().get(0).equals("ip") && e.argv().get(1).equals("tuntap");
  }

  /** The namespace {@code ip netns add NAME} creates, or null for any other step. */
  private static String addedNamespace(LabStep.Exec e) {
    List<String> a = e.argv();
    return a.size() == 4 && a.get(0).equals("ip") && a.get(1).equals("netns") && a.get(2).equals("add") ? a.get(3) : null;
  }

  static String shell(List<String> argv) {
    return String.join(" ", argv.stream().map(QemuLabPlan::quote).toList());
  }

  /** Quotes an argument for sh when it needs it. */
  static String quote(String arg) {
    if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./:=,@+%".indexOf(c) >= 0)) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
