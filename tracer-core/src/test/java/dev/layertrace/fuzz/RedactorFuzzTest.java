package dev.layertrace.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.LayertraceException;
import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.model.Capture;
import dev.layertrace.redact.Redactor;
import dev.layertrace.testing.SampleCaptures;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * {@code --redact} on whatever the capture reader accepts: structurally mutated captures that still
 * read must redact without any exception, keep their layer count, and redact to themselves a second
 * time. Bound: 400 tries, at most 10 s.
 */
class RedactorFuzzTest {
  private static final List<String> SEEDS = List.of(
      CaptureCodec.write(SampleCaptures.guestNoMasquerade()), CaptureCodec.write(SampleCaptures.guestForwardDrop()));
  private static final FuzzHarness HARNESS = new FuzzHarness("redact", t -> false, Duration.ofSeconds(10));

  @AfterContainer
  static void report() {
    System.out.println(HARNESS.summary());
    HARNESS.close();
  }

  @Property(tries = 400)
  void anyReadableCaptureRedactsIdempotently(@ForAll("seed") int seed, @ForAll("ops") List<Integer> ops) {
    Capture c;
    try {
      c = CaptureCodec.read(JsonMutations.apply(SEEDS.get(seed), ops), "fuzz.json");
    } catch (LayertraceException rejected) {
      return; // the reader's own property covers this input
    }
    Capture input = c;
    HARNESS.check("seed " + seed + " json ops " + ops, () -> {
      Capture once = Redactor.redact(input);
      assertThat(once.graph().nodes()).hasSameSizeAs(input.graph().nodes());
      assertThat(Redactor.redact(once)).isEqualTo(once);
      return CaptureCodec.write(once);
    });
  }

  @Provide
  Arbitrary<Integer> seed() {
    return Arbitraries.integers().between(0, SEEDS.size() - 1);
  }

  @Provide
  Arbitrary<List<Integer>> ops() {
    return Arbitraries.integers().list().ofMinSize(1).ofMaxSize(2);
  }
}
