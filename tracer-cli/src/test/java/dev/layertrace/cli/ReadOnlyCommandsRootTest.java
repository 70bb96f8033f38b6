package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.ExitCode;
import dev.layertrace.state.StateDigest;
import dev.layertrace.sys.Commands;
import dev.layertrace.sys.SystemStateReader;
import dev.layertrace.testing.RootOnly;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 2, "read-only by default": {@code path}, {@code doctor} and {@code trace} against a scratch topology
 * (lt-thard-a ─ veth ─ lt-thard-b, addresses, an nft rule) leave the whole system's state digest
 * (links, addresses, routes, rules, sysctls and rulesets of the root namespace and of every namespace
 * under /run/netns) exactly as it was.
 *
 * <p>Other test runs may be building their own namespaces on the same machine meanwhile. A namespace
 * that is not ours and changed while nothing of ours ran (between two readings before, or two after)
 * is set aside as busy and named in the log; ours and the root namespace are always compared.
 */
@RootOnly
class ReadOnlyCommandsRootTest {
  private static final String A = "lt-thard-a";
  private static final String B = "lt-thard-b";

  @BeforeAll
  static void scratchTopology() {
    cleanup();
    sh("ip netns add " + A);
    sh("ip netns add " + B);
    // IPv6 duplicate address detection changes addresses and routes by itself a moment after a link
    // comes up: turned off, so the digests compare only what path and doctor could have changed.
    for (String ns : new String[] {A, B}) {
      sh("ip netns exec " + ns + " sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
    }
    sh("ip -n " + A + " link add lt-thard-va type veth peer name lt-thard-vb netns " + B);
    sh("ip -n " + A + " addr add 172.16.0.1/30 dev lt-thard-va");
    sh("ip -n " + B + " addr add 172.16.0.2/30 dev lt-thard-vb");
    sh("ip -n " + A + " link set lo up");
    sh("ip -n " + A + " link set lt-thard-va up");
    sh("ip -n " + B + " link set lt-thard-vb up");
    sh("ip netns exec " + A + " nft add table inet lt_thard");
    sh("ip netns exec " + A + " nft add chain inet lt_thard out '{ type filter hook output priority 0; policy accept; }'");
    sh("ip netns exec " + A + " nft add rule inet lt_thard out ip daddr 172.16.0.2 counter accept");
  }

  @AfterAll
  static void cleanup() {
    Commands.run("ip", "netns", "del", A);
    Commands.run("ip", "netns", "del", B);
  }

  private static void sh(String command) {
    Commands.run("sh", "-c", command).orThrow();
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** Namespaces not ours whose state moved on its own between two readings. */
  private static Set<String> busy(StateDigest first, StateDigest second) {
    Set<String> names = new TreeSet<>(first.namespaces().keySet());
    names.addAll(second.namespaces().keySet());
    names.removeIf(ns -> ns.equals(StateDigest.ROOT) || ns.startsWith("lt-thard-")
        || first.of(ns).equals(second.of(ns)) && first.namespaces().containsKey(ns) == second.namespaces().containsKey(ns));
    return names;
  }

  @Test
  void pathDoctorAndTraceChangeNothingOnTheSystem() throws Exception {
    StateDigest settle = SystemStateReader.digest();
    StateDigest before = SystemStateReader.digest();
    Set<String> busy = new TreeSet<>(busy(settle, before));

    StringWriter pathOut = new StringWriter();
    StringWriter pathErr = new StringWriter();
    int path = run(pathOut, pathErr, "path", "--from", "netns:" + A, "--to", "172.16.0.2");
    StringWriter doctorOut = new StringWriter();
    StringWriter doctorErr = new StringWriter();
    int doctor = run(doctorOut, doctorErr, "doctor", "--netns", A);
    // A real trace: probes, observers and a tracefs instance that exists only while it runs.
    StringWriter traceOut = new StringWriter();
    StringWriter traceErr = new StringWriter();
    int trace = run(traceOut, traceErr, "trace", "--from", "netns:" + A, "--to", "172.16.0.2", "--proto", "tcp");

    StateDigest after = SystemStateReader.digest();
    busy.addAll(busy(after, SystemStateReader.digest()));
    // Namespaces of other runs that came or went meanwhile; a namespace present throughout must be unchanged.
    busy.addAll(busy(before, after).stream().filter(ns -> !before.namespaces().containsKey(ns)
        || !after.namespaces().containsKey(ns)).toList());

    System.out.println("read-only check: path exit " + path + ", doctor exit " + doctor + ", trace exit " + trace
        + "; digest "
        + before.sha256().substring(0, 16) + " over " + before.namespaces().keySet()
        + (busy.isEmpty() ? "" : "; set aside as busy (other test runs): " + busy));
    assertThat(path).as("path: %s%s", pathOut, pathErr).isIn(ExitCode.OK, ExitCode.STOPPED);
    assertThat(pathOut.toString()).contains(A);
    assertThat(doctor).as("doctor: %s%s", doctorOut, doctorErr).isIn(ExitCode.OK, ExitCode.STOPPED);
    assertThat(trace).as("trace: %s%s", traceOut, traceErr).isIn(ExitCode.OK, ExitCode.STOPPED);
    assertThat(traceOut.toString()).contains("lt-thard-vb");
    try (var instances = java.nio.file.Files.list(java.nio.file.Path.of("/sys/kernel/tracing/instances"))) {
      assertThat(instances.map(p -> p.getFileName().toString()))
          .as("the trace's tracefs instance is gone").noneMatch(n -> n.startsWith("layertrace-" + ProcessHandle.current().pid()));
    }
    assertThat(before.namespaces()).containsKeys(StateDigest.ROOT, A, B);
    assertThat(before.of(A).get("nft")).contains("ip daddr 172.16.0.2");
    List<String> changes = before.without(busy).differences(after.without(busy));
    assertThat(changes).as("state changed by path/doctor/trace").isEmpty();
  }

  @Test
  void theDigestSeesEachKindOfChange() {
    // The comparison above could never fail if the digest missed changes: make one of each kind in B.
    StateDigest before = SystemStateReader.digest();
    sh("ip -n " + B + " addr add 172.16.0.6/30 dev lt-thard-vb");
    sh("ip -n " + B + " route add 198.51.100.0/24 via 172.16.0.1");
    sh("ip netns exec " + B + " sysctl -qw net.ipv4.ip_forward=1");
    sh("ip netns exec " + B + " nft add table ip lt_thard_probe");
    sh("ip netns exec " + B + " iptables-nft -A OUTPUT -d 198.51.100.10 -j ACCEPT");
    sh("ip -n " + B + " rule add from 172.16.0.6 table 100");
    sh("ip -n " + B + " link set lt-thard-vb mtu 1400");
    StateDigest after = SystemStateReader.digest();
    assertThat(before.differences(after).stream().filter(d -> d.startsWith(B + " ")).map(d -> d.split(":")[0]))
        .contains(B + " addresses", B + " routes4", B + " sysctls", B + " nft", B + " iptables-nft", B + " rules",
            B + " links");
    assertThat(before.sha256()).isNotEqualTo(after.sha256());
    // Once the kernel has settled (IPv6 DAD after the link changes), two readings agree again.
    StateDigest previous = after;
    StateDigest again = SystemStateReader.digest();
    for (int i = 0; i < 10 && !previous.of(B).equals(again.of(B)); i++) {
      previous = again;
      again = SystemStateReader.digest();
    }
    assertThat(again.of(B)).isEqualTo(previous.of(B));
  }
}
