package dev.layertrace.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndOfTraceWindowTest {
  static final long MS = 1_000_000L;

  @Test
  void aFastPathEndsAfterTheMinimumSilence() {
    EndOfTraceWindow w = EndOfTraceWindow.startingAt(0);
    w.sighted(1 * MS);
    w.sighted(2 * MS);
    assertThat(w.windowNs()).isEqualTo(30 * MS);
    assertThat(w.finished(31 * MS)).isFalse();
    assertThat(w.finished(32 * MS)).isTrue();
    assertThat(w.remainingMs(20 * MS)).isEqualTo(12);
  }

  @Test
  void aSlowHopWidensTheWindowUpToTheCap() {
    EndOfTraceWindow w = EndOfTraceWindow.startingAt(0);
    w.sighted(1 * MS);
    w.sighted(21 * MS); // a 20 ms hop, e.g. a busy VMM relay
    assertThat(w.windowNs()).isEqualTo(80 * MS);
    assertThat(w.finished(90 * MS)).isFalse();
    assertThat(w.finished(101 * MS)).isTrue();
    w.sighted(200 * MS);
    assertThat(w.windowNs()).isEqualTo(EndOfTraceWindow.DEFAULT_CAP_NS);
  }

  @Test
  void theReplyAtTheSourceEndsAtOnce() {
    EndOfTraceWindow w = EndOfTraceWindow.startingAt(0);
    w.sighted(MS);
    w.replyAtSource();
    assertThat(w.finished(MS)).isTrue();
    assertThat(w.remainingMs(MS)).isZero();
  }

  @Test
  void leavingTowardsAVmmWaitsUpToTheCapUntilTheNextSighting() {
    EndOfTraceWindow w = EndOfTraceWindow.startingAt(0);
    w.sighted(MS);
    w.crossingSlowHop();
    assertThat(w.finished(100 * MS)).isFalse();
    assertThat(w.finished(252 * MS)).isTrue();
    w.sighted(41 * MS);
    assertThat(w.windowNs()).as("back to the adaptive window").isEqualTo(4 * 40 * MS);
  }
}
