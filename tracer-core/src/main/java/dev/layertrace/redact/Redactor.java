package dev.layertrace.redact;

import dev.layertrace.model.Capture;
import dev.layertrace.model.Direction;
import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.HostFacts;
import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.Severity;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Makes a capture safe to share: every IPv4/IPv6 address, MAC, namespace, interface and container
 * name, the hostname and home-directory paths are replaced by placeholders, consistently: the same
 * token becomes the same placeholder in every field and inside every free text (explanations,
 * evidence, fixes, details, edge labels, the recorded command line). Layer ids are rewritten the same
 * way, so edges, the path, observations and events still point at the right layers.
 *
 * <p>Kept as they are: the verdict vocabulary (kinds, outcomes, cause and finding codes, directions),
 * probe ids, kernel symbols and drop reasons, timings, sizes, MTUs, operational states, drivers, detail
 * keys, prefix lengths, and addresses that identify nobody (0.0.0.0, 255.255.255.255, loopback,
 * netmasks, {@code lo}). Everything user-identifying is redacted by default, including the lab's
 * well-known names: a redacted capture of the lab reads {@code ns1}, {@code if1} like any other.
 *
 * <p>Placeholders: IPv4 192.0.2.N, then 198.51.100.N, 203.0.113.N (RFC 5737) and 198.18.0.0/15;
 * IPv6 2001:db8::N; MACs 02:00:00:00:00:NN; namespaces nsN, interfaces ifN, containers ctrN; the
 * hostname {@code host}; {@code /home/NAME} becomes {@code /home/user}. They are handed out in the
 * order first met, so redacting a redacted capture changes nothing.
 */
