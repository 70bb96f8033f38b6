package dev.layertrace.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.model.Capture;
import dev.layertrace.testing.SampleCaptures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever a damaged file holds, reading it either yields a capture that round-trips or a one-line
 * LayertraceException (exit 2) naming the file: never another exception type.
 */
class CaptureCodecMutationTest {
  private static final long SEED = 0x1a7e_2026_1203L;
  private static final int ROUNDS = 2_000;
  private static final byte[] JSONISH = "{}[]\":,0123456789.-+eE \n\\tfnul".getBytes(StandardCharsets.US_ASCII);

  @Test
  void mutatedCapturesOnlyEverFailAsLayertraceException(@TempDir Path dir) throws IOException {
    byte[][] originals = {
        CaptureCodec.write(SampleCaptures.guestNoMasquerade()).getBytes(StandardCharsets.UTF_8),
        CaptureCodec.write(SampleCaptures.guestForwardDrop()).getBytes(StandardCharsets.UTF_8)};
    Random random = new Random(SEED);
    Path file = dir.resolve("mutated.json");
    int refused = 0;
    int read = 0;
    for (int round = 0; round < ROUNDS; round++) {
      byte[] bytes = originals[round % originals.length];
      int mutations = 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        bytes = mutate(bytes, random);
      }
      // Half through the file path (raw bytes, so broken UTF-8 too), half through text.
      boolean viaFile = random.nextBoolean();
      String source = viaFile ? file.toString() : "round-" + round + ".json";
      try {
        Capture c;
        if (viaFile) {
          Files.write(file, bytes);
          c = CaptureCodec.read(file);
        } else {
          c = CaptureCodec.read(new String(bytes, StandardCharsets.UTF_8), source);
        }
        String once = CaptureCodec.write(c);
        assertThat(CaptureCodec.write(CaptureCodec.read(once, "rewritten"))).as("round %d re-written", round).isEqualTo(once);
        read++;
      } catch (LayertraceException e) {
        assertThat(e.exitCode()).as("round %d: %s", round, e.getMessage()).isEqualTo(ExitCode.USAGE);
        assertThat(e.getMessage()).as("round %d", round)
            .doesNotContain("\n", "\r")
            .satisfiesAnyOf(
                msg -> assertThat(msg).startsWith(source + ":"),
                msg -> assertThat(msg).startsWith("capture " + source + " has schema version"));
        refused++;
      } catch (Throwable t) {
        fail("round " + round + " (seed " + SEED + ") threw " + t + " for input:\n"
            + new String(bytes, StandardCharsets.UTF_8), t);
      }
    }
    System.out.printf("mutation test: %d rounds, %d read, %d refused%n", ROUNDS, read, refused);
    // Both branches must be exercised, or the mutations are not doing what this test claims.
    assertThat(refused).isGreaterThan(ROUNDS / 2);
    assertThat(read).isPositive();
  }

  private static byte[] mutate(byte[] in, Random r) {
    if (in.length == 0) {
      return new byte[] {JSONISH[r.nextInt(JSONISH.length)]};
    }
    int at = r.nextInt(in.length);
    switch (r.nextInt(5)) {
      case 0: // truncate
        return Arrays.copyOf(in, at);
      case 1: { // flip one bit
        byte[] out = in.clone();
        out[at] ^= (byte) (1 << r.nextInt(8));
        return out;
      }
      case 2: { // overwrite with a JSON-ish character or any byte
        byte[] out = in.clone();
        out[at] = r.nextBoolean() ? JSONISH[r.nextInt(JSONISH.length)] : (byte) r.nextInt(256);
        return out;
      }
      case 3: { // delete a short span
        int len = Math.min(1 + r.nextInt(24), in.length - at);
        byte[] out = new byte[in.length - len];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + len, out, at, in.length - at - len);
        return out;
      }
      default: { // repeat a short span
        int len = Math.min(1 + r.nextInt(24), in.length - at);
        byte[] out = new byte[in.length + len];
        System.arraycopy(in, 0, out, 0, at + len);
        System.arraycopy(in, at, out, at + len, in.length - at);
        return out;
      }
    }
  }
}
