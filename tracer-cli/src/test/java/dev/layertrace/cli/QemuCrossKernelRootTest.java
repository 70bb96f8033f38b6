package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.lab.ExpectedVerdict;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.lab.qemu.GuestControlProtocol;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Verdict;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.QemuImageBuilder;
import dev.layertrace.sys.QemuLab;
import dev.layertrace.testing.RootOnly;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One path across two real kernels: the QEMU lab (lt-q-* names) with the tracer running inside the
 * guest kernel and {@code layertrace agent} on this host in lt-q-host, reached over TCP at the tap's
 * address. Each trace must give the catalog's verdict with the layers of both kernels in one capture;
 * the captures are written to the build folder ({@code qemu-captures/}) for captures/.
 */
@RootOnly
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QemuCrossKernelRootTest {
  private static final LabTopology T = LabTopology.copy("lt-q-", LabTopology.VmmLink.RELAY);
  private static final String AGENT = "tcp:" + LabTopology.TAP_IP + ":7447";

  private QemuLab lab;
  private Process agent;

  @BeforeAll
  void up() throws Exception {
    lab = new QemuLab(T, new LabRuntime(Path.of("/run/layertrace/lt-q-lab")), QemuImageBuilder.CACHE,
        Path.of(System.getProperty("java.home")), QemuLab.currentClasspath());
    lab.down();
    QemuLab.UpResult r = lab.up();
    System.err.println("qemu lab up: " + r.took().toMillis() + " ms");
    Path token = lab.share().resolve("agent.token");
    Files.writeString(token, dev.layertrace.agent.AgentToken.random().value() + "\n");
    // The agent runs on the host in lt-q-host (nsenter keeps this mount namespace, and so tracefs),
    // listening on the tap's own address: the guest reaches it through its NIC.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    agent = new ProcessBuilder("nsenter", "--net=/run/netns/" + T.host(), java, "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "agent", "--listen", AGENT, "--token-file",
        token.toString(), "--scope", T.host() + "," + T.inet()).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
    List<String> said = new ArrayList<>();
    for (String line; (line = out.readLine()) != null; ) {
      said.add(line);
      if (line.contains("listening on")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> System.err.println("agent: " + l)), "agent-output");
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new AssertionError("the agent did not start: " + said);
  }

  @AfterAll
  void down() throws Exception {
    if (agent != null) {
      agent.destroy();
      agent.waitFor(10, TimeUnit.SECONDS);
    }
    if (lab != null) {
      lab.down();
    }
  }

  /**
   * vmm-stalled across QEMU: the monitor's {@code stop} freezes the guest's kernel, and with it any
   * tracer or agent there. A tracer on the host, tracing from the guest's container through the
   * guest's agent, gets no answer from it; it asks the VMM holding the tap, which says paused: that
   * is the verdict. With the VM running and no agent there, the same command must not blame the VMM.
   */
  @Test
  void aTracerOnTheHostNamesThePausedVmWhenTheGuestsAgentCannotAnswer() throws Exception {
    Path token = lab.share().resolve("agent.token");
    String guestAgent = "tcp:" + LabTopology.GUEST_IP + ":7448";
    Path dir = Path.of(System.getProperty("lt.build.dir", "target"), "qemu-captures");
    Files.createDirectories(dir);
    // Running VM, no agent in the guest: the guest's kernel refuses the connection; the VMM is not blamed.
    HostTrace running = traceFromTheHost(guestAgent, token, dir.resolve("qemu-running-no-agent.json"));
    assertThat(running.exit).as(running.output).isEqualTo(2);
    assertThat(running.output).as(running.output).contains("cannot reach the agent at " + guestAgent)
        .doesNotContain("Exception");
    lab.breakFault(LabFault.VMM_STALLED);
    HostTrace paused;
    try {
      assertThat(lab.paused()).isTrue();
      paused = traceFromTheHost(guestAgent, token, dir.resolve("qemu-vmm-stalled.json"));
    } finally {
      lab.heal(LabFault.VMM_STALLED);
    }
    assertThat(paused.exit).as(paused.output).isEqualTo(1);
    JsonNode capture = new ObjectMapper().readTree(dir.resolve("qemu-vmm-stalled.json").toFile());
    Verdict v = new ObjectMapper().treeToValue(capture.get("verdicts").get(0), Verdict.class);
    ExpectedVerdict want = LabFault.VMM_STALLED.expectedVerdict(T);
    assertThat(want.matches(v)).as("want %s, got %s", want.describe(), capture.get("verdicts")).isTrue();
    assertThat(String.join("\n", v.evidence())).contains("paused", "monitor", guestAgent);
    List<String> kernels = new ArrayList<>();
    capture.get("graph").get("nodes").forEach(n -> kernels.add(n.path("kernel").asText("-") + " "
        + n.get("kind").asText() + " " + n.path("details").path("vm").asText("")));
    assertThat(kernels).as("the guest's source, the paused VMM, the host's tap")
        .contains("guest container ", "- vmm-link paused", "host tap ");
    System.err.println("qemu vmm-stalled from the host: " + paused.millis + " ms; " + v.explanation());
  }

  private record HostTrace(int exit, String output, long millis) {}

  /** {@code layertrace trace} run on the host in lt-q-host, the source being the guest's container. */
  private HostTrace traceFromTheHost(String guestAgent, Path token, Path out) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder("nsenter", "--net=/run/netns/" + T.host(), java, "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "trace", "--from", T.ctr(), "--to",
        LabTopology.REMOTE, "--agent", guestAgent, "--agent-token-file", token.toString(), "--scope",
        T.host() + "," + T.inet(), "-o", out.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new HostTrace(p.exitValue(), output, (System.nanoTime() - t0) / 1_000_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"healthy", "guest-no-masquerade", "host-forward-drop"})
  void theTracerInTheGuestAndTheAgentOnTheHostGiveOnePathAndTheCatalogsVerdict(String name) throws Exception {
    LabFault fault = name.equals("healthy") ? null : LabFault.of(name).orElseThrow();
    if (fault != null) {
      lab.breakFault(fault);
    }
    JsonNode capture;
    long t0 = System.nanoTime();
    try {
      GuestControlProtocol.Answer a = lab.guestRun("layertrace trace --from " + T.ctr() + " --to "
          + LabTopology.REMOTE + " --agent " + AGENT + " --agent-token-file " + QemuLab.guestShare()
          + "/agent.token -o /tmp/trace.json >/tmp/trace.out 2>&1; echo \"exit $?\"; cat /tmp/trace.out;"
          + " echo '=== capture'; cat /tmp/trace.json", Duration.ofSeconds(300));
      String out = a.output();
      int at = out.indexOf("=== capture");
      assertThat(at).as(out).isPositive();
      assertThat(out).as(out).containsAnyOf("exit 0", "exit 1");
      capture = new ObjectMapper().readTree(out.substring(at + "=== capture".length()));
      Path dir = Path.of(System.getProperty("lt.build.dir", "target"), "qemu-captures");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("qemu-" + name + ".json"), out.substring(at + "=== capture".length()).strip()
          + "\n");
    } finally {
      if (fault != null) {
        lab.heal(fault);
      }
    }
    System.err.printf("qemu cross-kernel %s: %d ms in the TCG guest%n", name, (System.nanoTime() - t0) / 1_000_000);
    Verdict v = new ObjectMapper().treeToValue(capture.get("verdicts").get(0), Verdict.class);
    ExpectedVerdict want = fault == null ? null : fault.expectedVerdict(T);
    if (want == null) {
      assertThat(v.outcome()).as(capture.get("verdicts").toString()).isEqualTo(Outcome.REACHED);
    } else {
      assertThat(want.matches(v)).as("want %s, got %s", want.describe(), capture.get("verdicts")).isTrue();
    }
    List<String> kernels = new ArrayList<>();
    capture.get("graph").get("nodes").forEach(n -> kernels.add(n.path("kernel").asText("-") + " "
        + n.get("kind").asText()));
    assertThat(kernels).as("layers of both kernels, the VMM between").contains("guest nic", "- vmm-link", "host tap");
    // The host's half was observed by the agent in the other kernel: the request was seen on its tap.
    List<String> seen = new ArrayList<>();
    capture.get("observations").forEach(o -> seen.add(o.get("layerId").asText()));
    assertThat(seen).contains(T.host() + "/tap0");
  }
}
