package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.check.FileFact;
import dev.layertrace.check.SystemFacts;
import dev.layertrace.check.SystemFactsJson;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code layertrace doctor} on recorded snapshots (no root): formats, exit codes, usage errors. */
class DoctorCommandTest {
  @TempDir Path dir;

  /** Runs the command; returns {exit code, stdout, stderr}. */
  static Object[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Object[] {code, out.toString(), err.toString()};
  }

  private Path fixture(String name) throws Exception {
    String json;
    try (InputStream in = getClass().getResourceAsStream("/check/" + name)) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String config;
    try (InputStream in = getClass().getResourceAsStream("/check/kernel-config/config-6.18-microvm")) {
      config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    SystemFacts facts = SystemFactsJson.parse(json).withKernelConfig(FileFact.present("/proc/config.gz", config));
    Path p = dir.resolve(name);
    Files.writeString(p, SystemFactsJson.write(facts));
    return p;
  }

  @Test
  void jsonOfARecordedSplitBrainExitsOne() throws Exception {
    Object[] r = run("doctor", "--facts", fixture("netns-split-brain.json").toString(), "--format", "json");
    assertThat(r[0]).as((String) r[2]).isEqualTo(1);
    JsonNode checks = new ObjectMapper().readTree((String) r[1]).get("checks");
    assertThat(checks.isArray()).isTrue();
    JsonNode sb = null;
    for (JsonNode c : checks) {
      if (c.get("id").asText().equals("netfilter.split_brain")) {
        sb = c;
      }
    }
    assertThat(sb).isNotNull();
    assertThat(sb.get("status").asText()).isEqualTo("wrong");
    assertThat(sb.get("layer").asText()).isEqualTo("netfilter");
  }

  @Test
  void textAndMarkdownFormats() throws Exception {
    Path f = fixture("no-cgroup-mount.json");
    Object[] text = run("doctor", "--facts", f.toString());
    assertThat((String) text[1]).contains("✗ missing  mounts     mounts.cgroup").contains("Devices cgroup isn't mounted");
    Object[] md = run("doctor", "--facts", f.toString(), "--format", "md");
    assertThat((String) md[1]).startsWith("# layertrace doctor").contains("| ✗ | missing | mounts | `mounts.cgroup` |");
  }

  @Test
  void containerWithoutDockerIsAOneLineUsageError() {
    Object[] r = run("doctor", "--container", "web");
    // This machine has no Docker daemon socket; with one the lookup goes to the daemon.
    org.junit.jupiter.api.Assumptions.assumeFalse(
        Files.exists(Path.of("/run/docker.sock")) || Files.exists(Path.of("/var/run/docker.sock")),
        "SKIPPED: a Docker daemon socket exists on this machine, so the lookup goes to the daemon");
    assertThat(r[0]).isEqualTo(2);
    assertThat(((String) r[2]).strip()).startsWith("layertrace: --container web: no Docker daemon socket")
        .doesNotContain("\n");
  }

  @Test
  void unknownNetnsIsAUsageError() {
    Object[] r = run("doctor", "--netns", "lt-tdoc-does-not-exist");
    assertThat(r[0]).isEqualTo(2);
    assertThat((String) r[2]).contains("no network namespace 'lt-tdoc-does-not-exist'");
  }

  @Test
  void benchDoctorPrintsColdAndWarmFigures() {
    Object[] r = run("bench", "doctor", "--runs", "3");
    assertThat(r[0]).as((String) r[2]).isEqualTo(0);
    assertThat((String) r[1]).contains("first full run in this JVM").contains("full run, median of 3")
        .contains("<= 500 ms");
  }

  @Test
  void malformedSnapshotIsAUsageError() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{ not json");
    Object[] r = run("doctor", "--facts", bad.toString());
    assertThat(r[0]).isEqualTo(2);
    assertThat((String) r[2]).startsWith("layertrace: not a recorded doctor snapshot");
  }
}
