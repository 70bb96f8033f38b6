package dev.layertrace.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.testing.SampleCaptures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Choosing a renderer by extension or format, and the options every text renderer honours. */
class RenderersTest {
  @TempDir static Path cache;
  static Renderers renderers;

  @BeforeAll
  static void open() {
    renderers = Renderers.standard(cache);
  }

  @AfterAll
  static void close() {
    renderers.close();
  }

  @ParameterizedTest
  @CsvSource({"out.txt,text", "g.dot,dot", "g.gv,dot", "p.svg,svg", "P.PNG,png", "f.mmd,mermaid", "r.md,markdown",
      "c.json,json", "-,text"})
  void byExtension(String output, String expected) {
    assertThat(renderers.choose(null, output).name()).isEqualTo(expected);
  }

  @Test
  void formatWinsOverExtension() {
    assertThat(renderers.choose("MERMAID", "notes.txt").name()).isEqualTo("mermaid");
    assertThat(renderers.choose("png", "-").binary()).isTrue();
  }

  @Test
  void unknownExtensionOrFormatIsExit2() {
    assertThatThrownBy(() -> renderers.choose(null, "x.bmp"))
        .isInstanceOfSatisfying(LayertraceException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining("'x.bmp'").hasMessageContaining("--format");
    assertThatThrownBy(() -> renderers.choose("gif", "x.gif")).hasMessageStartingWith("unknown format 'gif'");
  }

  @Test
  void everyFormatRendersTheSample() {
    for (Renderer r : renderers.all()) {
      byte[] b = r.renderToBytes(SampleCaptures.guestForwardDrop(), RenderOptions.defaults());
      assertThat(b).as(r.name()).hasSizeGreaterThan(500);
    }
  }

  @Test
  void aPathOnlyCaptureRendersEverywhere() {
    var pathOnly = new dev.layertrace.model.Capture(dev.layertrace.model.Capture.SCHEMA_VERSION, "t", null, null,
        SampleCaptures.labGraph(), null, null, null, null, null, null);
    for (Renderer r : renderers.all()) {
      if (!r.name().equals("png")) {
        assertThat(r.renderToBytes(pathOnly, RenderOptions.defaults())).as(r.name()).isNotEmpty();
      }
    }
    assertThat(new TextRenderer().text(pathOnly, RenderOptions.defaults()))
        .startsWith("path, 2 kernels, 14 layers (no probe traced)\n")
        .endsWith("verdict  none: no probe was traced\n");
  }

  @Test
  void colourIsAnsiOnlyWhenAsked() {
    TextRenderer t = new TextRenderer();
    String plain = t.text(SampleCaptures.guestForwardDrop(), RenderOptions.defaults());
    String coloured = t.text(SampleCaptures.guestForwardDrop(), RenderOptions.defaults().withColor(true));
    assertThat(plain).doesNotContain("\u001b");
    assertThat(coloured).contains("\u001b[1;31m✗\u001b[0m filter").contains("\u001b[32m✓\u001b[0m container")
        .contains("\u001b[2m·\u001b[0m nat");
    assertThat(coloured.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(plain);
  }

  @Test
  void asciiIsPureAscii() {
    for (String name : new String[] {"text", "dot", "mermaid", "markdown"}) {
      byte[] b = renderers.byName(name).orElseThrow()
          .renderToBytes(SampleCaptures.guestNoMasquerade(), RenderOptions.defaults().withAscii(true));
      String s = new String(b, StandardCharsets.UTF_8);
      assertThat(s.chars().allMatch(c -> c < 0x80)).as(name).isTrue();
    }
  }
}
