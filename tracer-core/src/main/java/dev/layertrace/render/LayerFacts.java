package dev.layertrace.render;

import dev.layertrace.model.Layer;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.SeenPacket;
import dev.layertrace.model.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The short phrases every renderer uses for a layer, so text, DOT, Mermaid and Markdown agree. */
final class LayerFacts {
  private LayerFacts() {}

  /**
   * What to say about a layer: the packet as seen there (addresses after NAT, TTL), else the layer's
   * key fact (the route used, the filter or NAT rules, the VMM process, the interface address), then
   * any notes in parentheses.
   */
  static String describe(TracedLayer t) {
    StringBuilder b = new StringBuilder();
    SeenPacket p = t.packet();
    if (p != null) {
      b.append("seen: ").append(p.summary());
    } else {
      b.append(keyFact(t.layer()));
    }
    if (!t.notes().isEmpty()) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append('(').append(String.join("; ", t.notes())).append(')');
    }
    return b.toString();
  }

  /** The one fact that matters most for this kind of layer, or an empty string. */
  static String keyFact(Layer l) {
    Map<String, String> d = l.details();
    return switch (l.kind()) {
      case FORWARDING -> first(d, "route", "ip_forward");
      case FILTER -> prefixed("forward", d.get("forward"), d);
      case NAT -> prefixed("postrouting", d.get("postrouting"), d);
      case VMM_LINK -> d.containsKey("process")
          ? d.get("process") + (d.containsKey("pid") ? " (pid " + d.get("pid") + ")" : "")
              + (d.containsKey("vm") && !"running".equals(d.get("vm")) ? ", VM " + d.get("vm") : "")
          : first(d);
      default -> deviceFact(l);
    };
  }

  /** {@code reply lost}, {@code stopped}, … */
  static String outcomeWords(Outcome o) {
    return o.word().replace('-', ' ');
  }

  /** {@code reply lost at nat lt-guest}, or {@code reached}. */
  static String verdictLine(Verdict v) {
    return outcomeWords(v.outcome()) + (v.layer() == null ? "" : " at " + v.layer().label());
  }

  /** The layer name used in labels: {@code nat lt-guest}, {@code nic lt-guest eth0}. */
  static String label(Layer l) {
    return l.ref().label();
  }

  private static String deviceFact(Layer l) {
    List<String> parts = new ArrayList<>();
    if (!l.addresses().isEmpty()) {
      parts.add(String.join(", ", l.addresses()));
    }
    if (l.operState() != null && !"up".equals(l.operState())) {
      parts.add("state " + l.operState());
    }
    if (l.master() != null) {
      parts.add("port of " + l.master());
    }
    return String.join("  ", parts);
  }

  private static String prefixed(String key, String value, Map<String, String> d) {
    return value == null ? first(d) : key + ": " + value;
  }

  private static String first(Map<String, String> d, String... keys) {
    for (String k : keys) {
      if (d.containsKey(k)) {
        return k.equals("ip_forward") ? "ip_forward=" + d.get(k) : d.get(k);
      }
    }
    return d.isEmpty() ? "" : d.entrySet().iterator().next().getKey() + ": " + d.entrySet().iterator().next().getValue();
  }
}
