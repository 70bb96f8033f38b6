package dev.layertrace.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.Capture;
import dev.layertrace.model.Edge;
import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.PathGraph;
import dev.layertrace.render.engine.EngineChoice;
import dev.layertrace.render.engine.GraphvizEngine;
import dev.layertrace.testing.SampleCaptures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
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
 * Hostile names (markup, quotes, braces, backslashes, control characters) in a capture must come
 * out as text in every format: no markup injected, no label broken out of.
 */
class EscapingTest {
  static final String IMG = "<img src=x onerror=alert(1)>";
  static final String QUOTES = "q\"uo'te {br}[ack] |pipe| #hash & \\back\\N";
  static final String ESC = "red\u001b[31m\nnext";

  @TempDir static Path cache;
  static GraphvizEngine engine;

  @BeforeAll
  static void start() {
    engine = new GraphvizEngine(cache.resolve("c"));
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  /** The lab path with a bridge, a namespace and a NAT label renamed to hostile strings. */
  static Capture hostile() {
    Capture c = SampleCaptures.guestNoMasquerade();
    List<Layer> nodes = new ArrayList<>();
    for (Layer l : c.graph().nodes()) {
      if (l.id().equals("lt-guest/docker0")) {
        l = new Layer(l.id(), l.kind(), l.netns(), IMG, l.kernel(), l.addresses(), l.mac(), l.mtu(), l.operState(),
            l.master(), l.peer(), l.driver(), l.details());
      } else if (l.id().equals("lt-ctr/eth0")) {
        l = new Layer(l.id(), l.kind(), QUOTES, l.iface(), l.kernel(), l.addresses(), l.mac(), l.mtu(), l.operState(),
            l.master(), l.peer(), l.driver(), l.details());
      } else if (l.kind() == LayerKind.FORWARDING) {
        l = l.withDetail("route", ESC + " " + QUOTES);
      }
      nodes.add(l);
    }
    List<Edge> edges = new ArrayList<>();
    for (Edge e : c.graph().edges()) {
      edges.add(e.type() == EdgeKind.NAT ? new Edge(e.from(), e.to(), e.type(), e.label() + " " + IMG + QUOTES) : e);
    }
    return new Capture(c.schemaVersion(), c.toolVersion(), c.createdAt(), c.host(),
        new PathGraph(nodes, edges, c.graph().path()), c.probes(), c.observations(), c.kernelEvents(),
        c.findings(), c.verdicts(), c.notes());
  }

  @Test
  void dotHoldsNoMarkupAndNoBareQuote() {
    String dot = new DotRenderer().dot(hostile(), RenderOptions.defaults());
    assertThat(dot).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;");
    assertThat(dot).doesNotContain("\u001b");
    // Every line is a statement whose quoted strings close: strip escaped quotes, count the rest.
    for (String line : dot.split("\n")) {
      String stripped = line.replace("\\\\", "").replace("\\\"", "");
      assertThat(stripped.chars().filter(ch -> ch == '"').count() % 2).as(line).isZero();
    }
    assertThat(dot).contains("\\\\back\\\\N");
  }

  @ParameterizedTest
  @EnumSource(value = EngineChoice.class, names = {"CMDLINE", "V8"})
  void svgShowsTheNamesAsText(EngineChoice choice) throws Exception {
    if (choice == EngineChoice.CMDLINE && !GraphvizEngine.commandLineAvailable()) {
      System.out.println("SKIPPED: Graphviz 'dot' is not on the PATH (apt-get install graphviz)");
      Assumptions.abort("dot not installed");
    }
    byte[] svg = engine.svg(new DotRenderer().dot(hostile(), RenderOptions.defaults()), choice);
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
    assertThat(doc.getElementsByTagName("img").getLength()).isZero();
    assertThat(doc.getElementsByTagNameNS("*", "img").getLength()).isZero();
    StringBuilder text = new StringBuilder();
    NodeList t = doc.getElementsByTagName("text");
    for (int i = 0; i < t.getLength(); i++) {
      text.append(t.item(i).getTextContent()).append('\n');
    }
    assertThat(text).contains("bridge " + IMG).contains("netns " + QUOTES).contains(IMG + QUOTES);
    assertThat(new String(svg, StandardCharsets.UTF_8)).doesNotContain(IMG);
  }

  @Test
  void mermaidLabelsStayInsideTheirQuotes() {
    String m = new MermaidRenderer().mermaid(hostile(), RenderOptions.defaults());
    assertThat(m).doesNotContain("<img").doesNotContain("\u001b")
        .contains("#60;img src=x onerror=alert(1)#62;").contains("q#34;uo'te {br}[ack] #124;pipe#124; #35;hash #38;");
    MermaidSyntax.assertWellFormed(m);
  }

  @Test
  void markdownKeepsTablesAndShowsNoMarkup() {
    String md = new MarkdownRenderer().markdown(hostile(), RenderOptions.defaults());
    assertThat(md).doesNotContain("<img").doesNotContain("\u001b");
    Pattern unescapedPipe = Pattern.compile("(?<!\\\\)\\|");
    for (String line : md.split("\n")) {
      if (line.startsWith("| ") && !line.startsWith("| |") && line.chars().filter(c -> c == '|').count() > 3) {
        long cells = unescapedPipe.matcher(line).results().count() - 1;
        assertThat(cells).as(line).isIn(2L, 4L, 6L);
      }
    }
  }

  @Test
  void textHasNoControlCharacters() {
    String text = new TextRenderer().text(hostile(), RenderOptions.defaults());
    assertThat(text).doesNotContain("\u001b");
    assertThat(text.lines().count()).as("a name cannot forge an extra line")
        .isEqualTo(new TextRenderer().text(SampleCaptures.guestNoMasquerade(), RenderOptions.defaults()).lines().count());
  }
}
