package dev.layertrace.probe;

import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Verdict;
import dev.layertrace.sys.NftRuleTrace;
import dev.layertrace.verdict.RuleDecision;
import dev.layertrace.verdict.RuleTraceEvidence;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --rule-trace} around one trace: before the probes, a temporary nft table and a trace monitor
 * in every namespace where the path has a filter layer; after them, the rules and policies that
 * decided, added to the verdicts. When off it adds nothing to any namespace. {@link #close} may run
 * from a shutdown hook.
 */
public final class RuleTracing implements AutoCloseable {
  /** After the probe phase: wait until the monitors were this quiet, but no longer than {@link #MAX_MS}. */
  private static final long QUIET_MS = 15;
  private static final long MAX_MS = 200;

  private final NftRuleTrace trace;
  private final List<String> notes = new ArrayList<>();
  private final List<RuleDecision> decisions = new ArrayList<>();

  private RuleTracing(NftRuleTrace trace) {
    this.trace = trace;
  }

  /** Holds nothing yet; {@code on == false} makes every method a no-op. */
  public static RuleTracing create(boolean on) {
    return new RuleTracing(on ? NftRuleTrace.create() : null);
  }

  /** The namespaces of the path's filter layers, in path order. */
  public static List<String> namespaces(PathGraph graph) {
    Set<String> out = new LinkedHashSet<>();
    for (Layer l : graph.toPath().hops()) {
      if (l.kind() == LayerKind.FILTER && l.netns() != null) {
        out.add(l.netns());
      }
    }
    return List.copyOf(out);
  }

  /** Adds the tables and starts the monitors for the probes {@code ids}. */
  public void start(PathGraph graph, ProbeSpec spec, List<ProbeId> ids) {
    start(graph, spec, ids, Set.of());
  }

  /**
   * As {@link #start(PathGraph, ProbeSpec, List)}, leaving out the namespaces in {@code remote}: the
   * other kernel's half of a merged path, whose agent is read-only and adds no table.
   */
  public void start(PathGraph graph, ProbeSpec spec, List<ProbeId> ids, Set<String> remote) {
    if (trace == null) {
      return;
    }
    List<String> ns = new ArrayList<>(namespaces(graph));
    List<String> skipped = ns.stream().filter(remote::contains).toList();
    ns.removeAll(skipped);
    if (!skipped.isEmpty()) {
      notes.add("rule-trace: not in the agent's half (" + String.join(", ", skipped) + "): the agent is read-only");
    }
    if (ns.isEmpty()) {
      notes.add("rule-trace: the path has no filter layer to trace");
      return;
    }
    trace.start(ns, RuleTraceTable.script(trace.table(), spec, ids));
  }

  /** Stops tracing, removes the tables, and returns {@code verdicts} with the deciding rules cited. */
  public List<Verdict> apply(List<Verdict> verdicts) {
    if (trace == null) {
      return verdicts;
    }
    decisions.addAll(trace.stopAndRead(QUIET_MS, MAX_MS));
    List<String> blind = trace.blind();
    notes.addAll(blind);
    for (RuleDecision d : decisions) {
      notes.add(d.cite());
    }
    return RuleTraceEvidence.apply(verdicts, decisions, blind);
  }

  /** What the rule trace saw or could not see, as capture notes. */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  /** The monitors' raw output per namespace (what the fixtures of the parser tests are recorded from). */
  public java.util.Map<String, List<String>> rawLines() {
    return trace == null ? java.util.Map.of() : trace.rawLines();
  }

  /** The decisions read by {@link #apply}. */
  public List<RuleDecision> decisions() {
    return List.copyOf(decisions);
  }

  @Override
  public void close() {
    if (trace != null) {
      trace.close();
    }
  }
}
