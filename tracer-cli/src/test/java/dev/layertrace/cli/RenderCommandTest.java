package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.ExitCode;
import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.testing.SampleCaptures;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code layertrace render} end to end through {@link Main#run}: every format, and the error exits. */
class RenderCommandTest {
  @TempDir Path dir;
  Path capture;
  StringWriter out;
  StringWriter err;

  @BeforeEach
  void writeCapture() {
    capture = dir.resolve("guest-no-masquerade.json");
    CaptureCodec.write(SampleCaptures.guestNoMasquerade(), capture);
    out = new StringWriter();
    err = new StringWriter();
  }

  int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void textToStdoutByDefault() {
    assertThat(run("render", capture.toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString())
        .startsWith("ICMP echo 172.17.0.2 → 198.51.100.10, probe 3f9c, 2 kernels, 14 layers\n")
        .contains("  ✗ nat         lt-guest            postrouting: no MASQUERADE for 172.17.0.0/16  ◀ stopped here")
        .contains("verdict  reply lost at nat lt-guest")
        .doesNotContain("\u001b[");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void asciiAndProbe() {
    assertThat(run("render", capture.toString(), "--ascii", "--probe", "3f9c", "-o", "-")).isZero();
    assertThat(out.toString()).contains("  XX nat ").contains("<- stopped here").contains("172.17.0.2 -> 198.51.100.10");
    assertThat(out.toString().chars().allMatch(c -> c < 0x80)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "out.txt,  , verdict  reply lost at nat lt-guest",
      "out.dot,  , digraph layertrace {",
      "out.gv,   , subgraph cluster_k1 {",
      "out.mmd,  , flowchart LR",
      "out.md,   , # layertrace: reply lost at nat lt-guest",
      "out.json, , \"schemaVersion\": \"1.0\"",
      "notes.log, mermaid, flowchart LR",
      "out.svg,  , </svg>"})
  void writesEachFormat(String file, String format, String expected) throws Exception {
    Path target = dir.resolve(file);
    String[] args = format == null
        ? new String[] {"render", capture.toString(), "-o", target.toString()}
        : new String[] {"render", capture.toString(), "-o", target.toString(), "--format", format};
    assertThat(run(args)).as(err.toString()).isZero();
    assertThat(Files.readString(target)).contains(expected);
    assertThat(out.toString()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"v8", "auto"})
  void svgAndPngWithAnEngine(String engine) throws Exception {
    Path svg = dir.resolve("p.svg");
    Path png = dir.resolve("p.png");
    assertThat(run("render", capture.toString(), "-o", svg.toString(), "--engine", engine)).as(err.toString()).isZero();
    assertThat(run("render", capture.toString(), "-o", png.toString(), "--engine", engine)).as(err.toString()).isZero();
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    var doc = f.newDocumentBuilder().parse(svg.toFile());
    assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
    var image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
    assertThat(image.getWidth()).isGreaterThan(300);
  }

  @Test
  void jsonOutputIsTheCaptureItself() throws Exception {
    Path target = dir.resolve("copy.json");
    assertThat(run("render", capture.toString(), "-o", target.toString())).isZero();
    assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(capture));
  }

  @Test
  void missingCaptureIsOneLineExit2() {
    assertThat(run("render", dir.resolve("nope.json").toString())).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("layertrace: ").contains("nope.json");
  }

  @Test
  void malformedCaptureIsOneLineExit2() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"schemaVersion\": \"1.0\", \"graph\": [");
    assertThat(run("render", bad.toString())).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).contains("bad.json");
  }

  @Test
  void unknownExtensionIsOneLineExit2() {
    assertThat(run("render", capture.toString(), "-o", dir.resolve("x.bmp").toString())).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).contains("x.bmp").contains("--format");
    assertThat(dir.resolve("x.bmp")).doesNotExist();
  }

  @Test
  void unknownFormatAndUnknownProbeAreExit2() {
    assertThat(run("render", capture.toString(), "--format", "gif")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("unknown format 'gif'");
    assertThat(run("render", capture.toString(), "--probe", "beef")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("no probe 'beef'");
  }

  @Test
  void unknownEngineIsAUsageError() {
    assertThat(run("render", capture.toString(), "--engine", "warp")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("--engine");
  }

  @Test
  void unwritableOutputIsExit2() {
    assertThat(run("render", capture.toString(), "-o", dir.resolve("no/such/dir/x.svg").toString()))
        .isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("cannot write");
  }

  @Test
  void helpShowsExamples() {
    assertThat(run("render", "--help")).isZero();
    assertThat(out.toString()).contains("Examples:").contains("-o path.svg").contains("--engine")
        .contains("NO_COLOR");
  }

  @Test
  void refusesPngOnATerminalButRendersTextInColourThere() {
    picocli.CommandLine cmd = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    RenderCommand render = cmd.getSubcommands().get("render").getCommand();
    render.stdoutIsTerminal = () -> true;
    assertThat(cmd.execute("render", capture.toString(), "--format", "png")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).isEqualTo("layertrace: refusing to write PNG to a terminal: give -o FILE.png or"
        + " redirect stdout\n");
    assertThat(out.toString()).isEmpty();

    boolean noColorSet = System.getenv("NO_COLOR") != null && !System.getenv("NO_COLOR").isEmpty();
    assertThat(cmd.execute("render", capture.toString())).isZero();
    assertThat(out.toString().contains("\u001b[1;31m✗\u001b[0m nat")).isEqualTo(!noColorSet);
  }

  @ParameterizedTest
  @CsvSource(value = {"true, NULL, true", "true, '', true", "true, 1, false", "false, NULL, false"}, nullValues = "NULL")
  void colourOnlyOnATerminalWithoutNoColor(boolean terminal, String noColor, boolean expected) {
    assertThat(RenderCommand.useColour(terminal, noColor)).isEqualTo(expected);
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
