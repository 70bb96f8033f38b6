package dev.layertrace.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.Capture;
import dev.layertrace.testing.SampleCaptures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CaptureCodecRoundTripTest {

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of("guestNoMasquerade", SampleCaptures.guestNoMasquerade()),
        Arguments.of("guestForwardDrop", SampleCaptures.guestForwardDrop()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void writtenReadAndWrittenAgainIsByteIdentical(String name, Capture sample) {
    String first = CaptureCodec.write(sample);
    Capture back = CaptureCodec.read(first, name + ".json");
    String second = CaptureCodec.write(back);

    assertThat(second).isEqualTo(first);
    assertThat(back).isEqualTo(sample);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void throughAFileToo(String name, Capture sample, @TempDir Path dir) throws Exception {
    Path file = dir.resolve(name + ".json");
    CaptureCodec.write(sample, file);
    byte[] first = Files.readAllBytes(file);
    CaptureCodec.write(CaptureCodec.read(file), file);

    assertThat(Files.readAllBytes(file)).isEqualTo(first);
    assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(CaptureCodec.write(sample));
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).as("no temporary file left behind").containsExactly(file);
    }
  }
}
