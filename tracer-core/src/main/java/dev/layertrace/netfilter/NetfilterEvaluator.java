package dev.layertrace.netfilter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates a flow against a namespace's netfilter model, hook by hook, the way the kernel runs the
 * base chains: at each hook every IPv4 base chain (families ip and inet, both backends) in priority
 * order; accept ends only that base chain, drop or reject anywhere is final; jump, goto and return are
 * followed; a NAT chain sees only a connection's first packet and the first translation at a hook wins.
 */
public final class NetfilterEvaluator {
  /** Jumps followed before a chain loop is assumed (the kernel refuses loops when rules are loaded). */
  private static final int MAX_STEPS = 100_000;

  private NetfilterEvaluator() {}

  /**
   * Evaluates {@code flow}.
   *
   * @param interfaceAddresses the namespace's IPv4 addresses per interface, primary first (masquerade
   *     takes the out-interface's first address; {@code fib daddr type local} / {@code -m addrtype}
   *     look here); may be empty, which leaves those unknown
   */
  public static Evaluation evaluate(NetfilterModel model, Flow flow, Map<String, List<String>> interfaceAddresses) {
    List<String> notes = new ArrayList<>(model.notes());
    model.tablesInUse().stream()
        .filter(t -> t.family() == Family.BRIDGE || t.family() == Family.NETDEV)
        .forEach(t -> notes.add(t.label() + " has rules but is not evaluated (only the ip and inet hooks are)"));
    List<HookResult> hooks = new ArrayList<>();
    List<NatRewrite> rewrites = new ArrayList<>();
    PacketVerdict verdict = PacketVerdict.ACCEPT;
    Flow current = flow;
    for (Hook hook : flow.path().hooks()) {
      HookRun run = new HookRun(model, current, interfaceAddresses, notes);
      HookResult result = run.evaluate(hook);
      hooks.add(result);
      Optional<NatRewrite> rw = result.rewrite();
      if (rw.isPresent()) {
        rewrites.add(rw.get());
        current = current.translated(rw.get());
      }
      if (result.verdict().stops()) {
        verdict = result.verdict();
        break;
      }
    }
    return new Evaluation(flow, hooks, verdict, rewrites, splitBrain(model, flow, hooks), notes);
  }

  private static SplitBrain splitBrain(NetfilterModel model, Flow flow, List<HookResult> hooks) {
    Map<Hook, List<ChainRef>> competing = new LinkedHashMap<>();
    Map<Hook, List<String>> deciding = new LinkedHashMap<>();
    for (Hook hook : flow.path().hooks()) {
      List<ChainRef> effective = model.baseChainsAt(hook).stream()
          .filter(ref -> model.table(ref).chain(ref.chain()).map(Chain::hasEffect).orElse(false)).toList();
      Set<String> tables = new LinkedHashSet<>();
      effective.forEach(ref -> tables.add(ref.backend() + " " + ref.family() + " " + ref.table()));
      if (tables.size() < 2) {
        continue;
      }
      competing.put(hook, effective);
      hooks.stream().filter(h -> h.hook() == hook).findFirst().ifPresent(h -> {
        ChainResult decider = h.decidedBy().orElse(null);
        List<String> lines = new ArrayList<>();
        for (ChainResult c : h.chains()) {
          lines.add((c == decider ? "decides: " : "") + c.describe());
        }
        h.notReached().forEach(ref -> lines.add(ref + ": not reached"));
        deciding.put(hook, lines);
      });
    }
    Set<Backend> backends = model.backendsInUse();
    return new SplitBrain(backends.isEmpty() ? EnumSet.noneOf(Backend.class) : EnumSet.copyOf(backends),
        model.tablesInUse().stream().map(Table::label).toList(), model.bothBackendsInUse(), competing, deciding);
  }

  /** One hook's evaluation. */
  private static final class HookRun {
    final NetfilterModel model;
    final Flow flow;
    final Map<String, List<String>> addresses;
    final List<String> notes;
    final MatchEvaluator matcher;

    HookRun(NetfilterModel model, Flow flow, Map<String, List<String>> addresses, List<String> notes) {
      this.model = model;
      this.flow = flow;
      this.addresses = addresses;
      this.notes = notes;
      this.matcher = new MatchEvaluator(flow, addresses);
    }

    HookResult evaluate(Hook hook) {
      List<ChainRef> refs = model.baseChainsAt(hook);
      List<ChainResult> results = new ArrayList<>();
      boolean translated = false;
      for (int i = 0; i < refs.size(); i++) {
        ChainRef ref = refs.get(i);
        boolean nat = ref.type().equals("nat");
        if (nat && flow.state() != CtState.NEW) {
          results.add(new ChainResult(ref, PacketVerdict.ACCEPT, null, List.of(), List.of(), null,
              "skipped: NAT chains see only a connection's first packet"));
          continue;
        }
        if (nat && translated) {
          results.add(new ChainResult(ref, PacketVerdict.ACCEPT, null, List.of(), List.of(), null,
              "skipped: already translated at this hook"));
          continue;
        }
        Table table = model.table(ref);
        ChainResult r = run(table, table.chain(ref.chain()).orElseThrow(), ref);
        results.add(r);
        translated |= r.rewrite() != null;
        if (r.verdict().stops()) {
          return new HookResult(hook, r.verdict(), results, refs.subList(i + 1, refs.size()));
        }
      }
      return new HookResult(hook, PacketVerdict.ACCEPT, results, List.of());
    }

