package dev.layertrace.probe;

import dev.layertrace.model.Observation;
import dev.layertrace.verdict.ArpSighting;
import dev.layertrace.verdict.DropEvent;
import dev.layertrace.verdict.SendResult;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The other kernel's half of a trace, observed by an agent there (see {@code dev.layertrace.agent}).
 * A {@link TraceSession} with a remote half observes only its own layers, starts the remote when it
 * injects, takes the remote's sightings while it listens (they keep its end-of-trace window open just
 * as its own do) and merges the remote's kernel drops and evidence into the verdict.
 *
 * <p>When the path's source is in the remote's half (a tracer on the host, an agent in the guest),
 * the remote also sends the probes when told to go, and says in its finish whether its kernel took them.
 *
 * <p>Times in remote sightings are relative to the moment the remote was told to go, on the remote's
 * clock: the two clocks are never compared, the verdict orders the two halves by path.
 */
public interface RemoteHalf {
  /** The ids of the path layers the remote observes (its half of the merged graph). */
  Set<String> layerIds();

  /** Starts the remote's observation; called just before the first probe is sent. */
  void go();

  /** What the remote has seen since the last call, without waiting. */
  Sightings poll();

  /** Ends the remote's observation and returns its kernel drops and evidence (waits for them, bounded). */
  Finish finish();

  /** Sightings streamed by the remote. */
  record Sightings(List<Observation> observations, List<ArpSighting> arp) {
    public static final Sightings NONE = new Sightings(List.of(), List.of());

    public Sightings {
      observations = List.copyOf(observations);
      arp = List.copyOf(arp);
    }

    public boolean isEmpty() {
      return observations.isEmpty() && arp.isEmpty();
    }
  }

  /**
   * What the remote knows once its observation ended.
   *
   * @param drops kernel drop events by probe id (hex), bound on the remote kernel
   * @param conntrack conntrack lines by namespace, of the remote's NAT namespaces
   * @param forwardChains by namespace, the line that names every chain on the forward hook
   * @param kernelEventsAvailable whether the remote could read kernel drop events at all
   * @param notes what the remote wants the user to know (e.g. why drop events are missing)
   * @param sends by probe id, whether the remote's kernel accepted the probe, when the remote sent it
   */
  record Finish(Map<String, List<DropEvent>> drops, Map<String, List<String>> conntrack,
      Map<String, String> forwardChains, boolean kernelEventsAvailable, List<String> notes,
      Map<String, SendResult> sends) {
    public Finish {
      drops = Map.copyOf(drops);
      conntrack = Map.copyOf(conntrack);
      forwardChains = Map.copyOf(forwardChains);
      notes = List.copyOf(notes);
      sends = sends == null ? Map.of() : Map.copyOf(sends);
    }
  }
}
