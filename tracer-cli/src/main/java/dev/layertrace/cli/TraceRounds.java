package dev.layertrace.cli;

import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Observation;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Probe;
import dev.layertrace.model.Verdict;
import dev.layertrace.probe.ProbeId;
import dev.layertrace.probe.TraceListener;
import dev.layertrace.probe.TraceSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code trace --repeat N}: N traces one after another, each with its own probe ids and verdict, in
 * one session (observers, raw socket, tracefs instance) opened with the ids of every round: they are
 * consecutive, so the observers' kernel filter matches them as one range. The evidence that asks a
 * tool per namespace (conntrack, forward chains) is gathered for a batch of rounds at once, at the end
 * or before the oldest round of the batch is {@link #EVIDENCE_BATCH_NS} old (its conntrack entry
 * would expire after 30 s). The result holds every round; a note gives the rate.
 */
final class TraceRounds {
  /** Gather the batched evidence before the oldest pending round is this old. */
  static final long EVIDENCE_BATCH_NS = 10_000_000_000L;

  private TraceRounds() {}

  /**
   * Runs the rounds in {@code session}, open with all of {@code ids} ({@code rounds} rounds of equal
   * size, in order).
   */
  static TraceSession.Result run(TraceSession session, List<ProbeId> ids, int rounds, TraceListener listener,
      long setupNs) {
    return run(session, ids, rounds, listener, setupNs, EVIDENCE_BATCH_NS);
  }

  /** As above, gathering the batched evidence whenever the batch's oldest round is {@code batchNs} old. */
  static TraceSession.Result run(TraceSession session, List<ProbeId> ids, int rounds, TraceListener listener,
      long setupNs, long batchNs) {
    int perRound = ids.size() / rounds;
    List<Probe> probes = new ArrayList<>();
    List<Observation> observations = new ArrayList<>();
    List<KernelEvent> events = new ArrayList<>();
    List<Verdict> verdicts = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    long probePhase = 0;
    long verdictAfter = 0;
    long t0 = System.nanoTime();
    int batchStart = 0;
    long batchStartNs = t0;
    for (int r = 0; r < rounds; r++) {
      int from = r * perRound;
      if (System.nanoTime() - batchStartNs > batchNs) {
        addEvidence(session, verdicts, probes, batchStart);
        batchStart = verdicts.size();
        batchStartNs = System.nanoTime();
      }
      TraceSession.Result one = session.runRound(ids.subList(from, from + perRound), listener);
      probes.addAll(one.probes());
      observations.addAll(one.observations());
      events.addAll(one.kernelEvents());
      verdicts.addAll(one.verdicts());
      one.notes().stream().filter(n -> !notes.contains(n)).forEach(notes::add);
      probePhase += one.probePhaseNs();
      verdictAfter = Math.max(verdictAfter, one.verdictAfterInjectionNs());
    }
    addEvidence(session, verdicts, probes, batchStart);
    long took = System.nanoTime() - t0;
    Map<String, Integer> outcomes = new TreeMap<>();
    for (Verdict v : verdicts) {
      String key = v.outcome() == Outcome.REACHED ? "reached"
          : v.outcome().word() + " at " + (v.layer() == null ? "-" : v.layer().label()) + " (" + v.cause() + ")";
      outcomes.merge(key, 1, Integer::sum);
    }
    notes.add(String.format(java.util.Locale.ROOT, "repeat: %d traces in %.0f ms, %.1f traces/s (one session);"
        + " outcomes %s", rounds, took / 1e6, rounds / (took / 1e9), outcomes));
    return new TraceSession.Result(probes, observations, events, verdicts, notes, setupNs, probePhase, verdictAfter);
  }

  /** Replaces the verdicts from {@code from} on by the same with the batched evidence. */
  private static void addEvidence(TraceSession session, List<Verdict> verdicts, List<Probe> probes, int from) {
    if (from == verdicts.size()) {
      return;
    }
    List<Verdict> done = session.roundsEvidence(new ArrayList<>(verdicts.subList(from, verdicts.size())),
        probes.subList(from, probes.size()));
    for (int i = 0; i < done.size(); i++) {
      verdicts.set(from + i, done.get(i));
    }
  }
}
