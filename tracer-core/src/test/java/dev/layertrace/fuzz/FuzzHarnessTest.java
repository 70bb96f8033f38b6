package dev.layertrace.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The harness must see a crash and a hang, or the fuzz properties above could never fail. */
class FuzzHarnessTest {
  @Test
  void documentedErrorIsCleanOtherThrowablesAndHangsAreCrashes() {
    try (FuzzHarness h = new FuzzHarness("self-test", t -> t instanceof IllegalArgumentException, Duration.ofSeconds(30))) {
      h.check("ok", () -> 1);
      h.check("documented", () -> {
        throw new IllegalArgumentException("bad input");
      });
      assertThatThrownBy(() -> h.check("npe", () -> {
        throw new NullPointerException();
      })).isInstanceOf(AssertionError.class).hasMessageContaining("NullPointerException").hasMessageContaining("npe");
      assertThatThrownBy(() -> h.check("deep", FuzzHarnessTest::recurse))
          .isInstanceOf(AssertionError.class).hasMessageContaining("StackOverflowError");
      assertThatThrownBy(() -> h.check("endless", () -> {
        // Stops when the harness cancels it, so the abandoned worker does not spin for the rest of the run.
        while (!Thread.currentThread().isInterrupted()) {
          Thread.onSpinWait();
        }
        return 0;
      })).isInstanceOf(AssertionError.class).hasMessageContaining("ran longer than");
      h.check("after a hang the next input still runs", () -> 2);
      assertThat(h.inputs()).isEqualTo(6);
      assertThat(h.crashes()).isEqualTo(3);
      assertThat(h.summary()).contains("6 inputs", "3 crashes");
    }
  }

  private static int recurse() {
    return recurse() + 1;
  }
}