public final class Redactor {
  private static final Pattern MAC = Pattern.compile("(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:])");
  private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?![0-9]|\\.[0-9])");
  private static final Pattern IPV6 = Pattern.compile(
      "(?<![0-9A-Za-z:.])(?=[0-9A-Fa-f:]*::|(?:[0-9A-Fa-f]{1,4}:){7})[0-9A-Fa-f:]{2,39}(?![0-9A-Za-z:])");
  private static final Pattern CONTAINER_ID = Pattern.compile("(?<![0-9A-Za-z])(?:[0-9a-f]{64}|[0-9a-f]{12})(?![0-9A-Za-z])");
  private static final Pattern HOME = Pattern.compile("/home/[^/\\s'\"]+");
  /** {@code container:web}, {@code netns:lt-ctr} and the like, as source specs in commands and details. */
  private static final Pattern SPEC = Pattern.compile("\\b(container|docker|netns|ns):([A-Za-z0-9_.@-]+)");

  /** Fields copied as they are: vocabulary, ids, kernel symbols and facts about the software. */
  private static final Set<String> VERBATIM = Set.of(
      "Capture.schemaVersion", "Capture.toolVersion", "Capture.createdAt",
      "HostFacts.kernelRelease", "HostFacts.arch",
      "Probe.id", "Observation.probeId", "KernelEvent.probeId", "Verdict.probeId",
      "Verdict.cause", "Finding.code", "KernelEvent.event", "KernelEvent.location", "KernelEvent.reason",
      "SeenPacket.protocol", "Layer.kernel", "Layer.operState", "Layer.driver");

  /** Words that are never taken for a name, so a device called "nat" cannot rewrite the vocabulary. */
  private static final Set<String> RESERVED = reserved();

  private Redactor() {}

  /** A redacted copy of {@code capture}; the input is left as it is. */
  public static Capture redact(Capture capture) {
    Placeholders p = new Placeholders();
    collectNames(capture, p);
    Rewriter rw = new Rewriter(p);
    return (Capture) rw.record(capture);
  }

  private static Set<String> reserved() {
    Set<String> s = new HashSet<>(List.of("lo", "all", "default", "any", "none", "host", "guest", "up", "down",
        "unknown", "vmm"));
    for (Class<? extends Enum<?>> e : List.of(LayerKind.class, Outcome.class, EdgeKind.class, Direction.class,
        Protocol.class, Severity.class)) {
      for (Enum<?> c : e.getEnumConstants()) {
        s.add(c.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      }
    }
    s.addAll(List.of("no-route", "link-down", "not-bridged", "forwarding-disabled", "filtered", "not-translated",
        "vmm-not-relaying", "mtu-exceeded", "neighbor-unresolved", "reply-unroutable"));
    return Set.copyOf(s);
  }

  /** Names come from the structured fields, so free text is never guessed at; the order fixes the placeholders. */
  private static void collectNames(Capture c, Placeholders p) {
    List<String[]> found = new ArrayList<>();
    for (Layer l : c.graph().nodes()) {
      found.add(new String[] {l.netns(), "ns"});
      found.add(new String[] {l.iface(), "if"});
      found.add(new String[] {l.master(), "if"});
      if (l.peer() != null) {
        int slash = l.peer().indexOf('/');
        found.add(new String[] {slash < 0 ? l.peer() : l.peer().substring(0, slash), slash < 0 ? "if" : "ns"});
        if (slash >= 0) {
          found.add(new String[] {l.peer().substring(slash + 1), "if"});
        }
      }
    }
    List<LayerRef> refs = new ArrayList<>();
    c.verdicts().forEach(v -> refs.add(v.layer()));
    c.findings().forEach(f -> refs.add(f.layer()));
    for (LayerRef r : refs) {
      if (r != null) {
        found.add(new String[] {r.netns(), "ns"});
        found.add(new String[] {r.iface(), "if"});
      }
    }
    for (KernelEvent e : c.kernelEvents()) {
      found.add(new String[] {e.netns(), "ns"});
    }
    List<String> texts = new ArrayList<>();
    new TextCollector(texts).record(c);
    for (String t : texts) {
      Matcher m = SPEC.matcher(t);
      while (m.find()) {
        found.add(new String[] {m.group(2), m.group(1).startsWith("n") ? "ns" : "ctr"});
      }
    }
    if (c.host() != null && c.host().hostname() != null && !c.host().hostname().isBlank()) {
      p.fixedName(c.host().hostname(), "host");
    }
    for (String[] f : found) {
      // All-digit or two-hex-digit names ("2", "0a") could match inside addresses and MACs; they identify nobody.
      if (f[0] != null && !f[0].isBlank() && !RESERVED.contains(f[0]) && !f[0].matches("[0-9a-fA-F]{1,2}|[0-9.]+")) {
        p.name(f[0], f[1]);
      }
    }
  }

  /** Rebuilds records component by component through their canonical constructors. */
  private static class Walker {
    Object record(Object r) {
      Class<?> type = r.getClass();
      RecordComponent[] cs = type.getRecordComponents();
      Object[] values = new Object[cs.length];
      for (int i = 0; i < cs.length; i++) {
        try {
          Object v = cs[i].getAccessor().invoke(r);
          values[i] = VERBATIM.contains(type.getSimpleName() + "." + cs[i].getName()) ? v : value(type, cs[i], v);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + cs[i].getName(), e);
        }
      }
      try {
        Constructor<?> k = type.getDeclaredConstructor(
            Arrays.stream(cs).map(RecordComponent::getType).toArray(Class<?>[]::new));
        return k.newInstance(values);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot rebuild " + type.getSimpleName(), e);
      }
    }

    Object value(Class<?> owner, RecordComponent c, Object v) {
      if (v == null) {
        return null;
      } else if (v instanceof String s) {
        return text(owner, c, s);
      } else if (v instanceof List<?> list) {
        List<Object> out = new ArrayList<>(list.size());
        list.forEach(e -> out.add(value(owner, c, e)));
        return out;
      } else if (v instanceof Map<?, ?> map) {
        // Detail keys are vocabulary ("route", "ip_forward"); only the values carry facts.
        Map<Object, Object> out = new LinkedHashMap<>();
        map.forEach((k, e) -> out.put(k, value(owner, c, e)));
        return out;
      } else if (v instanceof Record rec) {
        return record(rec);
      }
      return v;
    }

    String text(Class<?> owner, RecordComponent c, String s) {
      return s;
    }
  }

  /** Gathers every free text, to find source specs such as {@code container:web}. */
  private static final class TextCollector extends Walker {
    private final List<String> texts;

    TextCollector(List<String> texts) {
      this.texts = texts;
    }

    @Override
    String text(Class<?> owner, RecordComponent c, String s) {
      texts.add(s);
      return s;
    }
  }

  /** Replaces every token in every string, all kinds in one pass so a placeholder is never rewritten again. */
  private static final class Rewriter extends Walker {
    private final Placeholders p;
    private final Pattern names;

    Rewriter(Placeholders p) {
      this.p = p;
      String alternation = p.names().keySet().stream()
          .sorted(Comparator.comparingInt(String::length).reversed())
          .map(Pattern::quote)
          .collect(Collectors.joining("|"));
      this.names = alternation.isEmpty() ? null
          : Pattern.compile("(?<![A-Za-z0-9_@-])(?<![A-Za-z0-9]\\.)(?:" + alternation + ")(?![A-Za-z0-9_@-]|\\.[A-Za-z0-9])");
    }

    @Override
    String text(Class<?> owner, RecordComponent c, String s) {
      if (owner == HostFacts.class && c.getName().equals("hostname")) {
        return s.isBlank() ? s : "host";
      }
      String out = replace(MAC, s, m -> p.mac(m.group()));
      out = replace(IPV4, out, m -> ipv4(m.group(1)));
      out = replace(IPV6, out, m -> ipv6(m.group()));
      out = replace(CONTAINER_ID, out, m -> {
        p.name(m.group(), "ctr");
        return p.names().get(m.group());
      });
      out = replace(HOME, out, m -> "/home/user");
      if (names != null) {
        out = replace(names, out, m -> p.names().get(m.group()));
      }
      return out;
    }

    private String ipv4(String a) {
      String[] parts = a.split("\\.");
      long v = 0;
      for (String part : parts) {
        int octet = Integer.parseInt(part);
        if (octet > 255) {
          return a; // a version number or counter, not an address
        }
        v = v << 8 | octet;
      }
      long inverted = ~v & 0xffffffffL;
      boolean netmask = v != 0 && (inverted & (inverted + 1)) == 0;
      if (v == 0 || v == 0xffffffffL || parts[0].equals("127") || netmask) {
        return a;
      }
      return p.ipv4(a);
    }

    private String ipv6(String a) {
      if (a.equals("::") || a.equals("::1") || a.chars().filter(ch -> ch == ':').count() < 2) {
        return a;
      }
      return p.ipv6(a);
    }

    private static String replace(Pattern pattern, String s, java.util.function.Function<Matcher, String> f) {
      Matcher m = pattern.matcher(s);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(b, Matcher.quoteReplacement(f.apply(m)));
      }
      m.appendTail(b);
      return b.toString();
    }
  }
}
