package dev.layertrace.lab.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QemuLabStatusTest {
  private static final List<String> HOST = List.of("lt-host", "lt-inet");

  @Test
  void healthyOnlyWhenQemuTheNamespacesTheGuestAndThePathAreThere() {
    QemuLabStatus up = new QemuLabStatus(4242L, true, false, HOST, HOST, 12.5, true, "198.51.100.10");
    assertThat(up.healthy()).isTrue();
    assertThat(up.text()).contains("running, pid 4242").contains("answers, up 12.5 s")
        .contains("container reaches 198.51.100.10").endsWith("healthy\n");
    QemuLabStatus dead = new QemuLabStatus(4242L, false, false, HOST, HOST, null, null, "198.51.100.10");
    assertThat(dead.healthy()).isFalse();
    assertThat(dead.text()).contains("pid 4242 is gone").contains("does not answer").endsWith("not healthy\n");
    QemuLabStatus none = new QemuLabStatus(null, false, false, List.of(), HOST, null, null, "198.51.100.10");
    assertThat(none.absent()).isTrue();
    assertThat(none.text()).contains("not started").contains("lt-host              missing")
        .endsWith("the QEMU lab is not up\n");
    QemuLabStatus stalled = new QemuLabStatus(4242L, true, true, HOST, HOST, null, null, "198.51.100.10");
    assertThat(stalled.healthy()).isFalse();
    assertThat(stalled.text()).contains("paused (monitor: stop), pid 4242");
  }
}
