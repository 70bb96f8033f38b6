package dev.layertrace.probe;

/**
 * When to stop listening: as soon as the reply is back at the source, or when every observer has
 * been silent for an adaptive window, {@code max(minimum, factor × the largest gap between
 * consecutive sightings so far)}, capped. A fast path ends in tens of milliseconds; a slow hop (a VMM
 * relay, a busy host) widens the window instead of cutting the trace short. Times are caller-supplied
 * monotonic nanoseconds, so the rule is testable without a clock. Not thread-safe: one reader thread.
 */
public final class EndOfTraceWindow {
  /** The defaults: 30 ms minimum, four times the largest gap, at most 250 ms of silence. */
  public static final long DEFAULT_MIN_NS = 30_000_000L;
  public static final int DEFAULT_FACTOR = 4;
  public static final long DEFAULT_CAP_NS = 250_000_000L;

  private final long minNs;
  private final int factor;
  private final long capNs;
  private long lastNs;
  private long largestGapNs;
  private boolean replied;
  private boolean slowHop;

  public EndOfTraceWindow(long startNs, long minNs, int factor, long capNs) {
    if (minNs <= 0 || factor < 1 || capNs < minNs) {
      throw new IllegalArgumentException("need 0 < min ≤ cap and factor ≥ 1");
    }
    this.minNs = minNs;
    this.factor = factor;
    this.capNs = capNs;
    this.lastNs = startNs;
  }

  /** The default window from {@code startNs} (the injection). */
  public static EndOfTraceWindow startingAt(long startNs) {
    return new EndOfTraceWindow(startNs, DEFAULT_MIN_NS, DEFAULT_FACTOR, DEFAULT_CAP_NS);
  }

  /** Something of this trace was seen at {@code nowNs}. */
  public void sighted(long nowNs) {
    if (nowNs > lastNs) {
      largestGapNs = Math.max(largestGapNs, nowNs - lastNs);
      lastNs = nowNs;
    }
    slowHop = false;
  }

  /**
   * The last sighting was the probe leaving towards a hop whose latency the path so far says nothing
   * about (a VMM relay: a user-space process that a busy host may not schedule for a while): wait up to
   * the cap before calling it lost. The next sighting ends this.
   */
  public void crossingSlowHop() {
    slowHop = true;
  }

  /** The last reply the trace waits for was seen at the source: end now. */
  public void replyAtSource() {
    replied = true;
  }

  /** The silence allowed after the last sighting. */
  public long windowNs() {
    return slowHop ? capNs : Math.min(capNs, Math.max(minNs, (long) factor * largestGapNs));
  }

  public boolean finished(long nowNs) {
    return replied || nowNs - lastNs >= windowNs();
  }

  /** How long to wait for the next sighting before {@link #finished} turns true, in ms (≥ 0, rounded up). */
  public int remainingMs(long nowNs) {
    if (replied) {
      return 0;
    }
    long left = lastNs + windowNs() - nowNs;
    return left <= 0 ? 0 : (int) ((left + 999_999) / 1_000_000);
  }
}
