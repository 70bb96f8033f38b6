package dev.layertrace.sys;

import static dev.layertrace.sys.LinuxConstants.AF_PACKET;
import static dev.layertrace.sys.LinuxConstants.ETH_P_ALL;
import static dev.layertrace.sys.LinuxConstants.POLLIN;
import static dev.layertrace.sys.LinuxConstants.SOCK_RAW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.testing.RootOnly;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tap opened through /dev/net/tun inside a scratch namespace: it appears there (only there), frames
 * written to its descriptor arrive on the interface, frames sent out of the interface are read from
 * the descriptor.
 */
@RootOnly
class TunDeviceTest {
  /** IEEE local experimental ethertype: nothing in the kernel answers or generates it. */
  private static final int ETHERTYPE_EXPERIMENTAL = 0x88B5;
  private static ScratchNetns scratch;
  private static NetnsExecutor ns;

  @BeforeAll
  static void createNamespace() {
    scratch = ScratchNetns.create("tun");
    ns = NetnsExecutor.enter(scratch.netns());
  }

  @AfterAll
  static void deleteNamespace() {
    try {
      if (ns != null) {
        ns.close();
      }
    } finally {
      if (scratch != null) {
        scratch.close();
      }
    }
  }

  @Test
  void aTapIsCreatedInTheNamespaceAndCarriesFramesBothWays() {
    try (TunDevice tap = ns.call(() -> TunDevice.openTap("lt-tsys-tap"))) {
      assertThat(tap.name()).isEqualTo("lt-tsys-tap");
      assertThat(scratch.ip("-d", "link", "show", "lt-tsys-tap")).contains("tun type tap");
      assertThat(Commands.run("ip", "link", "show", "lt-tsys-tap").ok()).as("not in the root namespace").isFalse();
      scratch.ip("link", "set", "lt-tsys-tap", "up");
      int ifindex = ns.call(() -> Interfaces.index("lt-tsys-tap"));

      try (LinuxSocket packet = ns.call(() -> LinuxSocket.open(AF_PACKET, SOCK_RAW, Sockaddrs.htons(ETH_P_ALL)))) {
        packet.bind(Sockaddrs.packet(ETH_P_ALL, ifindex));

        // Into the descriptor -> received by the kernel on the tap -> seen by the packet socket.
        byte[] inbound = frame("inbound");
        assertThat(tap.write(inbound, inbound.length)).isEqualTo(inbound.length);
        byte[] got = receiveMarked(packet, "inbound");
        assertThat(got).isEqualTo(inbound);

        // Sent out of the tap by the kernel -> read from the descriptor.
        byte[] outbound = frame("outbound");
        packet.sendTo(outbound, 0, outbound.length, 0, Sockaddrs.packet(ETHERTYPE_EXPERIMENTAL, ifindex));
        assertThat(readMarked(tap, "outbound")).isEqualTo(outbound);
      }
    }
    // A non-persistent tap goes away with its descriptor.
    assertThat(Commands.run("ip", "-n", scratch.name(), "link", "show", "lt-tsys-tap").ok()).isFalse();
  }

