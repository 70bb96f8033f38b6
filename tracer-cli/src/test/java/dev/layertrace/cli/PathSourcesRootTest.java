package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.sys.Commands;
import dev.layertrace.sys.DockerLab;
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
 * The other ways to name a source of {@code layertrace path} on the lab: a process inside the
 * container's namespace, a container of a real dockerd (resolved through the Docker Engine API), and
 * what a caller without CAP_SYS_ADMIN is told.
 */
@RootOnly
class PathSourcesRootTest {
  static final String REMOTE = "198.51.100.10";
  static boolean wasUp;

  @BeforeAll
  static void up() {
    wasUp = Files.exists(Path.of("/run/layertrace/lab/vmm.pid"));
    assertThat(run("lab", "up").rc).isZero();
  }

  @AfterAll
  static void down() {
    DockerLab.standard().down();
    if (!wasUp) {
      run("lab", "down");
    }
  }

  @Test
  void aProcessInsideTheContainerNamespaceResolvesToIt() throws Exception {
    // ip netns exec execs sleep in place: the child's pid is a process inside lt-ctr.
    Process sleeper = new ProcessBuilder("ip", "netns", "exec", "lt-ctr", "sleep", "60").start();
    try {
      Result r = run("path", "--from", "pid:" + sleeper.pid(), "--to", REMOTE, "--format", "json");
      assertThat(r.rc).as(r.err).isZero();
      JsonNode first = new ObjectMapper().readTree(r.out).get("path").get(0);
      assertThat(first.get("kind").asText()).isEqualTo("container");
      assertThat(first.get("netns").asText()).isEqualTo("lt-ctr");
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  @Test
  void aContainerOfARealDockerdResolvesThroughTheApiAndDockersRulesAreEvaluated() throws Exception {
    assertThat(run("lab", "up", "--docker").rc).isZero();
    Result r = run("path", "--from", "container:lt-web", "--docker-host",
        "unix:///run/layertrace/docker/docker.sock", "--to", REMOTE, "--format", "json");
    assertThat(r.rc).as(r.err + r.out).isZero();
    JsonNode path = new ObjectMapper().readTree(r.out).get("path");
    List<String> kinds = new ArrayList<>();
    path.forEach(l -> kinds.add(l.get("kind").asText() + " " + l.path("interface").asText("")));
    assertThat(kinds.get(0)).startsWith("container");
    assertThat(kinds).contains("bridge lt-dock0", "nic eth0", "uplink uplink0", "remote eth0");
    JsonNode guestFilter = find(path, "filter", "lt-guest");
    JsonNode guestNat = find(path, "nat", "lt-guest");
    // Docker's own rules, as dockerd wrote them for its bridge, decide the forward hook and the NAT.
    assertThat(guestFilter.get("details").get("forward").asText()).contains("lt-dock0").contains("ACCEPT");
    assertThat(guestNat.get("details").get("postrouting").asText()).contains("172.18.0.2 -> 172.16.0.2")
        .contains("masquerade");
  }

  @Test
  void withoutCapSysAdminThePathSaysWhichCapabilityIsMissing() {
    Commands.require("setpriv", "util-linux");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Commands.Result r = Commands.run(List.of("setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin",
        java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "path", "--from", "netns:lt-ctr", "--to", REMOTE), null, Duration.ofSeconds(60));
    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
    assertThat(r.stderr().strip()).contains("CAP_SYS_ADMIN").doesNotContain("\n").doesNotContain("Exception");
  }

  private static JsonNode find(JsonNode path, String kind, String netns) {
    for (JsonNode l : path) {
      if (l.get("kind").asText().equals(kind) && l.path("netns").asText().equals(netns)) {
        return l;
      }
    }
    throw new AssertionError("no " + kind + " layer in " + netns + ": " + path);
  }

  record Result(int rc, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(rc, out.toString(), err.toString());
  }
}
