package dev.layertrace.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The relay's state file format, and how lab steps are shown to a person. */
class RelayCountersTest {

  @Test
  void stateFileRoundTrips() {
    RelayCounters c = new RelayCounters(12, 1_400, 11, 1_300, 2, 1_796_306_504_663L, "relaying");
    assertThat(c.toText()).startsWith("phase=relaying\nguest_to_host_frames=12\n");
    assertThat(RelayCounters.parse(c.toText())).isEqualTo(c);
  }

  @Test
  void aGarbledStateFileReadsAsZeros() {
    RelayCounters c = RelayCounters.parse("guest_to_host_frames=lots\nnonsense\n");
    assertThat(c.guestToHostFrames()).isZero();
    assertThat(c.phase()).isEqualTo("unknown");
  }

  @Test
  void stepsAreShownAsTheCommandsAPersonWouldType() {
    assertThat(LabStep.run("lt-guest", "ip", "link", "set", "dev", "eth0", "down").display())
        .isEqualTo("ip -n lt-guest link set dev eth0 down");
    assertThat(LabStep.run("lt-guest", "iptables", "-A", "FORWARD", "-i", "docker0", "!", "-o", "docker0").display())
        .isEqualTo("ip netns exec lt-guest iptables -A FORWARD -i docker0 ! -o docker0");
    assertThat(LabStep.nft("lt-host", "flush chain ip t c\n").display())
        .isEqualTo("ip netns exec lt-host nft -f - <<< 'flush chain ip t c'");
    assertThat(FaultTable.describe(new LabStep.SignalRelay(LabStep.RelaySignal.STOP)))
        .isEqualTo("kill -s STOP $(cat /run/layertrace/lab/vmm.pid)");
  }
}
