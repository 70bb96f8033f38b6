package dev.layertrace.render;

import dev.layertrace.model.Capture;
import dev.layertrace.model.Edge;
import dev.layertrace.model.Layer;
import dev.layertrace.model.PathGraph;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A Mermaid flowchart that pastes into GitHub and GitLab issues: kernels and namespaces as
 * subgraphs, one class per status, NAT rewrites and routes as edge labels. Node and subgraph ids
 * are generated ({@code n1}, {@code k1_ns1}), so no name can collide with Mermaid keywords; every
 * label goes through {@link Escape#mermaid}.
 */
public final class MermaidRenderer implements Renderer {

  @Override
  public String name() {
    return "mermaid";
  }

  @Override
  public List<String> extensions() {
    return List.of(".mmd", ".mermaid");
  }

  @Override
  public void render(Capture capture, RenderOptions options, OutputStream out) throws IOException {
    out.write(mermaid(capture, options).getBytes(StandardCharsets.UTF_8));
  }

  /** The flowchart text (without a Markdown fence), ending in a newline. */
  public String mermaid(Capture capture, RenderOptions options) {
    TracedPath path = TracedPath.of(capture, options.probeId());
    PathGraph g = capture.graph();
    Map<String, TracedLayer> traced = path.byLayerId();
    Map<String, String> ids = TracedPath.shortNodeIds(g);

    StringBuilder b = new StringBuilder("flowchart LR\n");
    int k = 0;
    for (LayerGroups.KernelGroup kg : LayerGroups.of(g.nodes()).kernels()) {
      k++;
      String indent = "  ";
      if (kg.kernel() != null) {
        b.append("  subgraph k").append(k).append("[\"").append(text(kg.kernel() + " kernel", options)).append("\"]\n");
        indent = "    ";
      }
      int n = 0;
      for (LayerGroups.NetnsGroup ns : kg.namespaces()) {
        n++;
        b.append(indent).append("subgraph k").append(k).append("_ns").append(n).append("[\"")
            .append(text("netns " + ns.netns(), options)).append("\"]\n");
        for (int i : ns.nodes()) {
          node(b, indent + "  ", ids, g.nodes().get(i), traced, options);
        }
        b.append(indent).append("end\n");
      }
      for (int i : kg.loose()) {
        node(b, indent, ids, g.nodes().get(i), traced, options);
      }
      if (kg.kernel() != null) {
        b.append("  end\n");
      }
    }
    for (Edge e : g.edges()) {
      b.append("  ").append(ids.get(e.from())).append(' ').append(arrow(e));
      if (e.label() != null && !e.label().isEmpty()) {
        b.append("|\"").append(text(e.label(), options)).append("\"|");
      }
      b.append(' ').append(ids.get(e.to())).append('\n');
    }
    b.append("  classDef seen fill:#e8f5e9,stroke:#2e7d32,color:#1b5e20\n");
    b.append("  classDef unexpected fill:#fff8e1,stroke:#ef6c00,stroke-width:2px,color:#e65100\n");
    b.append("  classDef stopped fill:#ffebee,stroke:#c62828,stroke-width:4px,color:#b71c1c,font-weight:bold\n");
    b.append("  classDef notreached fill:#f5f5f5,stroke:#9e9e9e,stroke-dasharray:4 3,color:#757575\n");
    Map<LayerStatus, List<String>> byStatus = new EnumMap<>(LayerStatus.class);
    for (Layer l : g.nodes()) {
      TracedLayer t = traced.get(l.id());
      if (t != null) {
        byStatus.computeIfAbsent(t.status(), s -> new ArrayList<>()).add(ids.get(l.id()));
      }
    }
    byStatus.forEach((s, nodes) -> b.append("  class ").append(String.join(",", nodes)).append(' ')
        .append(s.word().replace("-", "")).append('\n'));
    return b.toString();
  }

  private static void node(StringBuilder b, String indent, Map<String, String> ids, Layer l,
      Map<String, TracedLayer> traced, RenderOptions o) {
    TracedLayer t = traced.get(l.id());
    StringBuilder label = new StringBuilder();
    if (t != null) {
      label.append(text(t.status().mark(o.ascii()), o)).append(' ');
    }
    label.append(text(l.kind().word() + (l.iface() == null ? "" : " " + l.iface()), o));
    String fact = t != null ? LayerFacts.describe(t) : LayerFacts.keyFact(l);
    if (!fact.isEmpty()) {
      label.append("<br/>").append(text(fact, o));
    }
    if (t != null && t.status() == LayerStatus.STOPPED) {
      label.append("<br/>").append(text("◀ stopped here", o));
    }
    b.append(indent).append(ids.get(l.id())).append("[\"").append(label).append("\"]\n");
  }

  /** Solid for devices and routes, dotted between netfilter hooks, thick across the VMM boundary. */
  private static String arrow(Edge e) {
    return switch (e.type()) {
      case NETFILTER -> "-.->";
      case VMM_LINK -> "==>";
      default -> "-->";
    };
  }

  private static String text(String s, RenderOptions o) {
    return Escape.mermaid(o.ascii() ? Escape.ascii(s) : s);
  }
}
