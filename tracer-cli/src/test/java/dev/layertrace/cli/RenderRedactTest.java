package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.testing.SampleCaptures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code layertrace render --redact}: Markdown, SVG and JSON outputs carry no address, MAC or name of the lab. */
class RenderRedactTest {
  /** What the sample capture identifies: its addresses, a MAC, namespace, interface and host names. */
  private static final List<String> ORIGINAL = List.of("172.17.0.2", "198.51.100.10", "172.16.0.2", "203.0.113.2",
      "02:42:ac:11:00:02", "lt-ctr", "lt-guest", "lt-host", "lt-inet", "docker0", "veth-ctr", "uplink0", "tap0");

  @TempDir Path dir;

  private int run(StringWriter err, String... args) {
    return Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "incident.md,   reply lost at nat ns2",
      "path.svg,      </svg>",
      "capture.json,  \"cause\": \"not-translated\""})
  void redactedOutputsHoldNoOriginalToken(String file, String expected) throws Exception {
    Path capture = dir.resolve("c.json");
    CaptureCodec.write(SampleCaptures.guestNoMasquerade(), capture);
    Path plain = dir.resolve("plain-" + file);
    Path redacted = dir.resolve(file);
    StringWriter err = new StringWriter();

    assertThat(run(err, "render", capture.toString(), "-o", plain.toString())).as(err.toString()).isZero();
    assertThat(run(err, "render", capture.toString(), "--redact", "-o", redacted.toString())).as(err.toString())
        .isZero();

    // Graphviz writes '-' as an entity in SVG; decode it so "lt&#45;guest" counts as "lt-guest".
    String before = Files.readString(plain).replace("&#45;", "-");
    String after = Files.readString(redacted).replace("&#45;", "-");
    assertThat(before).as("the unredacted output is the control").contains("172.17.0.2", "lt-guest");
    for (String token : ORIGINAL) {
      assertThat(after).as("%s in redacted %s", token, file).doesNotContain(token);
    }
    assertThat(after).contains(expected).contains("192.0.2.");
  }

  @Test
  void redactedJsonIsAReadableCapture() throws Exception {
    Path capture = dir.resolve("c.json");
    CaptureCodec.write(SampleCaptures.guestForwardDrop(), capture);
    Path out = dir.resolve("r.json");
    StringWriter err = new StringWriter();
    assertThat(run(err, "render", capture.toString(), "--redact", "-o", out.toString())).as(err.toString()).isZero();
    var c = CaptureCodec.read(out);
    assertThat(c.verdict().cause()).isEqualTo("filtered");
    assertThat(c.graph().nodes()).hasSize(14);
    assertThat(c.host().hostname()).isEqualTo("host");
  }
}
