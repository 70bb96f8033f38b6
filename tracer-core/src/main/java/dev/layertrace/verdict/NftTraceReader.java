package dev.layertrace.verdict;

import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of {@code nft -a monitor trace}, recorded in one namespace, into the netfilter
 * decisions that {@code --rule-trace} cites: for every traced packet, each base chain that ended with a
 * verdict on the forward path (the chain's packet line names an input and an output interface) and
 * every drop anywhere. iptables-nft rules are nf_tables rules, so they appear here too. Pure.
 */
public final class NftTraceReader {
  private static final Pattern LINE = Pattern.compile(
      "trace id (\\p{XDigit}+) (\\S+) (\\S+) (\\S+) (.*?)\\s*");
  private static final Pattern RULE = Pattern.compile(
      "(?:unknown )?rule (.*?)(?: # handle (\\d+))? \\(verdict (\\w+)(?: [^)]*)?\\)");
  private static final Pattern UNKNOWN_RULE = Pattern.compile("handle (\\d+)");
  private static final Pattern COUNTER = Pattern.compile("counter packets \\d+ bytes \\d+");
  private static final Pattern ADDR = Pattern.compile("\\bip (saddr|daddr) (\\S+)");

  /** One event line: a chain saw the packet, a rule gave a verdict, or the chain's policy applied. */
  public record Event(String traceId, String family, String table, String chain, Kind kind, String rule,
      Integer handle, String verdict, String packet) {
    /** What the line says. */
    public enum Kind { PACKET, RULE, POLICY, VERDICT }

    /** {@code ip filter FORWARD}. */
    public String chainLabel() {
      return family + " " + table + " " + chain;
    }
  }

  private NftTraceReader() {}

  /** The events in {@code lines}; lines that are not trace events (warnings, blank) are skipped. */
  public static List<Event> parse(List<String> lines) {
    List<Event> out = new ArrayList<>();
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String rest = m.group(5);
      Event.Kind kind;
      String rule = null;
      Integer handle = null;
      String verdict = null;
      String packet = null;
      if (rest.startsWith("packet:")) {
        kind = Event.Kind.PACKET;
        packet = rest.substring("packet:".length()).strip();
      } else if (rest.startsWith("policy ")) {
        kind = Event.Kind.POLICY;
        verdict = rest.substring("policy ".length()).strip();
      } else if (rest.startsWith("verdict ")) {
        kind = Event.Kind.VERDICT;
        verdict = rest.substring("verdict ".length()).strip().split(" ")[0];
      } else {
        Matcher r = RULE.matcher(rest);
        if (!r.matches()) {
          continue;
        }
        kind = Event.Kind.RULE;
        rule = COUNTER.matcher(r.group(1)).replaceAll("counter").strip();
        if (rest.startsWith("unknown rule")) {
          Matcher h = UNKNOWN_RULE.matcher(rule);
          handle = h.find() ? Integer.valueOf(h.group(1)) : null;
          rule = null;
        } else {
          handle = r.group(2) == null ? null : Integer.valueOf(r.group(2));
        }
        verdict = r.group(3);
      }
      out.add(new Event(m.group(1), m.group(2), m.group(3), m.group(4), kind, rule, handle, verdict, packet));
    }
    return out;
  }

  /**
   * The decisions in one namespace's trace, own table left out.
   *
   * @param backendOf the backend word of a table ({@code "iptables-nft"}, {@code "nftables"}) given
   *     family and name, or null when unknown
   */
  public static List<RuleDecision> decisions(String netns, List<String> lines, String ownTable,
      BiFunction<String, String, String> backendOf) {
    Map<String, String> chainPacket = new LinkedHashMap<>();
    Set<String> seen = new LinkedHashSet<>();
    List<RuleDecision> out = new ArrayList<>();
    LayerRef layer = LayerRef.of(LayerKind.FILTER, netns, null);
    for (Event e : parse(lines)) {
      if (e.table().equals(ownTable)) {
        continue;
      }
      String key = e.traceId() + " " + e.chainLabel();
      if (e.kind() == Event.Kind.PACKET) {
        chainPacket.put(key, e.packet());
        continue;
      }
      if (!terminal(e)) {
        continue;
      }
      boolean stops = e.verdict().equals("drop") || e.verdict().equals("reject");
      String packet = chainPacket.getOrDefault(key, "");
      boolean forward = packet.contains("iif ") && packet.contains("oif ");
      if (!stops && !forward) {
        continue;
      }
      String backend = backendOf == null ? null : backendOf.apply(e.family(), e.table());
      String what = e.kind() == Event.Kind.POLICY ? "policy " + e.verdict()
          : "rule" + (e.handle() == null ? "" : " handle " + e.handle())
              + (e.rule() == null ? "" : " '" + e.rule() + "'") + " → " + e.verdict();
      String text = e.chainLabel() + (backend == null ? "" : " (" + backend + ")") + ": " + what;
      if (seen.add(text)) {
        out.add(new RuleDecision(layer, stops, text, List.of(), stops ? fix(netns, e, backend, packet) : null));
      }
    }
    return out;
  }

  private static boolean terminal(Event e) {
    return e.kind() == Event.Kind.POLICY
        || e.verdict() != null && List.of("accept", "drop", "reject", "queue").contains(e.verdict());
  }

  /**
   * A drop by a rule with a known handle: delete it; a native nftables chain whose policy dropped:
   * accept the probe's flow in that chain. An iptables-nft policy is left to the engine's own fix.
   */
  private static String fix(String netns, Event e, String backend, String packet) {
    String prefix = "ip netns exec " + netns + " nft ";
    if (e.kind() == Event.Kind.RULE && e.handle() != null) {
      return prefix + "delete rule " + e.chainLabel() + " handle " + e.handle();
    }
    if (e.kind() == Event.Kind.POLICY && "nftables".equals(backend)) {
      Optional<String> s = addr(packet, "saddr");
      Optional<String> d = addr(packet, "daddr");
      if (s.isPresent() && d.isPresent()) {
        return prefix + "insert rule " + e.chainLabel() + " ip saddr " + s.get() + " ip daddr " + d.get() + " accept";
      }
    }
    return null;
  }

  private static Optional<String> addr(String packet, String which) {
    Matcher m = ADDR.matcher(packet);
    while (m.find()) {
      if (m.group(1).equals(which)) {
        return Optional.of(m.group(2));
      }
    }
    return Optional.empty();
  }
}
