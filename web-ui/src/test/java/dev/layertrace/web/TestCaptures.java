package dev.layertrace.web;

import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.model.Capture;
import dev.layertrace.model.HostFacts;
import dev.layertrace.model.Layer;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Verdict;
import dev.layertrace.testing.SampleCaptures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes the sample captures (and a hostile one) into a folder, as the lead's captures/ will hold them. */
final class TestCaptures {
  /** The interface name the XSS acceptance names. */
  static final String XSS_IFACE = "<img src=x onerror=alert(1)>";
  /** A second payload that would set a flag the browser test checks. */
  static final String XSS_FLAG = "<img src=x onerror=\"window.__ltXss=1\">";

  private TestCaptures() {}

  static void writeAll(Path dir) throws IOException {
    Files.createDirectories(dir);
    CaptureCodec.write(SampleCaptures.guestNoMasquerade(), dir.resolve("guest-no-masquerade.json"));
    CaptureCodec.write(SampleCaptures.guestForwardDrop(), dir.resolve("guest-forward-drop.json"));
    CaptureCodec.write(hostile(), dir.resolve("xss-interface.json"));
  }

  /**
   * guest-no-masquerade with the veth's interface name, a netns detail, the host name and the
   * verdict's explanation replaced by markup that runs script if anything renders it as HTML.
   */
  static Capture hostile() {
    Capture c = SampleCaptures.guestNoMasquerade();
    List<Layer> nodes = new ArrayList<>();
    for (Layer l : c.graph().nodes()) {
      if (l.id().equals("lt-guest/veth-ctr")) {
        l = new Layer(l.id(), l.kind(), l.netns(), XSS_IFACE, l.kernel(), l.addresses(), l.mac(), l.mtu(),
            l.operState(), l.master(), l.peer(), l.driver(), l.details()).withDetail("note", XSS_FLAG);
      }
      nodes.add(l);
    }
    Verdict v = c.verdict();
    Verdict hv = new Verdict(v.probeId(), v.outcome(), v.layer(), v.cause(), XSS_FLAG + " " + v.explanation(),
        v.evidence(), v.fix());
    return new Capture(c.schemaVersion(), c.toolVersion(), "2026-12-03T12:00:00Z",
        new HostFacts(XSS_FLAG, "6.1.0-lab", "x86_64", null),
        new PathGraph(nodes, c.graph().edges(), c.graph().path()), c.probes(), c.observations(),
        c.kernelEvents(), c.findings(), List.of(hv), c.notes());
  }
}
