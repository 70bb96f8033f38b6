package dev.layertrace.netfilter;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One element of a rule, in the vocabulary of nftables whichever tool wrote it: a match on a packet
 * field, a verdict, a NAT statement, a passive statement (counter, log) or something this model does
 * not understand (kept raw, so the evaluator reports the rule as "unknown" instead of guessing).
 */
public sealed interface Expression {

  /** The element in {@code nft list} syntax. */
  String render();

  /**
   * A match of {@code field} against any of {@code values} ({@code negated}: none of them). Fields use
   * nft names: {@code meta iifname}, {@code meta oifname}, {@code ip saddr}, {@code ip daddr},
   * {@code meta l4proto}, {@code tcp dport}, {@code udp sport}, {@code th dport}, {@code ct state},
   * {@code fib daddr type}. A value is a literal ({@code docker0}, {@code 80}, {@code established}),
   * a prefix ({@code 172.17.0.0/16}), a range ({@code 1000-2000}) or an interface wildcard
   * ({@code veth*}).
   */
  record Match(String field, boolean negated, List<String> values) implements Expression {
    public Match {
      values = List.copyOf(values);
    }

    @Override
    public String render() {
      String left = field.startsWith("meta iifname") || field.startsWith("meta oifname")
          ? field.substring(5) : field;
      boolean quote = left.equals("iifname") || left.equals("oifname");
      List<String> shown = values.stream().map(v -> quote ? "\"" + v + "\"" : v).toList();
      String right = field.equals("ct state") ? String.join(",", shown)
          : shown.size() == 1 ? shown.get(0) : "{ " + String.join(", ", shown) + " }";
      return left + (negated ? " != " : " ") + right;
    }
  }

  /** The kinds of {@link Verdict}. */
  enum VerdictKind {
    ACCEPT, DROP, REJECT, RETURN, JUMP, GOTO, CONTINUE, QUEUE;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A verdict statement; {@code target} is the chain for jump/goto, else empty. */
  record Verdict(VerdictKind kind, String target) implements Expression {
    @Override
    public String render() {
      return target.isEmpty() ? kind.word() : kind.word() + " " + target;
    }
  }

  /** The kinds of {@link Nat}. */
  enum NatKind {
    MASQUERADE, SNAT, DNAT, REDIRECT;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** True when the source address is rewritten. */
    public boolean source() {
      return this == MASQUERADE || this == SNAT;
    }
  }

  /**
   * A NAT statement; {@code address} and {@code port} are empty when not given (masquerade takes the
   * out-interface's address, redirect the in-interface's). Terminal: it ends its chain like accept.
   */
  record Nat(NatKind kind, String address, String port) implements Expression {
    @Override
    public String render() {
      String to = address + (port.isEmpty() ? "" : ":" + port);
      return kind.word() + (to.isEmpty() ? "" : " to " + to);
    }
  }

  /** A statement that does not change the packet's fate: counter, log, mark set, ... */
  record Passive(String text) implements Expression {
    @Override
    public String render() {
      return text;
    }
  }

  /**
   * An iptables extension inside an nf_tables rule ({@code xt match conntrack}, {@code xt target DNAT}):
   * {@code nft -j} does not show its options.
   */
  record Xt(String type, String name) implements Expression {
    @Override
    public String render() {
      return "xt " + type + " " + name;
    }
  }

  /** Anything else, kept as the tool printed it. */
  record Unsupported(String raw) implements Expression {
    @Override
    public String render() {
      return raw;
    }
  }

  /** Renders a list of expressions as one rule line. */
  static String renderAll(List<Expression> expressions) {
    return expressions.stream().map(Expression::render).collect(Collectors.joining(" "));
  }
}
