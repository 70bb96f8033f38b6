package dev.layertrace.probe;

import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Observation;
import dev.layertrace.model.PathGraph;

/**
 * Receives a running {@link TraceSession}'s progress as it happens (for a live view). Every method is
 * called on the tracing thread, inside the polling loop: an implementation must return at once (hand
 * the value to another thread) so that a slow consumer never delays the observers. What a listener
 * throws is ignored; the trace goes on.
 */
public interface TraceListener {
  /** A listener that ignores everything. */
  TraceListener NONE = new TraceListener() {};

  /** The path about to be traced, before the first probe is sent. */
  default void onPath(PathGraph graph) {}

  /** The probe, its reply or an ARP exchange for it was seen at a layer. */
  default void onObservation(Observation observation) {}

  /** A kernel event bound to a probe; known only once the probe phase is over. */
  default void onKernelEvent(KernelEvent event) {}
}
