package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.check.CheckResult;
import dev.layertrace.check.CheckStatus;
import dev.layertrace.check.DoctorReport;
import dev.layertrace.sys.Commands;
import dev.layertrace.sys.SystemFactsReader;
import dev.layertrace.testing.RootOnly;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Doctor's acceptance on the live system: a private mount namespace without /sys/fs/cgroup, a child
 * under {@code ip netns exec}, a namespace with ip_forward=0, and a split brain built in a scratch
 * namespace. Namespaces are named lt-tdoc-* and deleted in finally.
 */
@RootOnly
class DoctorCommandRootTest {

  /** {@code java -cp <this test's classpath> dev.layertrace.cli.Main doctor --format json}, as one shell word list. */
  static String doctorCommandLine() {
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' " + Main.class.getName()
        + " doctor --format json";
  }

  static JsonNode check(String json, String id) throws Exception {
    for (JsonNode c : new ObjectMapper().readTree(json).get("checks")) {
      if (c.get("id").asText().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("no check " + id + " in " + json);
  }

  static void netnsAdd(String name) {
    Commands.run("ip", "netns", "add", name).orThrow();
  }

  static void netnsDel(String name) {
    Commands.run("ip", "netns", "del", name);
  }

  @Test
  void privateMountNamespaceWithoutCgroupReportsItMissing() throws Exception {
    Commands.Result r = Commands.run(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
        "umount -l /sys/fs/cgroup && exec " + doctorCommandLine()), null, Duration.ofSeconds(60));
    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    JsonNode cgroup = check(r.stdout(), "mounts.cgroup");
    assertThat(cgroup.get("status").asText()).isEqualTo("missing");
    assertThat(cgroup.get("why").asText()).contains("Devices cgroup isn't mounted");
    JsonNode hidden = check(r.stdout(), "mounts.hidden");
    assertThat(hidden.get("status").asText()).isEqualTo("wrong");
    assertThat(hidden.get("evidence").get(0).asText()).contains("/sys/fs/cgroup/devices");
  }

  @Test
  void underIpNetnsExecTheHiddenCgroupMountsAreReported() throws Exception {
    String ns = "lt-tdoc-x";
    netnsAdd(ns);
    try {
      Commands.Result r = Commands.run(List.of("ip", "netns", "exec", ns, "sh", "-c", "exec " + doctorCommandLine()),
          null, Duration.ofSeconds(60));
      assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
      JsonNode hidden = check(r.stdout(), "mounts.hidden");
      assertThat(hidden.get("status").asText()).isEqualTo("wrong");
      assertThat(hidden.get("evidence").get(0).asText()).contains("/sys/fs/cgroup");
      assertThat(hidden.get("fix").asText()).contains("nsenter --net=/run/netns/NAME");
      assertThat(check(r.stdout(), "mounts.cgroup").get("status").asText()).isEqualTo("missing");
    } finally {
      netnsDel(ns);
    }
  }

  @Test
  void forwardingOffInANamespaceIsFlaggedAndOnIsNot() throws Exception {
    String ns = "lt-tdoc-fwd";
    netnsAdd(ns);
    try {
      Object[] off = DoctorCommandTest.run("doctor", "--netns", ns, "--format", "json");
      JsonNode f = check((String) off[1], "sysctl.ip_forward");
      assertThat(f.get("status").asText()).isEqualTo("wrong");
      assertThat(f.get("evidence").get(0).asText()).isEqualTo("/proc/sys/net/ipv4/ip_forward = 0");
      assertThat(off[0]).isEqualTo(1);
      // Proves the value is the namespace's, not the process's (the root namespace keeps its own).
      Commands.run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1").orThrow();
      Object[] on = DoctorCommandTest.run("doctor", "--netns", ns, "--format", "json");
      assertThat(check((String) on[1], "sysctl.ip_forward").get("status").asText()).isEqualTo("ok");
    } finally {
      netnsDel(ns);
    }
  }

  @Test
  void splitBrainNamesBothBackendsAndTheDecidingChain() throws Exception {
    String ns = "lt-tdoc-sb";
    netnsAdd(ns);
    try {
      String rules;
      try (InputStream in = getClass().getResourceAsStream("/check/split-brain-rules.sh")) {
        rules = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Commands.run(List.of("ip", "netns", "exec", ns, "sh", "-e"), rules, Duration.ofSeconds(30)).orThrow();
      DoctorReport report = DoctorReport.evaluate(SystemFactsReader.read(ns));
      CheckResult sb = report.get("netfilter.split_brain");
      assertThat(sb.status()).isEqualTo(CheckStatus.WRONG);
      assertThat(sb.evidence().get(0)).contains("iptables-nft").contains("nftables");
      assertThat(sb.evidence()).contains("deciding chain: inet filter forward (nftables): drop by policy drop");
      assertThat(report.get("docker.bridge_mtu").evidence()).containsExactly("docker0 mtu 1500, uplink eth0 mtu 1400");
      // Only Docker's rules: no split brain.
      Commands.run("ip", "netns", "exec", ns, "nft", "delete", "table", "inet", "filter").orThrow();
      assertThat(DoctorReport.evaluate(SystemFactsReader.read(ns)).get("netfilter.split_brain").status())
          .isEqualTo(CheckStatus.OK);
    } finally {
      netnsDel(ns);
    }
  }

  @Test
  void withoutCapabilitiesItSaysWhatItCannotSeeAndWhy() throws Exception {
    // uid 0 with an empty capability set: what 'sudo' forgotten looks like to the kernel.
    Commands.Result r = Commands.run(List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all", "sh", "-c",
        "exec " + doctorCommandLine()), null, Duration.ofSeconds(60));
    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    JsonNode sb = check(r.stdout(), "netfilter.split_brain");
    assertThat(sb.get("status").asText()).isEqualTo("unknown");
    assertThat(sb.get("evidence").get(0).asText()).contains("Operation not permitted").contains("CAP_NET_ADMIN");
    JsonNode privilege = check(r.stdout(), "layertrace.privilege");
    assertThat(privilege.get("status").asText()).isEqualTo("missing");
    assertThat(privilege.get("evidence").get(0).asText()).contains("lacks CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_ADMIN");
    // What needs no privilege is still read.
    assertThat(check(r.stdout(), "kernel.nf_nat").get("status").asText()).isEqualTo("ok");
  }

  @Test
  void fullRunTakesAtMost500MsInTheJvm() {
    SystemFactsReader.read(); // the first run loads classes
    List<Long> ms = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      DoctorReport.evaluate(SystemFactsReader.read());
      ms.add((System.nanoTime() - t0) / 1_000_000);
    }
    ms.sort(null);
    System.out.println("doctor full run, warm, 5 runs (ms): " + ms);
    assertThat(ms.get(2)).isLessThanOrEqualTo(500L);
  }
}
