package dev.layertrace.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.model.Capture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The merged captures of split mode (captures/split-*.json, recorded by captures/record.sh --split:
 * a tracer in the guest's namespaces, an agent in the host's) draw as two kernel clusters with the
 * VMM link between them, in every graph format.
 */
class KernelClustersTest {
  static Capture capture(String name) {
    return CaptureCodec.read(Path.of("../captures/" + name + ".json"));
  }

  static String render(Renderer r, Capture c) {
    return new String(r.renderToBytes(c, RenderOptions.defaults()), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"split-healthy", "split-guest-no-masquerade", "split-vmm-stalled", "split-host-forward-drop",
      "qemu-healthy", "qemu-guest-no-masquerade", "qemu-host-forward-drop"})
  void dotAndMermaidDrawTheGuestAndTheHostAsTwoClustersJoinedByTheVmm(String name) {
    Capture c = capture(name);
    String dot = render(new DotRenderer(), c);
    assertThat(dot).contains("subgraph cluster_k1 {\n    label=\"guest kernel\"")
        .contains("subgraph cluster_k2 {\n    label=\"host kernel\"");
    int guest = dot.indexOf("label=\"guest kernel\"");
    int host = dot.indexOf("label=\"host kernel\"");
    int vmm = dot.indexOf(" vmm-link\\n");
    assertThat(vmm).as("the VMM node is drawn outside both kernel clusters").isGreaterThan(host);
    String prefix = name.startsWith("qemu-") ? "lt-q-" : "lt-";
    assertThat(dot.substring(guest, host)).contains("netns " + prefix + "ctr").contains("netns " + prefix + "guest")
        .doesNotContain("netns " + prefix + "host");
    assertThat(dot.substring(host)).contains("netns " + prefix + "host");

    String mermaid = render(new MermaidRenderer(), c);
    assertThat(mermaid).contains("subgraph k1[\"guest kernel\"]").contains("subgraph k2[\"host kernel\"]");
    String text = render(new TextRenderer(), c);
    assertThat(text.lines().findFirst().orElseThrow()).contains("2 kernels");
  }
}
