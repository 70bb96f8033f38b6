package dev.layertrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Against GC logs recorded from real runs (see src/test/resources/bench/README.md for the commands).
 */
class GcLogPeakTest {

  private static String log(String name) throws IOException {
    return Files.readString(Path.of("src/test/resources/bench", name));
  }

  @Test
  void serialCollectorPeakIsTheLargestHeapBeforeACollection() throws IOException {
    // Pauses at 17M and 20M; at exit 2543K + 2980K in use.
    assertThat(GcLogPeak.peakBytes(log("gc-serial-render.log"))).hasValue(20L << 20);
  }

  @Test
  void g1PeakCanBeTheHeapAtExit() throws IOException {
    // Pauses at 8M and 11M; 21790K in use at exit.
    assertThat(GcLogPeak.peakBytes(log("gc-g1-render.log"))).hasValue(21790L * 1024);
  }

  @Test
  void aLogWithoutHeapFiguresHasNoPeak() {
    assertThat(GcLogPeak.peakBytes("[0.003s][info][gc] Using Serial\n")).isEmpty();
  }
}
