package dev.layertrace.lab.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuestBootLogTest {
  @Test
  void milestonesOfARecordedBootInOrder() {
    var m = GuestBootLog.milestones(Fixtures.text("console.txt"));
    assertThat(List.copyOf(m.keySet())).containsExactly("started", "modules loaded", "shares mounted", "lab built",
        "control channel on /dev/vport3p1");
    assertThat(m.get("started")).isEqualTo(2.24);
    assertThat(m.get("lab built")).isEqualTo(5.10);
  }
}
