package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.lab.ExpectedVerdict;
import dev.layertrace.lab.LabFault;
import dev.layertrace.testing.RootOnly;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 4 acceptance on the real lab: {@code layertrace path} on the healthy lab lists the DESIGN
 * kinds in order with no error finding, and each configuration fault of the catalog gets a finding
 * at its expected layer before any packet is sent. Brings the lab up itself (lab up is idempotent)
 * and takes it down at the end only if it was not up before.
 */
@RootOnly
class PathLabRootTest {
  static boolean wasUp;

  @BeforeAll
  static void up() {
    wasUp = new java.io.File("/run/layertrace/lab/vmm.pid").exists();
    assertThat(run("lab", "up").rc).isZero();
  }

  @AfterAll
  static void down() {
    run("lab", "heal", "--all");
    if (!wasUp) {
      run("lab", "down");
    }
  }

  @Test
  void healthyLabPathHasTheDesignKindsInOrder() throws Exception {
    Result r = run("path", "--from", "netns:lt-ctr", "--to", "198.51.100.10", "--format", "json");
    assertThat(r.rc).as(r.err).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out);
    List<String> kinds = new ArrayList<>();
    json.get("path").forEach(l -> kinds.add(l.get("kind").asText() + " " + l.path("netns").asText("")));
    assertThat(kinds).containsExactly("container lt-ctr", "veth lt-guest", "bridge lt-guest",
        "forwarding lt-guest", "filter lt-guest", "nat lt-guest", "nic lt-guest", "vmm-link ", "tap lt-host",
        "forwarding lt-host", "filter lt-host", "nat lt-host", "uplink lt-host", "remote lt-inet");
    JsonNode vmm = json.get("path").get(7);
    String relayPid = java.nio.file.Files.readString(java.nio.file.Path.of("/run/layertrace/lab/vmm.pid")).strip();
    assertThat(vmm.get("details").get("pid").asText()).isEqualTo(relayPid);
    json.get("findings").forEach(f -> assertThat(f.get("severity").asText()).isNotEqualTo("error"));
  }

  @Test
  void fromPidAndFromIpResolveToTheContainer() throws Exception {
    for (String from : List.of("ip:172.17.0.2", "netns:lt-ctr")) {
      Result r = run("path", "--from", from, "--to", "198.51.100.10", "--format", "json");
      assertThat(r.rc).as(r.err).isZero();
      assertThat(new ObjectMapper().readTree(r.out).get("path").get(0).get("netns").asText()).isEqualTo("lt-ctr");
    }
  }

  @ParameterizedTest
  @EnumSource(LabFault.class)
  void eachConfigurationFaultIsFoundAtItsLayer(LabFault fault) throws Exception {
    ExpectedVerdict expected = fault.expectedVerdict();
    assertThat(run("lab", "break", fault.word()).rc).isZero();
    try {
      Result r = run("path", "--from", "netns:lt-ctr", "--to", "198.51.100.10", "--format", "json");
      JsonNode findings = new ObjectMapper().readTree(r.out).get("findings");
      List<String> seen = new ArrayList<>();
      findings.forEach(f -> seen.add(f.get("code").asText() + " " + f.get("layer").get("kind").asText() + " "
          + f.get("layer").path("netns").asText("")));
      String want = expected.cause() + " " + expected.kind().word() + " " + (expected.netns() == null ? ""
          : expected.netns());
      assertThat(seen).as(r.out).contains(want);
    } finally {
      run("lab", "heal", fault.word());
    }
  }

  record Result(int rc, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(rc, out.toString(), err.toString());
  }
}
