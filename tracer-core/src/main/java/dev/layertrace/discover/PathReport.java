package dev.layertrace.discover;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layertrace.model.Finding;
import dev.layertrace.model.Layer;
import dev.layertrace.model.Severity;
import java.util.List;
import java.util.Map;

/**
 * The {@code layertrace path} outputs of a {@link DiscoveredPath}: text for a terminal, and the JSON
 * {@code {"path": [...], "findings": [...]}} in path order with the DESIGN vocabulary.
 */
public final class PathReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PathReport() {}

  /** {@code {"path": [{"kind","netns","interface",…facts}], "findings": [{"layer","code","severity","message","fix"}]}}. */
  public static String json(DiscoveredPath p) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode path = root.putArray("path");
    for (Layer l : p.graph().toPath().hops()) {
      ObjectNode n = path.addObject();
      n.put("kind", l.kind().word());
      n.put("netns", l.netns());
      n.put("interface", l.iface());
      n.put("id", l.id());
      if (!l.addresses().isEmpty()) {
        l.addresses().forEach(n.putArray("addresses")::add);
      }
      putIf(n, "mac", l.mac());
      if (l.mtu() != null) {
        n.put("mtu", l.mtu());
      }
      putIf(n, "operState", l.operState());
      putIf(n, "master", l.master());
      putIf(n, "peer", l.peer());
      putIf(n, "driver", l.driver());
      if (!l.details().isEmpty()) {
        ObjectNode d = n.putObject("details");
        l.details().forEach(d::put);
      }
    }
    ArrayNode findings = root.putArray("findings");
    for (Finding f : p.findings()) {
      ObjectNode n = findings.addObject();
      n.set("layer", JSON.valueToTree(f.layer()));
      n.put("code", f.code());
      n.put("severity", f.severity().word());
      n.put("message", f.message());
      n.put("fix", f.fix());
      if (!f.evidence().isEmpty()) {
        f.evidence().forEach(n.putArray("evidence")::add);
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One line per layer with its facts, then the findings with their fixes, then notes. */
  public static String text(PathRequest r, DiscoveredPath p) {
    StringBuilder b = new StringBuilder();
    List<Layer> hops = p.graph().toPath().hops();
    long errors = p.findings().stream().filter(f -> f.severity() == Severity.ERROR).count();
    b.append(String.format("%s %s → %s, %d layers, %d findings (%d errors)%n", r.protocol().word(),
        r.sourceLabel() == null ? r.sourceNetns() : r.sourceLabel(), r.destination(), hops.size(),
        p.findings().size(), errors));
    for (Layer l : hops) {
      String mark = p.findings().stream().filter(f -> p.graph().find(f.layer()).map(x -> x.id().equals(l.id()))
          .orElse(false)).map(f -> f.severity() == Severity.ERROR ? "✗" : "!").sorted().findFirst().orElse("✓");
      b.append(String.format("  %s %-10s %-10s %-10s %s%n", mark, l.kind().word(), nz(l.netns()), nz(l.iface()),
          facts(l)).stripTrailing()).append('\n');
    }
    if (!p.findings().isEmpty()) {
      b.append("findings\n");
      for (Finding f : p.findings()) {
        b.append(String.format("  %-7s %-20s %s: %s%n", f.severity().word(), f.code(), f.layer().label(), f.message()));
        if (f.fix() != null) {
          b.append("          fix: ").append(f.fix()).append('\n');
        }
      }
    }
    for (String n : p.notes()) {
      b.append("note: ").append(n).append('\n');
    }
    return b.toString();
  }

  private static String facts(Layer l) {
    StringBuilder f = new StringBuilder();
    if (!l.addresses().isEmpty()) {
      f.append(String.join(",", l.addresses())).append(' ');
    }
    if (l.operState() != null) {
      f.append(l.operState()).append(' ');
    }
    if (l.mtu() != null) {
      f.append("mtu ").append(l.mtu()).append(' ');
    }
    if (l.driver() != null) {
      f.append(l.driver()).append(' ');
    }
    if (l.master() != null) {
      f.append("master ").append(l.master()).append(' ');
    }
    if (l.peer() != null) {
      f.append("peer ").append(l.peer()).append(' ');
    }
    for (Map.Entry<String, String> e : l.details().entrySet()) {
      f.append(e.getKey()).append('=').append(e.getValue().contains(" ") ? "'" + e.getValue() + "'" : e.getValue())
          .append(' ');
    }
    return f.toString().strip();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static void putIf(ObjectNode n, String k, String v) {
    if (v != null) {
      n.put(k, v);
    }
  }
}
