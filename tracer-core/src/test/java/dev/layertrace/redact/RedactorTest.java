package dev.layertrace.redact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.model.Capture;
import dev.layertrace.model.Edge;
import dev.layertrace.model.Layer;
import dev.layertrace.model.Verdict;
import dev.layertrace.render.RenderOptions;
import dev.layertrace.render.Renderers;
import dev.layertrace.testing.SampleCaptures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RedactorTest {
  private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])\\d{1,3}(?:\\.\\d{1,3}){3}(?![0-9]|\\.[0-9])");
  private static final Pattern MAC = Pattern.compile("(?:[0-9a-f]{2}:){5}[0-9a-f]{2}");
  private static final Pattern LAYER_LINE = Pattern.compile("(?m)^  (\\S) (\\S+)");

  static Stream<Arguments> captures() throws IOException {
    return Stream.of(
        Arguments.of("guest-no-masquerade (sample)", SampleCaptures.guestNoMasquerade()),
        Arguments.of("guest-forward-drop (sample)", SampleCaptures.guestForwardDrop()),
        Arguments.of("guest-no-masquerade (golden json)", golden("/golden/guest-no-masquerade.json")),
        Arguments.of("docker source with a container name", dockerSourced()));
  }

  private static Capture golden(String resource) throws IOException {
    try (InputStream in = RedactorTest.class.getResourceAsStream(resource)) {
      return CaptureCodec.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    }
  }

  /** The sample with a container source, a container id and a home path, as a docker trace records them. */
  private static Capture dockerSourced() {
    Capture c = SampleCaptures.guestNoMasquerade();
    List<Layer> nodes = new ArrayList<>(c.graph().nodes());
    nodes.set(0, nodes.get(0).withDetail("source", "container:billing-api (3f9ab2c4d5e6)"));
    return new Capture(c.schemaVersion(), c.toolVersion(), c.createdAt(),
        new dev.layertrace.model.HostFacts("prod-db-17.corp.example", "6.1.0-28-amd64", "x86_64",
            "layertrace trace --from container:billing-api --to 198.51.100.10 -o /home/alice/trace.json"),
        new dev.layertrace.model.PathGraph(nodes, c.graph().edges(), c.graph().path()),
        c.probes(), c.observations(), c.kernelEvents(), c.findings(), c.verdicts(), c.notes());
  }

  /** Every address, MAC and name the original holds, which must all be gone after redaction. */
  private static Set<String> identifyingTokens(Capture c) {
    String json = CaptureCodec.write(c);
    Set<String> tokens = new LinkedHashSet<>();
    IPV4.matcher(json).results().map(m -> m.group()).filter(a -> !a.equals("0.0.0.0")).forEach(tokens::add);
    MAC.matcher(json).results().map(m -> m.group()).forEach(tokens::add);
    for (Layer l : c.graph().nodes()) {
      Stream.of(l.netns(), l.iface(), l.master()).filter(s -> s != null && !s.equals("lo")).forEach(tokens::add);
    }
    tokens.add(c.host().hostname());
    if (c.host().command().contains("billing-api")) {
      tokens.addAll(List.of("billing-api", "3f9ab2c4d5e6", "alice"));
    }
    return tokens;
  }

  private static boolean containsWord(String text, String token) {
    return Pattern.compile("(?<![A-Za-z0-9_.@-])" + Pattern.quote(token) + "(?![A-Za-z0-9_@-]|\\.[0-9A-Za-z])")
        .matcher(text).find();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void noOriginalAddressMacOrNameIsLeftInTheWrittenJson(String name, Capture original) {
    String redacted = CaptureCodec.write(Redactor.redact(original));
    Set<String> tokens = identifyingTokens(original);
    assertThat(tokens).hasSizeGreaterThan(10);
    for (String t : tokens) {
      assertThat(containsWord(redacted, t)).as("'%s' left in the redacted capture", t).isFalse();
    }
    // Prefix lengths survive; placeholders come from the documentation ranges.
    assertThat(redacted).containsPattern("\"192\\.0\\.2\\.\\d+/16\"").contains("02:00:00:00:00:01", "\"netns\": \"ns1\"");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void sameTokenBecomesTheSamePlaceholderEverywhere(String name, Capture original) {
    Capture r = Redactor.redact(original);
    // The probe's source address as the probe, the first observation, the first layer and the verdict text say it.
    String src = r.probes().get(0).src();
    assertThat(r.observations().get(0).packet().src()).isEqualTo(src);
    assertThat(r.graph().nodes().get(0).addresses().get(0)).startsWith(src + "/");
    Verdict v = r.verdicts().get(0);
    String evidence = String.join("\n", v.evidence());
    assertThat(v.explanation() + evidence + (v.fix() == null ? "" : v.fix())).doesNotContain("172.17.0.2");
    if (original.verdicts().get(0).explanation().contains("172.17.0.2")) {
      assertThat(v.explanation()).contains(src);
    }
    // The netns the verdict points at is the netns of a layer, and the fix names the same placeholder.
    String ns = v.layer().netns();
    assertThat(r.graph().nodes()).extracting(Layer::netns).contains(ns);
    assertThat(v.fix()).contains("ip netns exec " + ns + " ");
    // Peers and masters point at redacted layers too.
    Layer veth = r.graph().nodes().get(1);
    assertThat(r.graph().layer(veth.peer()).map(Layer::id)).isPresent();
    assertThat(r.graph().nodes()).extracting(Layer::iface).contains(veth.master());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void structureAndVocabularyArePreserved(String name, Capture original) {
    Capture r = Redactor.redact(original);
    assertThat(r.graph().nodes()).hasSameSizeAs(original.graph().nodes());
    assertThat(r.graph().nodes()).extracting(Layer::kind).isEqualTo(original.graph().nodes().stream().map(Layer::kind).toList());
    assertThat(r.graph().edges()).extracting(Edge::type).isEqualTo(original.graph().edges().stream().map(Edge::type).toList());
    assertThat(r.graph().path()).hasSameSizeAs(original.graph().path());
    assertThat(r.verdicts()).extracting(Verdict::outcome, Verdict::cause, v -> v.layer().kind())
        .isEqualTo(original.verdicts().stream().map(v -> org.assertj.core.groups.Tuple.tuple(v.outcome(), v.cause(),
            v.layer().kind())).toList());
    assertThat(r.kernelEvents()).isEqualTo(original.kernelEvents().stream()
        .map(e -> new dev.layertrace.model.KernelEvent(e.probeId(), r.graph().nodes().get(
            original.graph().toPath().indexOf(e.layerId())).id(), r.kernelEvents().get(0).netns(), e.event(),
            e.location(), e.reason(), e.timeNs())).toList());
    assertThat(r.probes().get(0).id()).isEqualTo(original.probes().get(0).id());
    // Observations still point at the same positions on the path.
    for (int i = 0; i < r.observations().size(); i++) {
      assertThat(r.graph().toPath().indexOf(r.observations().get(i).layerId()))
          .isEqualTo(original.graph().toPath().indexOf(original.observations().get(i).layerId()));
    }
    // The text renderer draws it with the same marks on the same kinds of layer.
    assertThat(marks(text(r))).isEqualTo(marks(text(original))).hasSize(original.graph().path().size());
    // And it reads back through the codec unchanged.
    assertThat(CaptureCodec.read(CaptureCodec.write(r), "redacted")).isEqualTo(r);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void redactingTwiceChangesNothing(String name, Capture original) {
    String before = CaptureCodec.write(original);
    Capture once = Redactor.redact(original);
    assertThat(Redactor.redact(once)).isEqualTo(once);
    assertThat(CaptureCodec.write(original)).as("the input is left as it was").isEqualTo(before);
  }

  private static String text(Capture c) {
    try (Renderers rs = Renderers.standard()) {
      return new String(rs.byName("text").orElseThrow().renderToBytes(c, RenderOptions.defaults()),
          StandardCharsets.UTF_8);
    }
  }

  private static List<String> marks(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = LAYER_LINE.matcher(text);
    while (m.find()) {
      out.add(m.group(1) + " " + m.group(2));
    }
    return out;
  }
}
