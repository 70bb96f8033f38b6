package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** iperf3 3.12's JSON reports, recorded on this machine, as {@link IperfFlood} reads them. */
class IperfFloodReportTest {
  private static String recorded(String name) throws IOException {
    try (InputStream in = IperfFloodReportTest.class.getResourceAsStream("/iperf3/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aRefusedConnectionIsNotARunThoughIperf3ExitedZero() throws IOException {
    // Recorded with: iperf3 -c 127.0.0.1 -p 5999 -J -t 1 (nothing listening; exit status 0)
    assertThat(IperfFlood.receivedBps(recorded("refused-exit-0.json"))).isEmpty();
  }

  @Test
  void aFinishedRunIs() throws IOException {
    assertThat(IperfFlood.receivedBps(recorded("run-1s.json"))).isPresent();
  }

  @Test
  void outputThatIsNotJsonIsNot() {
    assertThat(IperfFlood.receivedBps("iperf3: error - unable to connect to server")).isEmpty();
    assertThat(IperfFlood.receivedBps("")).isEmpty();
  }
}