  @Test
  void aTapWithAVnetHeaderCarriesTheHeaderBeforeEachFrameBothWays() {
    try (TunDevice tap = ns.call(() -> TunDevice.openTap("lt-tsys-vnet", true))) {
      assertThat(tap.vnetHeaderSize()).isEqualTo(10);
      assertThat(scratch.ip("-d", "link", "show", "lt-tsys-vnet")).contains("vnet_hdr on");
      scratch.ip("link", "set", "lt-tsys-vnet", "up");
      int ifindex = ns.call(() -> Interfaces.index("lt-tsys-vnet"));

      try (LinuxSocket packet = ns.call(() -> LinuxSocket.open(AF_PACKET, SOCK_RAW, Sockaddrs.htons(ETH_P_ALL)))) {
        packet.bind(Sockaddrs.packet(ETH_P_ALL, ifindex));

        // A zero header (no checksum to fill in, GSO_NONE) then the frame: the kernel takes the frame alone.
        byte[] inbound = frame("vnet-in");
        byte[] withHeader = new byte[10 + inbound.length];
        System.arraycopy(inbound, 0, withHeader, 10, inbound.length);
        assertThat(tap.write(withHeader, withHeader.length)).isEqualTo(withHeader.length);
        assertThat(receiveMarked(packet, "vnet-in")).isEqualTo(inbound);

        // Out of the tap: the read starts with a header (flags 0, gso_type NONE), then the frame as sent.
        byte[] outbound = frame("vnet-out");
        packet.sendTo(outbound, 0, outbound.length, 0, Sockaddrs.packet(ETHERTYPE_EXPERIMENTAL, ifindex));
        byte[] read = readMarked(tap, 10, "vnet-out");
        assertThat(read).hasSize(10 + outbound.length);
        assertThat(Arrays.copyOfRange(read, 0, 2)).containsExactly(0, 0);
        assertThat(Arrays.copyOfRange(read, 10, read.length)).isEqualTo(outbound);
      }
    }
    // The plain signature still gives a tap without a header.
    try (TunDevice plain = ns.call(() -> TunDevice.openTap("lt-tsys-vnet"))) {
      assertThat(plain.vnetHeaderSize()).isZero();
      assertThat(scratch.ip("-d", "link", "show", "lt-tsys-vnet")).contains("vnet_hdr off");
    }
  }

