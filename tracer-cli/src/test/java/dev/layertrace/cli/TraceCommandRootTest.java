package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.sys.Commands;
import dev.layertrace.testing.RootOnly;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code layertrace trace} end to end (discovery, probes, observers, tracefs, verdict, rendering) on a
 * topology of its own: {@code lt-ttr-k-c} ── router {@code lt-ttr-k-r} (nft masquerade) ── remote
 * {@code lt-ttr-k-i}, which has no route back.
 */
@RootOnly
class TraceCommandRootTest {
  static final String C = "lt-ttr-k-c";
  static final String R = "lt-ttr-k-r";
  static final String I = "lt-ttr-k-i";
  static final Path INSTANCES = Path.of("/sys/kernel/tracing/instances");

  static void sh(String cmd) {
    Commands.run(List.of("sh", "-c", cmd), null, Duration.ofSeconds(10)).orThrow();
  }

  @BeforeAll
  static void up() {
    down();
    for (String n : List.of(C, R, I)) {
      sh("ip netns add " + n + " && ip -n " + n + " link set lo up");
    }
    sh("ip -n " + C + " link add eth0 type veth peer name c0 netns " + R);
    sh("ip -n " + I + " link add eth0 type veth peer name u0 netns " + R);
    sh("ip -n " + C + " addr add 172.17.9.2/24 dev eth0 && ip -n " + C + " link set eth0 up && ip -n " + C
        + " route add default via 172.17.9.1");
    sh("ip -n " + R + " addr add 172.17.9.1/24 dev c0 && ip -n " + R + " addr add 198.51.100.1/24 dev u0 && ip -n "
        + R + " link set c0 up && ip -n " + R + " link set u0 up");
    sh("ip -n " + I + " addr add 198.51.100.10/24 dev eth0 && ip -n " + I + " link set eth0 up");
    sh("ip netns exec " + R + " sysctl -q -w net.ipv4.ip_forward=1");
    Commands.run(List.of("ip", "netns", "exec", R, "nft", "-f", "-"), "table ip lt_ttr_k {\n  chain post {\n"
        + "    type nat hook postrouting priority srcnat;\n    oifname \"u0\" masquerade\n  }\n}\n",
        Duration.ofSeconds(5)).orThrow();
  }

  @AfterAll
  static void down() {
    for (String n : List.of(C, R, I)) {
      Commands.run("ip", "netns", "del", n);
    }
  }

  record Run(int exit, String out, String err) {}

  static Run layertrace(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(rc, out.toString(), err.toString());
  }

  @Test
  void aHealthyPathIsReachedAndTheCaptureCarriesTheVerdict() throws Exception {
    Run r = layertrace("trace", "--from", "netns:" + C, "--to", "198.51.100.10", "--format", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode c = new ObjectMapper().readTree(r.out());
    assertThat(c.at("/verdict/outcome").asText()).isEqualTo("reached");
    assertThat(c.at("/verdicts").size()).isEqualTo(1);
    assertThat(c.at("/observations").toString()).contains("198.51.100.1"); // the masqueraded source
    assertThat(c.at("/verdict/evidence").toString()).contains("conntrack " + R);
  }

  @Test
  void aStoppedTraceExitsOneAndNamesLayerCauseEvidenceAndFix() throws Exception {
    sh("ip netns exec " + R + " sysctl -q -w net.ipv4.ip_forward=0");
    try {
      Path file = Files.createTempFile("layertrace-trace", ".json");
      Run r = layertrace("trace", "--from", C, "--to", "198.51.100.10:53", "--proto", "udp", "-o", file.toString());
      assertThat(r.exit()).as(r.err()).isEqualTo(1);
      assertThat(r.out()).contains("forwarding-disabled").contains("wrote " + file);
      JsonNode v = new ObjectMapper().readTree(file.toFile()).at("/verdict");
      Files.delete(file);
      assertThat(v.at("/outcome").asText()).isEqualTo("stopped");
      assertThat(v.at("/layer/kind").asText()).isEqualTo("forwarding");
      assertThat(v.at("/layer/netns").asText()).isEqualTo(R);
      assertThat(v.at("/evidence").toString()).contains("ip_error: IP_INADDRERRORS");
      assertThat(v.at("/fix").asText()).isEqualTo("ip netns exec " + R + " sysctl -w net.ipv4.ip_forward=1");
    } finally {
      sh("ip netns exec " + R + " sysctl -q -w net.ipv4.ip_forward=1");
    }
  }

  @Test
  void usageErrorsExitTwoWithOneLine() {
    Run r = layertrace("trace", "--from", C, "--to", "example.org");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").contains("IPv4 address");
    assertThat(layertrace("trace", "--from", C, "--to", "198.51.100.10", "--proto", "sctp").exit()).isEqualTo(2);
    assertThat(layertrace("trace", "--from", C, "--to", "198.51.100.10:0", "--proto", "udp").exit()).isEqualTo(2);
  }

  /** Ctrl-C in the middle of the trace: the shutdown hook removes the tracefs instance. */
  @Test
  void anInterruptedTraceLeavesNoTracefsInstance() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    for (int attempt = 0; attempt < 3; attempt++) {
      List<String> argv = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
          Main.class.getName(), "trace", "--from", C, "--to", "198.51.100.10", "--count", "16"));
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      Path instance = INSTANCES.resolve("layertrace-" + p.pid());
      boolean seen = false;
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (p.isAlive() && System.nanoTime() < deadline) {
        if (Files.isDirectory(instance)) {
          seen = true;
          break;
        }
        Thread.onSpinWait();
      }
      Commands.run("kill", "-INT", Long.toString(p.pid()));
      p.waitFor();
      assertThat(instance).doesNotExist();
      if (seen) {
        assertThat(p.exitValue()).isEqualTo(130);
        return;
      }
    }
    throw new AssertionError("the trace always finished before it could be interrupted");
  }
}
