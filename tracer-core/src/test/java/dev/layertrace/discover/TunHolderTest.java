package dev.layertrace.discover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which taps a holder holds: by name, narrowed by the namespace the kernel told for each. */
class TunHolderTest {
  private static final QemuControlSocket MONITOR = new QemuControlSocket(java.nio.file.Path.of("/m"), false);

  @Test
  void aTapTheKernelPlacedElsewhereIsNotHeldHere() {
    TunHolder relay = new TunHolder(7, "relay", "S", List.of("eth0", "tap0"), null, 100, List.of(201L, 301L));
    assertThat(relay.holds("tap0", 301)).isTrue();
    assertThat(relay.holds("tap0", 302)).as("another lab's tap0").isFalse();
    assertThat(relay.holds("eth0", 201)).isTrue();
    assertThat(relay.holds("eth1", 201)).isFalse();
    assertThat(relay.namespaceOf("tap0")).isEqualTo(301);
    assertThat(relay.namespaceOf("tap9")).isZero();
  }

  @Test
  void unknownNamespacesFallBackToTheName() throws Exception {
    TunHolder old = new TunHolder(7, "relay", "S", List.of("eth0", "tap0"));
    assertThat(old.tapNetns()).containsExactly(0L, 0L);
    assertThat(old.holds("tap0", 302)).isTrue();
    // A recording written before tapNetns existed reads the same way.
    TunHolder read = new ObjectMapper().readValue("{\"pid\":7,\"command\":\"relay\",\"state\":\"T\",\"taps\":[\"eth0\","
        + "\"tap0\"]}", TunHolder.class);
    assertThat(read.tapNetns()).containsExactly(0L, 0L);
    assertThat(read.stopped()).isTrue();
    assertThat(read.vm()).isNull();
  }

  @Test
  void aPausedVmIsStoppedThoughItsProcessRuns() {
    TunHolder qemu = new TunHolder(9, "qemu-system-x86_64", "S", List.of("tap0"), new VmStatus("paused", MONITOR),
        0);
    assertThat(qemu.stopped()).isTrue();
    assertThat(qemu.signalStopped()).isFalse();
    assertThat(new TunHolder(9, "q", "S", List.of("tap0"), new VmStatus("running", MONITOR), 0).stopped())
        .isFalse();
  }
}
