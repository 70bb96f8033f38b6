package dev.layertrace.render.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.Layer;
import dev.layertrace.render.DotRenderer;
import dev.layertrace.render.RenderOptions;
import dev.layertrace.testing.SampleCaptures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Both Graphviz engines, for real: the command-line one (when Debian's graphviz is installed) and
 * the embedded V8 one, whose native library must land in the given cache directory only.
 */
class GraphvizEngineTest {
  @TempDir static Path cache;
  static GraphvizEngine engine;
  static String dot;
  static boolean homeLibraryBefore;

  @BeforeAll
  static void start() {
    homeLibraryBefore = Files.exists(homeLibrary());
    engine = new GraphvizEngine(cache.resolve("layertrace"));
    dot = new DotRenderer().dot(SampleCaptures.guestNoMasquerade(), RenderOptions.defaults());
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  static void assumeEngine(EngineChoice choice) {
    if (choice == EngineChoice.CMDLINE && !GraphvizEngine.commandLineAvailable()) {
      System.out.println("SKIPPED: Graphviz 'dot' is not on the PATH (apt-get install graphviz)");
      Assumptions.abort("dot not installed");
    }
  }

  @ParameterizedTest
  @EnumSource(value = EngineChoice.class, names = {"CMDLINE", "V8"})
  void svgIsXmlWithEveryLayer(EngineChoice choice) throws Exception {
    assumeEngine(choice);
    byte[] svg = engine.svg(dot, choice);

    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
    assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
    Set<String> titles = new HashSet<>();
    NodeList t = doc.getElementsByTagName("title");
    for (int i = 0; i < t.getLength(); i++) {
      titles.add(t.item(i).getTextContent());
    }
    String text = texts(doc);
    var nodes = SampleCaptures.guestNoMasquerade().graph().nodes();
    for (int i = 0; i < nodes.size(); i++) {
      Layer l = nodes.get(i);
      assertThat(titles).as("node of %s", l.id()).contains("n" + (i + 1));
      assertThat(text).as("label of %s", l.id()).contains(l.kind().word() + (l.iface() == null ? "" : " " + l.iface()));
    }
    assertThat(text).contains("STOPPED HERE: not-translated").contains("src 172.17.0.2 → 172.16.0.2");
  }

  @ParameterizedTest
  @EnumSource(value = EngineChoice.class, names = {"CMDLINE", "V8"})
  void pngIsARealPicture(EngineChoice choice) throws Exception {
    assumeEngine(choice);
    byte[] png = engine.png(dot, choice);

    assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(img).isNotNull();
    assertThat(img.getWidth()).isGreaterThan(300);
    assertThat(img.getHeight()).isGreaterThan(600);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        colours.add(img.getRGB(x, y));
      }
    }
    // Status fills, red border, text: far more than background plus one ink.
    assertThat(colours.size()).isGreaterThan(10);
    assertThat(colours).anyMatch(GraphvizEngineTest::reddish);
  }

  @Test
  void v8ExtractsItsLibraryUnderTheCacheDirectoryOnlyAndLeavesNothingBehind() throws Exception {
    engine.svg("digraph { a -> b }", EngineChoice.V8);
    Path dir = cache.resolve("layertrace");
    assertThat(dir).isDirectory();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    try (Stream<Path> left = Files.walk(dir)) {
      assertThat(left.filter(Files::isRegularFile)).as("extracted library removed once loaded").isEmpty();
    }
    if (!homeLibraryBefore) {
      assertThat(homeLibrary()).as("J2V8 must not extract into $HOME").doesNotExist();
    }
  }

  @Test
  void autoPrefersTheCommandLineWhenDotIsInstalled() {
    assertThat(GraphvizEngine.resolve(EngineChoice.AUTO))
        .isEqualTo(GraphvizEngine.commandLineAvailable() ? EngineChoice.CMDLINE : EngineChoice.V8);
    assertThat(GraphvizEngine.resolve(EngineChoice.V8)).isEqualTo(EngineChoice.V8);
  }

  @Test
  void refusesACacheDirectoryThatIsASymlink(@TempDir Path tmp) throws Exception {
    Path target = Files.createDirectory(tmp.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(tmp.resolve("cache"), target);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GraphvizEngine.privateDirectory(link))
        .isInstanceOf(dev.layertrace.LayertraceException.class).hasMessageContaining("not a directory owned by");
  }

  private static boolean reddish(int rgb) {
    int r = (rgb >> 16) & 0xff;
    int g = (rgb >> 8) & 0xff;
    int b = rgb & 0xff;
    return r > 150 && g < 90 && b < 90;
  }

  private static String texts(Document doc) {
    StringBuilder b = new StringBuilder();
    NodeList t = doc.getElementsByTagName("text");
    for (int i = 0; i < t.getLength(); i++) {
      b.append(t.item(i).getTextContent()).append('\n');
    }
    return b.toString();
  }

  private static Path homeLibrary() {
    return Path.of(System.getProperty("user.home"), "libj2v8_linux_x86_64.so");
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