  @Test
  void aPersistentTapOutlivesItsDescriptorAndASecondOpenerIsRefused() {
    try (TunDevice tap = ns.call(() -> TunDevice.openTap("lt-tsys-keep"))) {
      tap.setPersistent(true);
      assertThatThrownBy(() -> ns.call(() -> TunDevice.openTap("lt-tsys-keep")))
          .isInstanceOfSatisfying(LayertraceException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e).hasMessageContaining("already attached");
          });
    }
    assertThat(scratch.ip("link", "show", "lt-tsys-keep")).contains("lt-tsys-keep");
    try (TunDevice again = ns.call(() -> TunDevice.openTap("lt-tsys-keep"))) {
      again.setPersistent(false);
    }
    assertThat(Commands.run("ip", "-n", scratch.name(), "link", "show", "lt-tsys-keep").ok()).isFalse();
  }

  @Test
  void aDeviceOfAnotherKindIsNamedAsSuch() {
    scratch.ip("link", "add", "lt-tsys-dum", "type", "bridge");
    assertThatThrownBy(() -> ns.call(() -> TunDevice.openTap("lt-tsys-dum")))
        .isInstanceOfSatisfying(LayertraceException.class, e -> {
          assertThat(e).hasMessage("interface lt-tsys-dum exists and is not a tap device");
          assertThat(e.getCause()).isInstanceOfSatisfying(SysException.class,
              c -> assertThat(c.errnoName()).isEqualTo("EINVAL"));
        });
    assertThatThrownBy(() -> TunDevice.openTap("a-name-longer-than-15")).isInstanceOf(LayertraceException.class);
  }

  @Test
  void readAndWriteReportAGoneOrDownTapWithMinusOne() {
    try (TunDevice tap = ns.call(() -> TunDevice.openTap("lt-tsys-gone"))) {
      tap.setPersistent(true);
      byte[] f = frame("down");
      assertThat(tap.write(f, f.length)).as("a tap that is down takes no frame").isEqualTo(-1);
      scratch.ip("link", "del", "lt-tsys-gone");
      assertThat(tap.read(new byte[2048])).as("the interface was deleted").isEqualTo(-1);
      tap.close();
      assertThat(tap.read(new byte[2048])).isEqualTo(-1);
      assertThat(tap.write(f, f.length)).isEqualTo(-1);
    }
  }

  @Test
  void aReadWaitingInAnotherThreadEndsWhenTheTapIsDeletedOrClosed() throws Exception {
    try (TunDevice deleted = ns.call(() -> TunDevice.openTap("lt-tsys-del"));
        TunDevice closed = ns.call(() -> TunDevice.openTap("lt-tsys-cls"))) {
      deleted.setPersistent(true);
      CompletableFuture<Integer> onDeleted = CompletableFuture.supplyAsync(() -> deleted.read(new byte[2048]), daemon());
      CompletableFuture<Integer> onClosed = CompletableFuture.supplyAsync(() -> closed.read(new byte[2048]), daemon());
      Thread.sleep(300); // both readers are waiting now
      assertThat(onDeleted).isNotDone();
      assertThat(onClosed).isNotDone();
      scratch.ip("link", "del", "lt-tsys-del");
      closed.close();
      assertThat(onDeleted.get(2, TimeUnit.SECONDS)).isEqualTo(-1);
      assertThat(onClosed.get(2, TimeUnit.SECONDS)).isEqualTo(-1);
    }
    // The closed tap's descriptor was released after its reader left, and the kernel removed the tap.
    assertThat(Commands.run("ip", "-n", scratch.name(), "link", "show", "lt-tsys-cls").ok()).isFalse();
  }

  @Test
  void nonBlockingReadReturnsZeroWhenNothingWaits() {
    try (TunDevice tap = ns.call(() -> TunDevice.openTap("lt-tsys-nb"))) {
      tap.setNonBlocking(true);
      assertThat(tap.read(new byte[2048])).isZero();
    }
  }

  private static Executor daemon() {
    return r -> {
      Thread t = new Thread(r, "lt-tsys-reader");
      t.setDaemon(true);
      t.start();
    };
  }

  /** Broadcast destination, a locally administered source, the experimental ethertype, a marker. */
  private static byte[] frame(String marker) {
    ByteBuffer b = ByteBuffer.allocate(64);
    b.put(HexFormat.of().parseHex("ffffffffffff")).put(HexFormat.of().parseHex("02000000aa01"))
        .putShort((short) ETHERTYPE_EXPERIMENTAL).put(marker.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return b.array();
  }

  private static boolean hasMarker(byte[] f, int len, String marker) {
    return hasMarker(f, 0, len, marker);
  }

  /** Whether the frame at {@code off} (after a virtio-net header, say) is ours. */
  private static boolean hasMarker(byte[] f, int off, int len, String marker) {
    byte[] m = marker.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return len >= off + 14 + m.length
        && ((f[off + 12] & 0xFF) << 8 | (f[off + 13] & 0xFF)) == ETHERTYPE_EXPERIMENTAL
        && Arrays.equals(f, off + 14, off + 14 + m.length, m, 0, m.length);
  }

  /** The first frame with {@code marker} on the packet socket; other traffic (IPv6 RS, MLD) is skipped. */
  private static byte[] receiveMarked(LinuxSocket s, String marker) {
    byte[] buf = new byte[2048];
    long deadline = System.currentTimeMillis() + 2000;
    while (System.currentTimeMillis() < deadline) {
      if ((s.poll(POLLIN, 200) & POLLIN) != 0) {
        int n = s.recv(buf, 0, buf.length, 0);
        if (hasMarker(buf, n, marker)) {
          return Arrays.copyOf(buf, n);
        }
      }
    }
    throw new AssertionError("no frame '" + marker + "' on the packet socket within 2 s");
  }

  private static byte[] readMarked(TunDevice tap, String marker) {
    return readMarked(tap, 0, marker);
  }

  private static byte[] readMarked(TunDevice tap, int headerSize, String marker) {
    byte[] buf = new byte[65536];
    long deadline = System.currentTimeMillis() + 2000;
    while (System.currentTimeMillis() < deadline) {
      if ((tap.poll(POLLIN, 200) & POLLIN) != 0) {
        int n = tap.read(buf);
        if (hasMarker(buf, headerSize, n, marker)) {
          return Arrays.copyOf(buf, n);
        }
      }
    }
    throw new AssertionError("no frame '" + marker + "' read from the tap within 2 s");
  }
}