    /** Runs a base chain with its jumps; the frame stack holds the return points of jumps. */
    ChainResult run(Table table, Chain base, ChainRef ref) {
      record Frame(Chain chain, int next) {}
      Deque<Frame> stack = new ArrayDeque<>();
      List<Rule> jumps = new ArrayList<>();
      List<Rule> unknown = new ArrayList<>();
      Chain chain = base;
      int index = 0;
      for (int steps = 0; steps < MAX_STEPS; steps++) {
        if (index >= chain.rules().size()) {
          if (chain == base || stack.isEmpty()) {
            return policy(base, ref, jumps, unknown);
          }
          Frame f = stack.pop();
          chain = f.chain();
          index = f.next();
          continue;
        }
        Rule rule = chain.rules().get(index);
        Outcome o = ruleOutcome(rule);
        if (o == Outcome.UNKNOWN) {
          unknown.add(rule);
        }
        if (o != Outcome.MATCH) {
          index++;
          continue;
        }
        Expression action = action(rule);
        if (action instanceof Expression.Nat n) {
          if (!base.type().equals("nat")) {
            unknown.add(rule);
            index++;
            continue;
          }
          return new ChainResult(ref, PacketVerdict.ACCEPT, rule, jumps, unknown, rewrite(n, rule, ref), "");
        }
        if (!(action instanceof Expression.Verdict v)) {
          index++; // only passive statements: the rule counts or logs, traversal goes on
          continue;
        }
        switch (v.kind()) {
          case ACCEPT:
            return new ChainResult(ref, PacketVerdict.ACCEPT, rule, jumps, unknown, null, "");
          case DROP:
            return new ChainResult(ref, PacketVerdict.DROP, rule, jumps, unknown, null, "");
          case REJECT:
            return new ChainResult(ref, PacketVerdict.REJECT, rule, jumps, unknown, null, "");
          case RETURN:
            if (chain == base || stack.isEmpty()) {
              return policy(base, ref, jumps, unknown);
            }
            Frame f = stack.pop();
            chain = f.chain();
            index = f.next();
            continue;
          case JUMP:
          case GOTO:
            Optional<Chain> target = table.chain(v.target());
            if (target.isEmpty()) {
              notes.add(table.label() + " chain " + chain.name() + " jumps to missing chain " + v.target());
              unknown.add(rule);
              index++;
              continue;
            }
            if (v.kind() == Expression.VerdictKind.JUMP) {
              stack.push(new Frame(chain, index + 1));
            }
            jumps.add(rule);
            chain = target.get();
            index = 0;
            continue;
          case QUEUE:
            unknown.add(rule); // userspace decides: not knowable statically
            index++;
            continue;
          default:
            index++; // continue
        }
      }
      notes.add(table.label() + " chain " + base.name() + ": gave up after " + MAX_STEPS + " steps (a loop?)");
      return new ChainResult(ref, PacketVerdict.ACCEPT, null, jumps, unknown, null, "gave up: too many jumps");
    }

    private static ChainResult policy(Chain base, ChainRef ref, List<Rule> jumps, List<Rule> unknown) {
      return new ChainResult(ref, base.policy(), null, jumps, unknown, null, "");
    }

    private enum Outcome { MATCH, NO_MATCH, UNKNOWN }

    /** Whether the rule's matches hold: no when any is false, unknown when any cannot be evaluated. */
    private Outcome ruleOutcome(Rule rule) {
      boolean unknown = false;
      for (Expression e : rule.expressions()) {
        if (e instanceof Expression.Match m) {
          MatchEvaluator.Tri t = matcher.evaluate(m);
          if (t == MatchEvaluator.Tri.NO) {
            return Outcome.NO_MATCH;
          }
          unknown |= t == MatchEvaluator.Tri.UNKNOWN;
        } else if (e instanceof Expression.Xt || e instanceof Expression.Unsupported) {
          unknown = true;
        }
      }
      return unknown ? Outcome.UNKNOWN : Outcome.MATCH;
    }

    /** The first verdict or NAT statement of a rule, or null when it has only passive statements. */
    private static Expression action(Rule rule) {
      for (Expression e : rule.expressions()) {
        if (e instanceof Expression.Verdict || e instanceof Expression.Nat) {
          return e;
        }
      }
      return null;
    }

    private NatRewrite rewrite(Expression.Nat n, Rule rule, ChainRef ref) {
      String from = n.kind().source() ? flow.source() : flow.destination();
      String to = switch (n.kind()) {
        case SNAT, DNAT -> n.address();
        case MASQUERADE -> primaryAddress(flow.outInterface());
        case REDIRECT -> primaryAddress(flow.inInterface());
      };
      return new NatRewrite(n.kind(), from, to, n.port(), ref, rule);
    }

    private String primaryAddress(String iface) {
      List<String> list = addresses.get(iface);
      if (list == null || list.isEmpty()) {
        notes.add("address of " + (iface.isEmpty() ? "the local interface" : iface)
            + " unknown: the translated address cannot be named");
        return "";
      }
      return list.get(0);
    }
  }
}
