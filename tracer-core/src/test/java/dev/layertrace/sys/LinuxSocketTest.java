package dev.layertrace.sys;

import static dev.layertrace.sys.LinuxConstants.AF_INET;
import static dev.layertrace.sys.LinuxConstants.AF_PACKET;
import static dev.layertrace.sys.LinuxConstants.ETH_P_ALL;
import static dev.layertrace.sys.LinuxConstants.IPPROTO_ICMP;
import static dev.layertrace.sys.LinuxConstants.IPPROTO_UDP;
import static dev.layertrace.sys.LinuxConstants.POLLIN;
import static dev.layertrace.sys.LinuxConstants.SOCK_DGRAM;
import static dev.layertrace.sys.LinuxConstants.SOCK_RAW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.layertrace.testing.RootOnly;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sockets opened on a NetnsExecutor live in the scratch namespace: everything here talks to
 * 127.0.0.1 of lt-tsys-sock only, after the sockets were opened there, from the test's own thread.
 */
@RootOnly
class LinuxSocketTest {
  private static final Inet4Address LOOPBACK = (Inet4Address) InetAddress.getLoopbackAddress();
  private static final int ETHERNET_HEADER = 14;
  private static ScratchNetns scratch;
  private static NetnsExecutor ns;

  @BeforeAll
  static void createNamespace() {
    scratch = ScratchNetns.create("sock");
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
  void aRawIcmpSocketGetsTheEchoReplyOfTheNamespacesLoopback() {
    int id = 0x4c54;
    try (LinuxSocket icmp = ns.call(() -> LinuxSocket.open(AF_INET, SOCK_RAW, IPPROTO_ICMP))) {
      byte[] echo = Icmp.echoRequest(id, 1, "layertrace".getBytes(StandardCharsets.US_ASCII));
      assertThat(icmp.sendTo(echo, 0, echo.length, 0, Sockaddrs.inet(LOOPBACK, 0))).isEqualTo(echo.length);
      byte[] buf = new byte[2048];
      long deadline = System.currentTimeMillis() + 2000;
      while (System.currentTimeMillis() < deadline) {
        if ((icmp.poll(POLLIN, 200) & POLLIN) == 0) {
          continue;
        }
        int n = icmp.recv(buf, 0, buf.length, 0);
        int off = Icmp.icmpOffset(buf, 0, n); // a raw IPv4 socket receives the IP header too
        // Our own request is delivered to the raw socket as well; wait for the reply.
        if (off >= 0 && Icmp.type(buf, off) == LinuxConstants.ICMP_ECHOREPLY && Icmp.id(buf, off) == id) {
          assertThat(new String(buf, off + 8, n - off - 8, StandardCharsets.US_ASCII)).isEqualTo("layertrace");
          return;
        }
      }
      fail("no echo reply from 127.0.0.1 in " + scratch.name() + " within 2 s");
    }
  }

  @Test
  void recvIntoADirectBufferTouchesOnlyTheBytesReceivedAndTruncSaysTheRealLength() {
    try (LinuxSocket rx = ns.call(() -> LinuxSocket.open(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        LinuxSocket tx = ns.call(() -> LinuxSocket.open(AF_INET, SOCK_DGRAM, IPPROTO_UDP))) {
      rx.bind(Sockaddrs.inet(LOOPBACK, 0));
      byte[] to = Sockaddrs.inet(LOOPBACK, Sockaddrs.inetPort(rx.getsockname()));
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(8);
      for (int i = 0; i < 8; i++) {
        buf.put(i, (byte) 0x55);
      }
      byte[] msg = "hello".getBytes(StandardCharsets.US_ASCII);
      tx.sendTo(msg, 0, msg.length, 0, to);
      assertThat(rx.recv(buf, 0)).isEqualTo(5);
      byte[] got = new byte[8];
      buf.get(0, got);
      assertThat(new String(got, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
      assertThat(got[5]).isEqualTo((byte) 0x55); // beyond the datagram: untouched
      // A datagram larger than the buffer: MSG_TRUNC gives its real length, so a caller can tell.
      byte[] big = "a datagram of 26 bytes....".getBytes(StandardCharsets.US_ASCII);
      tx.sendTo(big, 0, big.length, 0, to);
      assertThat(rx.recv(buf, LinuxConstants.MSG_TRUNC)).isEqualTo(26);
      assertThat(rx.recv(buf, LinuxConstants.MSG_DONTWAIT)).isEqualTo(-1);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> rx.recv(java.nio.ByteBuffer.allocate(8), 0))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void udpThroughSockaddrsRoundTripsInTheKernel() {
    try (LinuxSocket rx = ns.call(() -> LinuxSocket.open(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        LinuxSocket tx = ns.call(() -> LinuxSocket.open(AF_INET, SOCK_DGRAM, IPPROTO_UDP))) {
      rx.bind(Sockaddrs.inet(LOOPBACK, 0));
      tx.bind(Sockaddrs.inet(LOOPBACK, 0));
      byte[] rxAddr = rx.getsockname();
      assertThat(Sockaddrs.inetAddress(rxAddr)).isEqualTo(LOOPBACK);
      int rxPort = Sockaddrs.inetPort(rxAddr);
      assertThat(rxPort).isPositive();
      byte[] msg = "hello".getBytes(StandardCharsets.US_ASCII);
      tx.sendTo(msg, 0, msg.length, 0, Sockaddrs.inet(LOOPBACK, rxPort));
      assertThat(rx.poll(POLLIN, 2000) & POLLIN).isNotZero();
      byte[] buf = new byte[64];
      RecvResult r = rx.recvFrom(buf, 3, 10, 0);
      assertThat(r.length()).isEqualTo(5);
      assertThat(new String(buf, 3, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
      assertThat(r.source()).hasSize(Sockaddrs.INET_SIZE);
      assertThat(Sockaddrs.inetPort(r.source())).isEqualTo(Sockaddrs.inetPort(tx.getsockname()));
      assertThat(Sockaddrs.inetAddress(r.source())).isEqualTo(LOOPBACK);
      // Nothing more is queued: a non-blocking read says so with null / -1.
      assertThat(rx.recvFrom(buf, 0, buf.length, LinuxConstants.MSG_DONTWAIT)).isNull();
      rx.setNonBlocking(true);
      assertThat(rx.recv(buf, 0, buf.length, 0)).isEqualTo(-1);
    }
  }

  @Test
  void aPacketSocketWithAnIcmpOnlyFilterSeesTheEchoButNotUdp() {
    int lo = ns.call(() -> Interfaces.index("lo"));
    try (LinuxSocket filtered = ns.call(() -> LinuxSocket.open(AF_PACKET, SOCK_RAW, Sockaddrs.htons(ETH_P_ALL)));
        LinuxSocket unfiltered = ns.call(() -> LinuxSocket.open(AF_PACKET, SOCK_RAW, Sockaddrs.htons(ETH_P_ALL)));
        LinuxSocket udp = ns.call(() -> LinuxSocket.open(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        LinuxSocket sink = ns.call(() -> LinuxSocket.open(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
        LinuxSocket icmp = ns.call(() -> LinuxSocket.open(AF_INET, SOCK_RAW, IPPROTO_ICMP))) {
      acceptOnlyIcmp(filtered);
      filtered.bind(Sockaddrs.packet(ETH_P_ALL, lo));
      unfiltered.bind(Sockaddrs.packet(ETH_P_ALL, lo));

      sink.bind(Sockaddrs.inet(LOOPBACK, 0)); // a listener, so that the datagram draws no ICMP port-unreachable
      byte[] datagram = "not icmp".getBytes(StandardCharsets.US_ASCII);
      udp.sendTo(datagram, 0, datagram.length, 0, Sockaddrs.inet(LOOPBACK, Sockaddrs.inetPort(sink.getsockname())));
      byte[] echo = Icmp.echoRequest(0x7473, 2, new byte[16]);
      icmp.sendTo(echo, 0, echo.length, 0, Sockaddrs.inet(LOOPBACK, 0));

      byte[] buf = new byte[2048];
      // Without the filter the UDP datagram comes first; with it the first frame is the echo request.
      assertThat(unfiltered.poll(POLLIN, 2000) & POLLIN).isNotZero();
      RecvResult first = unfiltered.recvFrom(buf, 0, buf.length, 0);
      assertThat(buf[ETHERNET_HEADER + 9]).isEqualTo((byte) IPPROTO_UDP);
      assertThat(Sockaddrs.packetIfindex(first.source())).isEqualTo(lo);

      // Everything the filter lets through is ICMP, and the echo request is among it.
      boolean echoSeen = false;
      while (!echoSeen && (filtered.poll(POLLIN, 2000) & POLLIN) != 0) {
        RecvResult seen = filtered.recvFrom(buf, 0, buf.length, 0);
        int off = Icmp.icmpOffset(buf, ETHERNET_HEADER, seen.length());
        assertThat(off).as("a frame let through by the filter is ICMP").isPositive();
        assertThat(Sockaddrs.packetProtocol(seen.source())).isEqualTo(LinuxConstants.ETH_P_IP);
        echoSeen = Icmp.type(buf, off) == LinuxConstants.ICMP_ECHO && Icmp.id(buf, off) == 0x7473;
      }
      assertThat(echoSeen).as("the echo request was seen on lo").isTrue();
    }
  }

  @Test
  void aRecvWaitingInAnotherThreadFailsWithEbadfWhenTheSocketIsClosed() throws Exception {
    LinuxSocket udp = ns.call(() -> LinuxSocket.open(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
    udp.bind(Sockaddrs.inet(LOOPBACK, 0));
    CompletableFuture<Throwable> waiting = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        udp.recv(new byte[64], 0, 64, 0);
        waiting.complete(null);
      } catch (RuntimeException e) {
        waiting.complete(e);
      }
    }, "lt-tsys-recv");
    reader.setDaemon(true);
    reader.start();
    Thread.sleep(300);
    assertThat(waiting).isNotDone();
    udp.close();
    assertThat(waiting.get(2, TimeUnit.SECONDS)).isInstanceOfSatisfying(SysException.class,
        e -> assertThat(e).hasMessage("recv: EBADF (Bad file descriptor)"));
  }

  /** ldh [12]; jeq #0x800 else drop; ldb [23]; jeq #1 else drop; accept. */
  private static void acceptOnlyIcmp(LinuxSocket s) {
    short ldh = (short) (LinuxConstants.BPF_LD | LinuxConstants.BPF_H | LinuxConstants.BPF_ABS);
    short ldb = (short) (LinuxConstants.BPF_LD | LinuxConstants.BPF_B | LinuxConstants.BPF_ABS);
    short jeq = (short) (LinuxConstants.BPF_JMP | LinuxConstants.BPF_JEQ | LinuxConstants.BPF_K);
    short ret = (short) (LinuxConstants.BPF_RET | LinuxConstants.BPF_K);
    s.attachFilter(
        new short[] {ldh, jeq, ldb, jeq, ret, ret},
        new byte[] {0, 0, 0, 0, 0, 0},
        new byte[] {0, 3, 0, 1, 0, 0},
        new int[] {12, LinuxConstants.ETH_P_IP, 23, IPPROTO_ICMP, 0xFFFF, 0});
  }
}
