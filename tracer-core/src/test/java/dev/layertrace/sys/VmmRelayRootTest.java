package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.lab.RelayCounters;
import dev.layertrace.testing.RootOnly;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay between two real taps in two scratch namespaces (guest {@code eth0} 172.16.0.2/30, host
 * {@code tap0} 172.16.0.1/30, as in the lab): a TCP transfer arrives whole, and with offloads it
 * crosses as GSO packets larger than any 1500-byte-MTU frame, without them as frames of at most 1514
 * bytes. The counters count packets as read and Ethernet bytes without the virtio-net header.
 */
@RootOnly
class VmmRelayRootTest {
  private static final int TRANSFER = 16 << 20;
  /** Largest Ethernet frame at MTU 1500 (no VLAN tag, no FCS). */
  private static final int MTU_FRAME = 1514;

  @ParameterizedTest(name = "offloads {0}")
  @ValueSource(booleans = {true, false})
  void aTcpTransferCrossesTheRelayInGsoPacketsOnlyWithOffloads(boolean offloads, @TempDir Path dir)
      throws Exception {
    try (ScratchNetns guest = ScratchNetns.create("relay-g"); ScratchNetns host = ScratchNetns.create("relay-h")) {
      guest.ip("tuntap", "add", "dev", "eth0", "mode", "tap");
      guest.ip("addr", "add", "172.16.0.2/30", "dev", "eth0");
      guest.ip("link", "set", "eth0", "up");
      host.ip("tuntap", "add", "dev", "tap0", "mode", "tap");
      host.ip("addr", "add", "172.16.0.1/30", "dev", "tap0");
      host.ip("link", "set", "tap0", "up");

      VmmRelay relay = VmmRelay.open(guest.name(), "eth0", host.name(), "tap0", dir.resolve("vmm.state"), 2_000,
          offloads);
      Thread relaying = new Thread(relay::run, "lt-tsys-relay");
      relaying.setDaemon(true);
      relaying.start();
      try (NetnsExecutor g = NetnsExecutor.enter(guest.netns());
          NetnsExecutor h = NetnsExecutor.enter(host.netns());
          // A socket belongs to the namespace of the thread that creates it.
          ServerSocket server = h.call(() -> new ServerSocket(5201, 1, InetAddress.getByName("172.16.0.1")))) {
        CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> drain(server));
        try (Socket client = g.call(() -> {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("172.16.0.1", 5201), 5_000);
          return s;
        })) {
          OutputStream out = client.getOutputStream();
          byte[] chunk = new byte[64 << 10];
          for (int sent = 0; sent < TRANSFER; sent += chunk.length) {
            out.write(chunk);
          }
        }
        assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo((long) TRANSFER);
      } finally {
        relay.stop();
        relaying.join(2_000);
      }

      RelayCounters c = relay.counters("test");
      assertThat(c.dropped()).isZero();
      assertThat(c.guestToHostBytes()).as("the payload and its headers").isGreaterThan(TRANSFER);
      long averageFrame = c.guestToHostBytes() / c.guestToHostFrames();
      if (offloads) {
        assertThat(averageFrame).as("GSO packets, not MTU-sized frames").isGreaterThan(4 * MTU_FRAME);
      } else {
        assertThat(averageFrame).isLessThanOrEqualTo(MTU_FRAME);
      }
    }
  }

  private static long drain(ServerSocket server) {
    try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
      byte[] buf = new byte[64 << 10];
      long total = 0;
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
      }
      return total;
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
