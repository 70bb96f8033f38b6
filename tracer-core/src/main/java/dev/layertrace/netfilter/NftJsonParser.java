package dev.layertrace.netfilter;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses {@code nft -j list ruleset} into tables, chains and rules. */
public final class NftJsonParser {
  static final String SOURCE = "nft -j list ruleset";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> IPTABLES_TABLES = Set.of("filter", "nat", "mangle", "raw", "security");
  private static final Set<String> IPTABLES_BUILTINS = Set.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT",
      "POSTROUTING");
  private static final Set<String> PASSIVE = Set.of("counter", "log", "mangle", "notrack", "flow", "set",
      "ct helper", "synproxy");

  private NftJsonParser() {}

  /**
   * Parses the JSON; throws {@link NetfilterParseException} with a position when it is malformed.
   *
   * <p>The {@code nftables} array is read one item at a time, each as its own small tree: a ruleset of
   * thousands of rules prints megabytes, and one tree of it all would be tens of MiB alive at once (a
   * young collection copying it costs more than the parse). The outcome is the whole-tree parse's: when
   * an item is wrong, the rest is still read so that a syntax error later on is the one reported.
   */
  public static List<Table> parse(String json) {
    try (JsonParser p = JSON.getFactory().createParser(json)) {
      return parse(p);
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // a String source does no I/O
    }
  }

  private static List<Table> parse(JsonParser p) throws java.io.IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      p.skipChildren(); // a malformed document says so before the wrong top level does
      throw new NetfilterParseException(SOURCE, "top level", "expected an object {\"nftables\": [...]}");
    }
    Map<String, TableBuilder> tables = null;
    NetfilterParseException wrong = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (!"nftables".equals(field) || value != JsonToken.START_ARRAY) {
        p.skipChildren();
        if ("nftables".equals(field)) {
          tables = null; // as in a tree, a later "nftables" replaces an earlier one
          wrong = null;
        }
        continue;
      }
      tables = new LinkedHashMap<>();
      wrong = null;
      for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
        JsonNode item = JSON.readTree(p);
        if (wrong == null) {
          try {
            item(tables, item, "nftables[" + i + "]");
          } catch (NetfilterParseException e) {
            wrong = e; // reported once the rest has been read: a syntax error there comes first
          }
        }
      }
    }
    if (wrong != null) {
      throw wrong;
    }
    if (tables == null) {
      throw new NetfilterParseException(SOURCE, "top level", "no \"nftables\" array");
    }
    List<Table> out = new ArrayList<>();
    for (TableBuilder t : tables.values()) {
      out.add(t.build());
    }
    return out;
  }

  /**
   * Parses a small ruleset of the usual shapes and drops it: the first parse in a process spends most
   * of its time loading and linking Jackson's and the model's classes (about 0.1 s, more than parsing
   * a few thousand rules takes after it). A reader calls this while nft is still writing a big
   * ruleset, so that this cost is paid meanwhile rather than after.
   */
  public static void warmUp() {
    parse(WARM_UP);
  }

  private static final String WARM_UP = """
      {"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
      {"table": {"family": "ip", "name": "filter", "handle": 1}},
      {"chain": {"family": "ip", "table": "filter", "name": "FORWARD", "handle": 1, "type": "filter",
        "hook": "forward", "prio": 0, "policy": "drop"}},
      {"chain": {"family": "ip", "table": "filter", "name": "DOCKER", "handle": 2}},
      {"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "handle": 3, "expr": [
        {"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "docker0"}},
        {"counter": {"packets": 0, "bytes": 0}}, {"jump": {"target": "DOCKER"}}]}},
      {"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "handle": 4, "expr": [
        {"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}},
        {"xt": {"type": "match", "name": "conntrack"}}, {"accept": null}]}},
      {"rule": {"family": "ip", "table": "filter", "chain": "DOCKER", "handle": 5, "expr": [
        {"match": {"op": "!=", "left": {"meta": {"key": "iifname"}}, "right": "docker0"}},
        {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": "172.17.0.2"}},
        {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}},
          "right": {"prefix": {"addr": "10.0.0.0", "len": 8}}}},
        {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 8000}},
        {"counter": {"packets": 0, "bytes": 0}}, {"accept": null}]}},
      {"table": {"family": "ip", "name": "nat", "handle": 2}},
      {"chain": {"family": "ip", "table": "nat", "name": "POSTROUTING", "handle": 1, "type": "nat",
        "hook": "postrouting", "prio": 100, "policy": "accept"}},
      {"rule": {"family": "ip", "table": "nat", "chain": "POSTROUTING", "handle": 2, "expr": [
        {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}},
          "right": {"prefix": {"addr": "172.17.0.0", "len": 16}}}},
        {"match": {"op": "!=", "left": {"meta": {"key": "oifname"}}, "right": "docker0"}},
        {"counter": {"packets": 0, "bytes": 0}}, {"masquerade": null}]}}]}
      """;

  private static NetfilterParseException syntaxError(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "offset ?" : "line " + at.getLineNr() + " column " + at.getColumnNr();
    return new NetfilterParseException(SOURCE, where, e.getOriginalMessage(), e);
  }

  /** One element of the {@code nftables} array: a table, chain or rule goes into {@code tables}. */
  private static void item(Map<String, TableBuilder> tables, JsonNode item, String at) {
    if (!item.isObject() || item.size() != 1) {
      throw new NetfilterParseException(SOURCE, at, "expected an object with one key");
    }
    String kind = item.fieldNames().next();
    JsonNode body = item.get(kind);
    switch (kind) {
      case "table" -> {
        Family family = family(body, at + ".table");
        String name = text(body, "name", at + ".table");
        tables.putIfAbsent(key(family, name), new TableBuilder(family, name));
      }
      case "chain" -> {
        String where = at + ".chain";
        TableBuilder t = table(tables, body, where);
        t.chains.put(text(body, "name", where), chain(t, body, where));
      }
      case "rule" -> {
        String where = at + ".rule";
        TableBuilder t = table(tables, body, where);
        String chainName = text(body, "chain", where);
        ChainBuilder c = t.chains.get(chainName);
        if (c == null) {
          throw new NetfilterParseException(SOURCE, where, "rule for unknown chain " + chainName);
        }
        c.rules.add(rule(t, chainName, body, where));
      }
      default -> {
        // metainfo, set, map, element, flowtable, counter, ...: not needed to evaluate verdicts.
      }
    }
  }

  private static String key(Family family, String name) {
    return family.word() + " " + name;
  }

  private static TableBuilder table(Map<String, TableBuilder> tables, JsonNode body, String at) {
    Family family = family(body, at);
    String name = text(body, "table", at);
    TableBuilder t = tables.get(key(family, name));
    if (t == null) {
      throw new NetfilterParseException(SOURCE, at, "unknown table " + key(family, name));
    }
    return t;
  }

  private static ChainBuilder chain(TableBuilder t, JsonNode body, String at) {
    String name = text(body, "name", at);
    if (!body.has("hook")) {
      return new ChainBuilder(name, "", null, 0, null);
    }
    Hook hook = Hook.of(text(body, "hook", at));
    if (hook == null) {
      throw new NetfilterParseException(SOURCE, at, "unknown hook " + body.get("hook"));
    }
    JsonNode prio = body.get("prio");
    if (prio == null || !prio.canConvertToInt()) {
      throw new NetfilterParseException(SOURCE, at, "base chain without an integer prio");
    }
    String policyWord = body.has("policy") ? text(body, "policy", at) : "accept";
    PacketVerdict policy = switch (policyWord) {
      case "accept" -> PacketVerdict.ACCEPT;
      case "drop" -> PacketVerdict.DROP;
      default -> throw new NetfilterParseException(SOURCE, at, "unknown policy " + policyWord);
    };
    String type = body.has("type") ? text(body, "type", at) : "filter";
    if (t.family.seesIpv4() && IPTABLES_BUILTINS.contains(name)) {
      t.iptablesBuiltins = true;
    }
    return new ChainBuilder(name, type, hook, prio.intValue(), policy);
  }

  private static Rule rule(TableBuilder t, String chain, JsonNode body, String at) {
    JsonNode handle = body.get("handle");
    if (handle == null || !handle.canConvertToLong()) {
      throw new NetfilterParseException(SOURCE, at, "rule without an integer handle");
    }
    JsonNode exprs = body.get("expr");
    if (exprs == null || !exprs.isArray()) {
      throw new NetfilterParseException(SOURCE, at, "rule without an \"expr\" array");
    }
    List<Expression> list = new ArrayList<>();
    for (int j = 0; j < exprs.size(); j++) {
      Expression e = expression(exprs.get(j), at + ".expr[" + j + "]");
      if (e instanceof Expression.Xt) {
        t.hasXt = true;
      }
      list.add(e);
    }
    String comment = body.has("comment") ? body.get("comment").asText("") : "";
    String text = Expression.renderAll(list.stream().filter(e -> !(e instanceof Expression.Passive p)
        || !p.text().startsWith("counter")).toList());
    if (!comment.isEmpty()) {
      text = text + " comment \"" + comment + "\"";
    }
    return new Rule(t.family, t.name, chain, handle.longValue(), list, comment, text, "");
  }

  private static Expression expression(JsonNode node, String at) {
    if (node == null || !node.isObject() || node.size() != 1) {
      throw new NetfilterParseException(SOURCE, at, "expected an object with one key");
    }
    String kind = node.fieldNames().next();
    JsonNode body = node.get(kind);
    return switch (kind) {
      case "match" -> match(body, at);
      case "accept", "drop", "return", "continue" ->
          new Expression.Verdict(Expression.VerdictKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), "");
      case "reject" -> new Expression.Verdict(Expression.VerdictKind.REJECT, "");
      case "queue" -> new Expression.Verdict(Expression.VerdictKind.QUEUE, "");
      case "jump", "goto" -> new Expression.Verdict(
          kind.equals("jump") ? Expression.VerdictKind.JUMP : Expression.VerdictKind.GOTO,
          text(body, "target", at + "." + kind));
      case "masquerade" -> new Expression.Nat(Expression.NatKind.MASQUERADE, "", natPort(body));
      case "redirect" -> new Expression.Nat(Expression.NatKind.REDIRECT, "", natPort(body));
      case "snat", "dnat" -> new Expression.Nat(
          kind.equals("snat") ? Expression.NatKind.SNAT : Expression.NatKind.DNAT, natAddress(body), natPort(body));
      case "xt" -> xt(body, at);
      case "counter" -> new Expression.Passive("counter");
      default -> PASSIVE.contains(kind) ? new Expression.Passive(kind) : new Expression.Unsupported(node.toString());
    };
  }

  private static Expression xt(JsonNode body, String at) {
    String type = text(body, "type", at + ".xt");
    String name = text(body, "name", at + ".xt");
    // Targets whose meaning needs no options are modelled; others stay opaque until iptables-nft-save fills them.
    if (type.equals("target")) {
      switch (name) {
        case "MASQUERADE":
          return new Expression.Nat(Expression.NatKind.MASQUERADE, "", "");
        case "REJECT":
          return new Expression.Verdict(Expression.VerdictKind.REJECT, "");
        default:
          if (IptablesSaveParser.PASSIVE_TARGETS.contains(name)) {
            return new Expression.Passive(name.toLowerCase(java.util.Locale.ROOT));
          }
      }
    } else if (type.equals("match") && name.equals("comment")) {
      return new Expression.Passive("comment");
    }
    return new Expression.Xt(type, name);
  }

  private static Expression match(JsonNode body, String at) {
    if (body == null || !body.isObject()) {
      throw new NetfilterParseException(SOURCE, at, "match without a body");
    }
    JsonNode op = body.get("op");
    JsonNode left = body.get("left");
    JsonNode right = body.get("right");
    if (op == null || left == null || right == null) {
      throw new NetfilterParseException(SOURCE, at, "match needs op, left and right");
    }
    String field = field(left);
    List<String> values = new ArrayList<>();
    boolean understood = field != null && values(right, values);
    boolean negated = op.asText().equals("!=");
    if (!understood || !(negated || op.asText().equals("==") || op.asText().equals("in"))) {
      return new Expression.Unsupported("match " + body);
    }
    return new Expression.Match(field, negated, values);
  }

  /** The nft name of a match's left side, or null when this model does not evaluate it. */
  private static String field(JsonNode left) {
    if (!left.isObject() || left.size() != 1) {
      return null;
    }
    String kind = left.fieldNames().next();
    JsonNode b = left.get(kind);
    switch (kind) {
      case "meta":
        return b.has("key") ? "meta " + b.get("key").asText() : null;
      case "payload":
        return b.has("protocol") && b.has("field")
            ? b.get("protocol").asText() + " " + b.get("field").asText() : null;
      case "ct":
        return b.has("key") && !b.has("dir") ? "ct " + b.get("key").asText() : null;
      case "fib":
        JsonNode flags = b.get("flags");
        if (b.has("result") && flags != null) {
          List<String> f = new ArrayList<>();
          flags.forEach(x -> f.add(x.asText()));
          if (flags.isTextual()) {
            f.add(flags.asText());
          }
          return "fib " + String.join(" . ", f) + " " + b.get("result").asText();
        }
        return null;
      default:
        return null;
    }
  }

  /** Collects the right side's values; false when they include something not modelled (a named set). */
  private static boolean values(JsonNode right, List<String> out) {
    if (right.isTextual()) {
      if (right.asText().startsWith("@")) {
        return false;
      }
      out.add(right.asText());
      return true;
    }
    if (right.isIntegralNumber()) {
      out.add(right.asText());
      return true;
    }
    if (right.isArray()) {
      for (JsonNode v : right) {
        if (!values(v, out)) {
          return false;
        }
      }
      return true;
    }
    if (right.isObject() && right.size() == 1) {
      String kind = right.fieldNames().next();
      JsonNode b = right.get(kind);
      switch (kind) {
        case "set":
          return values(b, out);
        case "prefix":
          if (b.has("addr") && b.has("len")) {
            out.add(b.get("addr").asText() + "/" + b.get("len").asText());
            return true;
          }
          return false;
        case "range":
          if (b.isArray() && b.size() == 2 && b.get(0).isValueNode() && b.get(1).isValueNode()) {
            out.add(b.get(0).asText() + "-" + b.get(1).asText());
            return true;
          }
          return false;
        default:
          return false;
      }
    }
    return false;
  }

  private static String natAddress(JsonNode body) {
    return body != null && body.has("addr") && body.get("addr").isValueNode() ? body.get("addr").asText() : "";
  }

  private static String natPort(JsonNode body) {
    if (body == null || !body.has("port")) {
      return "";
    }
    JsonNode p = body.get("port");
    return p.isValueNode() ? p.asText() : p.toString();
  }

  private static Family family(JsonNode body, String at) {
    String word = text(body, "family", at);
    Family f = Family.of(word);
    if (f == null) {
      throw new NetfilterParseException(SOURCE, at, "unknown family " + word);
    }
    return f;
  }

  private static String text(JsonNode body, String field, String at) {
    JsonNode v = body == null ? null : body.get(field);
    if (v == null || !v.isValueNode() || v.isNull()) {
      throw new NetfilterParseException(SOURCE, at, "missing \"" + field + "\"");
    }
    return v.asText();
  }

  /** A table while its chains and rules arrive. */
  private static final class TableBuilder {
    final Family family;
    final String name;
    final Map<String, ChainBuilder> chains = new LinkedHashMap<>();
    boolean iptablesBuiltins;
    boolean hasXt;

    TableBuilder(Family family, String name) {
      this.family = family;
      this.name = name;
    }

    Table build() {
      boolean iptablesNft = (family == Family.IP || family == Family.IP6)
          && IPTABLES_TABLES.contains(name) && (iptablesBuiltins || hasXt);
      List<Chain> built = new ArrayList<>();
      for (ChainBuilder c : chains.values()) {
        built.add(new Chain(family, name, c.name, c.type, c.hook, c.priority, c.policy, c.rules));
      }
      return new Table(family, name, iptablesNft ? Backend.IPTABLES_NFT : Backend.NFTABLES, built);
    }
  }

  /** A chain while its rules arrive. */
  private record ChainBuilder(String name, String type, Hook hook, int priority, PacketVerdict policy,
      List<Rule> rules) {
    ChainBuilder(String name, String type, Hook hook, int priority, PacketVerdict policy) {
      this(name, type, hook, priority, policy, new ArrayList<>());
    }
  }
}
