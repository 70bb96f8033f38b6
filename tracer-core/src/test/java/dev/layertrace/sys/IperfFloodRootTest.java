package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.testing.RootOnly;
import org.junit.jupiter.api.Test;

/** An iperf3 flood inside a scratch namespace's loopback: one run, and what a failure would report. */
@RootOnly
class IperfFloodRootTest {
  private static final int PORT = 5299;

  @Test
  void aRunGivesTheReceiversRateAndAFailureWouldSayWhatListens() {
    try (ScratchNetns ns = ScratchNetns.create("iperf")) {
      assertThat(IperfFlood.listeners(ns.name(), PORT)).startsWith("listening in " + ns.name()
          + ": nothing on port " + PORT + "; its counters: ").contains("TcpOutRsts ");
      try (IperfFlood flood = IperfFlood.serve(ns.name(), "127.0.0.1", PORT)) {
        assertThat(flood.run(ns.name(), 1)).isPositive();
        assertThat(IperfFlood.listeners(ns.name(), PORT)).contains("127.0.0.1:" + PORT)
            .doesNotContain("nothing on port");
        assertThat(IperfFlood.resetsNear(ns.name())).startsWith("counters of lt-tsys-*:")
            .containsPattern(ns.name() + " \\((?=.*TcpOutRsts=\\d+)(?=.*IcmpOutDestUnreachs=\\d+)"
                + "(?=.*TcpAttemptFails=\\d+)[^)]*\\)");
      }
    }
  }
}
