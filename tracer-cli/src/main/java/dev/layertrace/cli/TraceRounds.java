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
 * {@code trace --repeat N}: N traces one after another, each with its own probe ids and verdict. A
 * session (observers, raw socket, tracefs instance) serves as many rounds as its kernel filter has
 * room for ids (16), so opening and removing the tracefs instance — the expensive part of a trace —
 * is paid once per 16 rounds of one probe. The result holds every round; a note gives the rate.
 */
final class TraceRounds {
  /** The most probe ids one observer filter matches (see ProbeFilter). */
  static final int MAX_IDS_PER_SESSION = 16;

  private TraceRounds() {}

  /** The ids the first session opens with: whole rounds of {@code perRound} probes, at most 16. */
  static int idsPerSession(int perRound) {
    return (MAX_IDS_PER_SESSION / perRound) * perRound;
  }

  /**
   * Runs the rounds: {@code first} is open with the first {@link #idsPerSession} ids; later sessions
   * are made from {@code request} as the rounds need them, each closed before the next opens.
   */
  static TraceSession.Result run(TraceSession first, TraceSession.Request request, List<ProbeId> ids, int rounds,
      TraceListener listener, long setupNs) {
    int perRound = ids.size() / rounds;
    int perSession = idsPerSession(perRound);
    List<Probe> probes = new ArrayList<>();
    List<Observation> observations = new ArrayList<>();
    List<KernelEvent> events = new ArrayList<>();
    List<Verdict> verdicts = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    long probePhase = 0;
    long verdictAfter = 0;
    long t0 = System.nanoTime();
    TraceSession session = first;
    int sessions = 1;
    try {
      for (int r = 0; r < rounds; r++) {
        int from = r * perRound;
        if (from > 0 && from % perSession == 0) {
          session.close();
          session = TraceSession.create(request);
          session.open(ids.subList(from, Math.min(ids.size(), from + perSession)));
          sessions++;
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
    } finally {
      if (session != first) {
        session.close();
      }
    }
    long took = System.nanoTime() - t0;
    Map<String, Integer> outcomes = new TreeMap<>();
    for (Verdict v : verdicts) {
      String key = v.outcome() == Outcome.REACHED ? "reached"
          : v.outcome().word() + " at " + (v.layer() == null ? "-" : v.layer().label()) + " (" + v.cause() + ")";
      outcomes.merge(key, 1, Integer::sum);
    }
    notes.add(String.format(java.util.Locale.ROOT, "repeat: %d traces in %.0f ms, %.1f traces/s (%d sessions);"
        + " outcomes %s", rounds, took / 1e6, rounds / (took / 1e9), sessions, outcomes));
    return new TraceSession.Result(probes, observations, events, verdicts, notes, setupNs, probePhase, verdictAfter);
  }
}
