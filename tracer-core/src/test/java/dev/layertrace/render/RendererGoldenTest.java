package dev.layertrace.render;

import dev.layertrace.model.Capture;
import dev.layertrace.testing.SampleCaptures;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Text (Unicode and ASCII), DOT, Mermaid, Markdown and JSON output of the lab's 14-layer nested path, compared
 * byte for byte with files under {@code src/test/resources/golden/} (see {@link Golden} to update).
 */
class RendererGoldenTest {

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (var sample : new Object[][] {
        {"guest-no-masquerade", (Supplier<Capture>) SampleCaptures::guestNoMasquerade},
        {"guest-forward-drop", (Supplier<Capture>) SampleCaptures::guestForwardDrop}}) {
      String name = (String) sample[0];
      @SuppressWarnings("unchecked")
      Supplier<Capture> capture = (Supplier<Capture>) sample[1];
      b.add(Arguments.of(name + ".txt", capture, new TextRenderer(), RenderOptions.defaults()));
      b.add(Arguments.of(name + ".ascii.txt", capture, new TextRenderer(), RenderOptions.defaults().withAscii(true)));
      b.add(Arguments.of(name + ".dot", capture, new DotRenderer(), RenderOptions.defaults()));
      b.add(Arguments.of(name + ".mmd", capture, new MermaidRenderer(), RenderOptions.defaults()));
      b.add(Arguments.of(name + ".md", capture, new MarkdownRenderer(), RenderOptions.defaults()));
      // Also the capture file the CLI tests and `layertrace bench render` read.
      b.add(Arguments.of(name + ".json", capture, new JsonRenderer(), RenderOptions.defaults()));
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesGoldenFile(String golden, Supplier<Capture> capture, Renderer renderer, RenderOptions options) {
    String out = new String(renderer.renderToBytes(capture.get(), options), java.nio.charset.StandardCharsets.UTF_8);
    Golden.assertMatches(golden, out);
    if (golden.endsWith(".mmd")) {
      MermaidSyntax.assertWellFormed(out);
    }
  }
}
