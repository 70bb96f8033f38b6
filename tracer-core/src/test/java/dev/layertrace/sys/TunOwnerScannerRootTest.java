package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.discover.TunHolder;
import dev.layertrace.testing.RootOnly;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two taps with the same name in two namespaces, held by one process (this test's JVM, as a VMM
 * holding one tap per VM would): fdinfo says "tap0" twice; the kernel (TUNGETDEVNETNS on a
 * pidfd_getfd copy) says which namespace each one is in.
 */
@RootOnly
class TunOwnerScannerRootTest {
  @Test
  void eachHeldTapCarriesTheNamespaceTheKernelSaysItIsIn() {
    try (ScratchNetns a = ScratchNetns.create("tna"); ScratchNetns b = ScratchNetns.create("tnb");
        NetnsExecutor inA = NetnsExecutor.enter(a.netns()); NetnsExecutor inB = NetnsExecutor.enter(b.netns());
        TunDevice tapA = inA.call(() -> TunDevice.openTap("lt-tap0"));
        TunDevice tapB = inB.call(() -> TunDevice.openTap("lt-tap0"))) {
      int self = (int) ProcessHandle.current().pid();
      TunHolder me = new TunOwnerScanner().scan().stream().filter(h -> h.pid() == self).findFirst().orElseThrow();
      assertThat(me.taps()).containsExactlyInAnyOrder("lt-tap0", "lt-tap0");
      assertThat(me.tapNetns()).containsExactlyInAnyOrder(a.netns().inode(), b.netns().inode());
      assertThat(me.holds("lt-tap0", a.netns().inode())).isTrue();
      assertThat(me.holds("lt-tap0", b.netns().inode())).isTrue();
      assertThat(me.holds("lt-tap0", Netns.self().inode())).as("not one in this namespace").isFalse();
      assertThat(me.netnsInode()).isEqualTo(Netns.self().inode());
      // The copies made to ask were closed: the process holds exactly its own two tun descriptors.
      assertThat(new TunOwnerScanner().scan().stream().filter(h -> h.pid() == self).findFirst().orElseThrow()
          .taps()).hasSize(2);
      assertThat(List.of(tapA.name(), tapB.name())).containsOnly("lt-tap0");
    }
  }
}
