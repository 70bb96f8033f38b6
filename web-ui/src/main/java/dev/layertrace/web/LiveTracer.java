package dev.layertrace.web;

import dev.layertrace.model.Capture;
import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Observation;
import dev.layertrace.model.PathGraph;

/**
 * Runs one live trace for {@code POST /api/live} and reports what it sees as it sees it. The
 * server calls {@link #trace} on a dedicated platform thread (never an event loop), one trace at a
 * time. {@code layertrace serve} passes the tracer-core trace engine when this build has one, else
 * {@link #unavailable(String)}; the server never invents observations.
 */
public interface LiveTracer {

  /** Receives a running trace's progress; implementations may be called from the tracing thread. */
  interface Events {
    /** The discovered path, before the probe is sent. */
    void path(PathGraph graph);

    /** The probe (or its reply) was seen at a layer. */
    void observation(Observation observation);

    /** A kernel event bound to the probe (a drop). */
    void kernelEvent(KernelEvent event);
  }

  /** Null when live tracing works here; else why not, for the 503 body. */
  String unavailableReason();

  /**
   * Traces {@code request}, reporting progress to {@code events}, and returns the finished capture
   * (with its verdict).
   *
   * @throws dev.layertrace.LayertraceException when the trace cannot run (its message is streamed)
   */
  Capture trace(LiveRequest request, Events events);

  /** A tracer that refuses every request with {@code reason}. */
  static LiveTracer unavailable(String reason) {
    return new LiveTracer() {
      @Override
      public String unavailableReason() {
        return reason;
      }

      @Override
      public Capture trace(LiveRequest request, Events events) {
        throw new IllegalStateException(reason);
      }
    };
  }
}
