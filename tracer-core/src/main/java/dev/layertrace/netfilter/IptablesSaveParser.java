package dev.layertrace.netfilter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code iptables-save} text (either backend) into tables of family ip. Options this model does
 * not evaluate are kept raw as {@link Expression.Unsupported}, so their rules evaluate as "unknown".
 */
public final class IptablesSaveParser {
  /** Targets that do not end rule traversal. */
  static final Set<String> PASSIVE_TARGETS = Set.of("LOG", "NFLOG", "MARK", "CONNMARK", "TCPMSS", "CT",
      "NOTRACK", "CHECKSUM", "TRACE", "AUDIT", "CLASSIFY", "DSCP", "TOS", "TTL", "ULOG");
  private static final Set<String> BUILTINS = Set.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT",
      "POSTROUTING");

  private IptablesSaveParser() {}

  /** Parses {@code text} printed by the iptables-save of {@code backend}. */
  public static List<Table> parse(String text, Backend backend) {
    String source = backend.word() + "-save";
    List<Table> out = new ArrayList<>();
    String table = null;
    Map<String, Chain> chains = new LinkedHashMap<>();
    Map<String, List<Rule>> rules = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      String at = "line " + (n + 1);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("*")) {
        if (table != null) {
          throw new NetfilterParseException(source, at, "table " + line + " starts before COMMIT of *" + table);
        }
        table = line.substring(1);
        if (table.isEmpty()) {
          throw new NetfilterParseException(source, at, "table without a name");
        }
        chains = new LinkedHashMap<>();
        rules = new LinkedHashMap<>();
      } else if (table == null) {
        throw new NetfilterParseException(source, at, "'" + abbreviate(line) + "' outside a *table ... COMMIT block");
      } else if (line.equals("COMMIT")) {
        out.add(build(table, chains, rules, backend));
        table = null;
      } else if (line.startsWith(":")) {
        Chain c = chainDeclaration(table, line, source, at);
        chains.put(c.name(), c);
        rules.put(c.name(), new ArrayList<>());
      } else if (line.startsWith("-A ")) {
        List<String> tokens = tokenize(line, source, at);
        if (tokens.size() < 2) {
          throw new NetfilterParseException(source, at, "-A without a chain");
        }
        List<Rule> list = rules.get(tokens.get(1));
        if (list == null) {
          throw new NetfilterParseException(source, at, "rule for undeclared chain " + tokens.get(1));
        }
        list.add(rule(table, tokens, chains.keySet(), list.size() + 1, line, source, at));
      } else {
        throw new NetfilterParseException(source, at, "unexpected line '" + abbreviate(line) + "'");
      }
    }
    if (table != null) {
      throw new NetfilterParseException(source, "end of input", "table *" + table + " has no COMMIT (truncated?)");
    }
    return out;
  }

  private static Table build(String table, Map<String, Chain> chains, Map<String, List<Rule>> rules,
      Backend backend) {
    List<Chain> built = new ArrayList<>();
    for (Chain c : chains.values()) {
      built.add(new Chain(c.family(), c.table(), c.name(), c.type(), c.hook(), c.priority(), c.policy(),
          rules.get(c.name())));
    }
    return new Table(Family.IP, table, backend, built);
  }

  private static Chain chainDeclaration(String table, String line, String source, String at) {
    String[] parts = line.substring(1).split("\\s+");
    if (parts.length < 2 || parts[0].isEmpty()) {
      throw new NetfilterParseException(source, at, "chain declaration needs a name and a policy");
    }
    String name = parts[0];
    String policyWord = parts[1];
    if (policyWord.equals("-")) {
      return new Chain(Family.IP, table, name, "", null, 0, null, List.of());
    }
    PacketVerdict policy = switch (policyWord) {
      case "ACCEPT" -> PacketVerdict.ACCEPT;
      case "DROP" -> PacketVerdict.DROP;
      default -> throw new NetfilterParseException(source, at, "unknown policy " + policyWord);
    };
    Hook hook = BUILTINS.contains(name) ? Hook.of(name) : null;
    if (hook == null) {
      throw new NetfilterParseException(source, at, "policy on a chain that is not built in: " + name);
    }
    return new Chain(Family.IP, table, name, type(table, hook), hook, priority(table, hook), policy, List.of());
  }

  /** The nft chain type iptables registers its tables' hooks with. */
  private static String type(String table, Hook hook) {
    if (table.equals("nat")) {
      return "nat";
    }
    return table.equals("mangle") && hook == Hook.OUTPUT ? "route" : "filter";
  }

  /** The hook priorities of the x_tables tables (NF_IP_PRI_*). */
  static int priority(String table, Hook hook) {
    return switch (table) {
      case "raw" -> -300;
      case "mangle" -> -150;
      case "nat" -> hook == Hook.PREROUTING || hook == Hook.OUTPUT ? -100 : 100;
      case "security" -> 50;
      default -> 0;
    };
  }

  private static Rule rule(String table, List<String> tokens, java.util.Collection<String> userChains,
      long position, String line, String source, String at) {
    RuleBuilder b = new RuleBuilder(userChains, source, at);
    for (int i = 2; i < tokens.size(); ) {
      i = b.option(tokens, i);
    }
    String text = Expression.renderAll(b.expressions);
    if (!b.comment.isEmpty()) {
      text = text + " comment \"" + b.comment + "\"";
    }
    return new Rule(Family.IP, table, tokens.get(1), position, b.expressions, b.comment, text, line);
  }

  /** Reads one rule's options left to right. */
  private static final class RuleBuilder {
    final java.util.Collection<String> userChains;
    final String source;
    final String at;
    final List<Expression> expressions = new ArrayList<>();
    String comment = "";
    String protocol = "";
    String module = "";
    String target = "";
    boolean negate;

    RuleBuilder(java.util.Collection<String> userChains, String source, String at) {
      this.userChains = userChains;
      this.source = source;
      this.at = at;
    }

    /** Consumes the option at {@code i}; returns the index after it. */
    int option(List<String> t, int i) {
      String opt = t.get(i);
      if (opt.equals("!")) {
        negate = true;
        return i + 1;
      }
      boolean neg = negate;
      negate = false;
      switch (opt) {
        case "-s", "--source" -> add("ip saddr", neg, arg(t, i));
        case "-d", "--destination" -> add("ip daddr", neg, arg(t, i));
        case "-i", "--in-interface" -> add("meta iifname", neg, iface(arg(t, i)));
        case "-o", "--out-interface" -> add("meta oifname", neg, iface(arg(t, i)));
        case "-p", "--protocol" -> {
          protocol = arg(t, i).toLowerCase(Locale.ROOT);
          if (!protocol.equals("all") && !protocol.equals("0")) {
            add("meta l4proto", neg, protocol);
          }
        }
        case "-m", "--match" -> module = arg(t, i);
        case "--dport", "--destination-port", "--sport", "--source-port" -> {
          String l4 = protocol.equals("tcp") || protocol.equals("udp") ? protocol : "th";
          String dir = opt.contains("d") ? "dport" : "sport";
          add(l4 + " " + dir, neg, arg(t, i).replace(':', '-'));
        }
        case "--dports", "--sports", "--ports" -> {
          if (opt.equals("--ports")) {
            return unsupported(t, i, neg);
          }
          String l4 = protocol.equals("tcp") || protocol.equals("udp") ? protocol : "th";
          List<String> ports = List.of(arg(t, i).replace(':', '-').split(","));
          expressions.add(new Expression.Match(l4 + " " + (opt.equals("--dports") ? "dport" : "sport"), neg, ports));
        }
        case "--ctstate", "--state" -> expressions.add(new Expression.Match("ct state", neg,
            List.of(arg(t, i).toLowerCase(Locale.ROOT).split(","))));
        case "--dst-type", "--src-type" -> expressions.add(new Expression.Match(
            "fib " + (opt.equals("--dst-type") ? "daddr" : "saddr") + " type", neg,
            List.of(arg(t, i).toLowerCase(Locale.ROOT).split(","))));
        case "--comment" -> comment = arg(t, i);
        case "-j", "--jump" -> {
          target = arg(t, i);
          return target(t, i + 2);
        }
        case "-g", "--goto" -> expressions.add(new Expression.Verdict(Expression.VerdictKind.GOTO, arg(t, i)));
        default -> {
          return unsupported(t, i, neg);
        }
      }
      return i + 2;
    }

    /** Reads the target and its options, which run to the end of the line in iptables-save output. */
    private int target(List<String> t, int i) {
      Map<String, String> opts = new LinkedHashMap<>();
      int j = i;
      StringBuilder raw = new StringBuilder("-j " + target);
      while (j < t.size()) {
        String k = t.get(j);
        if (k.equals("-j") || k.equals("-g") || k.equals("-m")) {
          break;
        }
        raw.append(' ').append(k);
        String v = j + 1 < t.size() && !t.get(j + 1).startsWith("--") ? t.get(j + 1) : "";
        if (!v.isEmpty()) {
          raw.append(' ').append(v);
        }
        opts.put(k, v);
        j += v.isEmpty() ? 1 : 2;
      }
      switch (target) {
        case "ACCEPT", "DROP", "REJECT", "RETURN", "QUEUE" -> expressions.add(
            new Expression.Verdict(Expression.VerdictKind.valueOf(target), ""));
        case "NFQUEUE" -> expressions.add(new Expression.Verdict(Expression.VerdictKind.QUEUE, ""));
        case "MASQUERADE" -> expressions.add(new Expression.Nat(Expression.NatKind.MASQUERADE, "",
            opts.getOrDefault("--to-ports", "")));
        case "REDIRECT" -> expressions.add(new Expression.Nat(Expression.NatKind.REDIRECT, "",
            opts.getOrDefault("--to-ports", "")));
        case "SNAT", "DNAT" -> {
          String to = opts.getOrDefault(target.equals("SNAT") ? "--to-source" : "--to-destination", "");
          int colon = to.indexOf(':');
          expressions.add(new Expression.Nat(Expression.NatKind.valueOf(target),
              colon < 0 ? to : to.substring(0, colon), colon < 0 ? "" : to.substring(colon + 1)));
        }
        default -> {
          if (userChains.contains(target)) {
            expressions.add(new Expression.Verdict(Expression.VerdictKind.JUMP, target));
          } else if (PASSIVE_TARGETS.contains(target)) {
            expressions.add(new Expression.Passive(raw.toString()));
          } else {
            expressions.add(new Expression.Unsupported(raw.toString()));
          }
        }
      }
      return j;
    }

    /** Keeps an option this model does not evaluate, with its arguments, as an unknown match. */
    private int unsupported(List<String> t, int i, boolean neg) {
      StringBuilder raw = new StringBuilder();
      if (neg) {
        raw.append("! ");
      }
      if (!module.isEmpty()) {
        raw.append("-m ").append(module).append(' ');
      }
      raw.append(t.get(i));
      int j = i + 1;
      while (j < t.size() && !t.get(j).startsWith("-") && !t.get(j).equals("!")) {
        raw.append(' ').append(t.get(j));
        j++;
      }
      expressions.add(new Expression.Unsupported(raw.toString()));
      return j;
    }

    private void add(String field, boolean neg, String value) {
      expressions.add(new Expression.Match(field, neg, List.of(value)));
    }

    private String arg(List<String> t, int i) {
      if (i + 1 >= t.size()) {
        throw new NetfilterParseException(source, at, "option " + t.get(i) + " without a value");
      }
      return t.get(i + 1);
    }
  }

  /** iptables' interface wildcard {@code veth+} is nft's {@code veth*}. */
  private static String iface(String name) {
    return name.endsWith("+") ? name.substring(0, name.length() - 1) + "*" : name;
  }

  /** Splits a rule line on blanks, honouring the double quotes iptables-save puts around comments. */
  static List<String> tokenize(String line, String source, String at) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inQuote = false;
    boolean has = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
        has = true;
      } else if (c == '"') {
        inQuote = !inQuote;
        has = true;
      } else if (Character.isWhitespace(c) && !inQuote) {
        if (has) {
          out.add(cur.toString());
          cur.setLength(0);
          has = false;
        }
      } else {
        cur.append(c);
        has = true;
      }
    }
    if (inQuote) {
      throw new NetfilterParseException(source, at, "unterminated quote");
    }
    if (has) {
      out.add(cur.toString());
    }
    return out;
  }

  private static String abbreviate(String line) {
    return line.length() > 60 ? line.substring(0, 60) + "..." : line;
  }
}
