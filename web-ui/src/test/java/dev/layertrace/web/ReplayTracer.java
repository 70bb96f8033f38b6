package dev.layertrace.web;

import dev.layertrace.model.Capture;
import dev.layertrace.model.Observation;
import dev.layertrace.testing.SampleCaptures;

/**
 * Replays the guest-no-masquerade sample capture through {@link LiveTracer.Events}, one observation
 * every {@code gapMs}. Stands in for the trace engine only where the code under test is the
 * streaming and its display (pure logic); it never pretends to be a trace in the product.
 */
final class ReplayTracer implements LiveTracer {
  private final long gapMs;
  volatile LiveRequest seen;

  ReplayTracer(long gapMs) {
    this.gapMs = gapMs;
  }

  @Override
  public String unavailableReason() {
    return null;
  }

  @Override
  public Capture trace(LiveRequest request, Events events) {
    seen = request;
    Capture c = SampleCaptures.guestNoMasquerade();
    events.path(c.graph());
    for (Observation o : c.observations()) {
      pause();
      events.observation(o);
    }
    pause();
    return c;
  }

  private void pause() {
    try {
      Thread.sleep(gapMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
