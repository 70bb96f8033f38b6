package dev.layertrace.render;

import dev.layertrace.model.Capture;
import dev.layertrace.model.Edge;
import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.Layer;
import dev.layertrace.model.PathGraph;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Graphviz DOT: kernels and namespaces as nested clusters, layers as nodes coloured by status, the
 * stopping layer bold red with a thick border and a "stopped here" line, edges styled by kind with
 * NAT rewrites and routes as labels. Every capture-supplied string goes through {@link Escape#dot}.
 */
public final class DotRenderer implements Renderer {

  @Override
  public String name() {
    return "dot";
  }

  @Override
  public List<String> extensions() {
    return List.of(".dot", ".gv");
  }

  @Override
  public void render(Capture capture, RenderOptions options, OutputStream out) throws IOException {
    out.write(dot(capture, options).getBytes(StandardCharsets.UTF_8));
  }

  /** The DOT text, ending in a newline. */
  public String dot(Capture capture, RenderOptions options) {
    TracedPath path = TracedPath.of(capture, options.probeId());
    PathGraph g = capture.graph();
    Map<String, TracedLayer> traced = path.byLayerId();
    Map<String, String> ids = TracedPath.shortNodeIds(g);

    StringBuilder b = new StringBuilder();
    b.append("digraph layertrace {\n");
    b.append("  graph [label=\"").append(text(title(path), options)).append("\", labelloc=t, fontname=\"Helvetica\",")
        .append(" fontsize=12, nodesep=0.3, ranksep=0.3];\n");
    b.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n");
    b.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");

    LayerGroups groups = LayerGroups.of(g.nodes());
    int k = 0;
    for (LayerGroups.KernelGroup kg : groups.kernels()) {
      k++;
      String indent = "  ";
      if (kg.kernel() != null) {
        b.append("  subgraph cluster_k").append(k).append(" {\n");
        b.append("    label=\"").append(text(kg.kernel() + " kernel", options)).append("\";")
            .append(" style=\"dashed\"; color=\"#78909c\"; fontcolor=\"#455a64\"; fontname=\"Helvetica\";\n");
        indent = "    ";
      }
      int n = 0;
      for (LayerGroups.NetnsGroup ns : kg.namespaces()) {
        n++;
        b.append(indent).append("subgraph cluster_k").append(k).append("_ns").append(n).append(" {\n");
        b.append(indent).append("  label=\"").append(text("netns " + ns.netns(), options)).append("\";")
            .append(" style=\"rounded\"; color=\"#b0bec5\"; fontname=\"Helvetica\";\n");
        for (int i : ns.nodes()) {
          node(b, indent + "  ", ids, g.nodes().get(i), traced, path, options);
        }
        b.append(indent).append("}\n");
      }
      for (int i : kg.loose()) {
        node(b, indent, ids, g.nodes().get(i), traced, path, options);
      }
      if (kg.kernel() != null) {
        b.append("  }\n");
      }
    }
    for (Edge e : g.edges()) {
      edge(b, ids, e, traced, options);
    }
    b.append("}\n");
    return b.toString();
  }

  private static String title(TracedPath path) {
    String probe = path.probe() == null ? "path" : path.probe().describe() + "  (probe " + path.probe().id() + ")";
    return path.verdict() == null ? probe : probe + "\n" + LayerFacts.verdictLine(path.verdict())
        + (path.verdict().cause() == null ? "" : ": " + path.verdict().cause());
  }

  private static void node(StringBuilder b, String indent, Map<String, String> ids, Layer l,
      Map<String, TracedLayer> traced, TracedPath path, RenderOptions o) {
    TracedLayer t = traced.get(l.id());
    StringBuilder label = new StringBuilder();
    if (t != null) {
      label.append(t.status().mark(o.ascii())).append(' ');
    }
    label.append(l.kind().word());
    if (l.iface() != null) {
      label.append(' ').append(l.iface());
    }
    String fact = t != null ? LayerFacts.describe(t) : LayerFacts.keyFact(l);
    if (!fact.isEmpty()) {
      label.append('\n').append(fact);
    }
    if (t != null && t.status() == LayerStatus.STOPPED) {
      label.append('\n').append(LayerStatus.STOPPED.mark(o.ascii())).append(" STOPPED HERE");
      if (path.verdict() != null && path.verdict().cause() != null) {
        label.append(": ").append(path.verdict().cause());
      }
    }
    b.append(indent).append(ids.get(l.id())).append(" [label=\"").append(text(label.toString(), o))
        .append("\", ").append(style(t == null ? null : t.status())).append("];\n");
  }

  private static String style(LayerStatus s) {
    if (s == null) {
      return "fillcolor=\"#ffffff\", color=\"#b0bec5\", fontcolor=\"#607d8b\"";
    }
    return switch (s) {
      case SEEN -> "fillcolor=\"#e8f5e9\", color=\"#2e7d32\"";
      case UNEXPECTED -> "fillcolor=\"#fff8e1\", color=\"#ef6c00\", penwidth=2";
      case STOPPED -> "style=\"rounded,filled,bold\", fillcolor=\"#ffebee\", color=\"#c62828\","
          + " fontcolor=\"#b71c1c\", penwidth=4";
      case NOT_REACHED -> "style=\"rounded,filled,dashed\", fillcolor=\"#f5f5f5\", color=\"#9e9e9e\","
          + " fontcolor=\"#757575\"";
    };
  }

  private static void edge(StringBuilder b, Map<String, String> ids, Edge e, Map<String, TracedLayer> traced,
      RenderOptions o) {
    b.append("  ").append(ids.get(e.from())).append(" -> ").append(ids.get(e.to())).append(" [");
    b.append(kindStyle(e.type()));
    TracedLayer to = traced.get(e.to());
    if (to != null && to.status() == LayerStatus.NOT_REACHED) {
      b.append(", color=\"#bdbdbd\", fontcolor=\"#9e9e9e\"");
    }
    if (e.label() != null && !e.label().isEmpty()) {
      b.append(", label=\"").append(text(e.label(), o)).append('"');
    }
    b.append("];\n");
  }

  /** One visual per edge kind, so a reader tells a veth from a NAT rewrite from the VMM crossing. */
  private static String kindStyle(EdgeKind k) {
    return switch (k) {
      case VETH_PEER -> "color=\"#37474f\", arrowhead=normal";
      case BRIDGE_PORT -> "color=\"#37474f\", arrowhead=empty";
      case ROUTE -> "color=\"#1565c0\", fontcolor=\"#1565c0\"";
      case NETFILTER -> "style=dashed, color=\"#546e7a\", fontcolor=\"#546e7a\"";
      case NAT -> "style=bold, color=\"#6a1b9a\", fontcolor=\"#6a1b9a\"";
      case VMM_LINK -> "style=bold, penwidth=2.5, color=\"#263238\", arrowhead=vee";
      case UPLINK -> "color=\"#00695c\", arrowhead=normal";
    };
  }

  private static String text(String s, RenderOptions o) {
    return Escape.dot(o.ascii() ? Escape.ascii(s) : s);
  }
}
