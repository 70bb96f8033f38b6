package dev.layertrace.fuzz;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.testing.SampleCaptures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes {@link CaptureCodec#read(String, String)} with the sample captures and the golden capture
 * JSON as seeds: JSON-aware mutations (which reach the model's rules), byte mutations, truncation and
 * deep nesting. Only a LayertraceException with exit 2 may escape. The reader wraps whatever the input
 * provokes; causes that are Java bugs rather than rule violations are counted as "masked" and printed,
 * so they show up without failing the build. Bound: 4 properties × 1000–1500 tries, at most 15 s.
 */
class CaptureReaderFuzzTest {
  private static final List<String> SEEDS = seeds();
  private static final FuzzHarness HARNESS = new FuzzHarness("capture-json",
      CaptureReaderFuzzTest::documented, Duration.ofSeconds(15));
  private static final Map<String, Integer> MASKED = new TreeMap<>();

  private static List<String> seeds() {
    List<String> s = new ArrayList<>();
    s.add(CaptureCodec.write(SampleCaptures.guestNoMasquerade()));
    s.add(CaptureCodec.write(SampleCaptures.guestForwardDrop()));
    s.addAll(Seeds.texts("/golden", ".json"));
    return List.copyOf(s);
  }

  static boolean documented(Throwable t) {
    if (!(t instanceof LayertraceException le) || le.exitCode() != ExitCode.USAGE) {
      return false;
    }
    Throwable cause = t.getCause();
    while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause instanceof IndexOutOfBoundsException || cause instanceof ClassCastException
        || cause instanceof StackOverflowError || cause instanceof ArithmeticException) {
      synchronized (MASKED) {
        MASKED.merge(cause.getClass().getSimpleName(), 1, Integer::sum);
      }
    }
    return true;
  }

  @AfterContainer
  static void report() {
    System.out.println(HARNESS.summary() + ", internal causes wrapped as input errors: " + MASKED);
    HARNESS.close();
  }

  @Property(tries = 1500)
  void structurallyMutatedCaptures(@ForAll("seed") int seed, @ForAll("ops") List<Integer> ops) {
    String input = JsonMutations.apply(SEEDS.get(seed), ops);
    HARNESS.check("seed " + seed + " json ops " + ops, () -> CaptureCodec.read(input, "fuzz.json"));
  }

  @Property(tries = 1000)
  void byteMutatedCaptures(@ForAll("seed") int seed, @ForAll("ops") List<Integer> ops) {
    String input = new String(Mutations.apply(SEEDS.get(seed).getBytes(StandardCharsets.UTF_8), ops),
        StandardCharsets.UTF_8);
    HARNESS.check("seed " + seed + " byte ops " + ops, () -> CaptureCodec.read(input, "fuzz.json"));
  }

  @Property(tries = 1000)
  void truncatedCaptures(@ForAll("seed") int seed, @ForAll("fraction") double fraction) {
    String s = SEEDS.get(seed);
    String input = s.substring(0, (int) (s.length() * fraction));
    HARNESS.check("seed " + seed + " cut at " + input.length(), () -> CaptureCodec.read(input, "fuzz.json"));
  }

  @Property(tries = 200)
  void deeplyNestedOrGeneratedDocuments(@ForAll("depth") int depth, @ForAll("text") String text) {
    String nested = "{\"schemaVersion\":\"1.0\",\"graph\":{\"nodes\":" + "[".repeat(depth) + "]".repeat(depth) + "}}";
    HARNESS.check("nesting " + depth, () -> CaptureCodec.read(nested, "fuzz.json"));
    HARNESS.check("generated " + text, () -> CaptureCodec.read(text, "fuzz.json"));
  }

  @Provide
  Arbitrary<Integer> seed() {
    return Arbitraries.integers().between(0, SEEDS.size() - 1);
  }

  @Provide
  Arbitrary<List<Integer>> ops() {
    return Arbitraries.integers().list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<Double> fraction() {
    return Arbitraries.doubles().between(0, 1);
  }

  @Provide
  Arbitrary<Integer> depth() {
    return Arbitraries.integers().between(1, 200_000);
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().withChars("{}[]:,\"\\ 0123456789.-eEtrufalsn\u0000ü").ofMaxLength(200);
  }
}
