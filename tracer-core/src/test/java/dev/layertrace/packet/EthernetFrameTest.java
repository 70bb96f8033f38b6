package dev.layertrace.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Parses frames recorded from a real kernel ({@code record-fixtures.sh} beside the fixtures) and
 * checks that garbage only ever yields {@link PacketParseException}.
 */
class EthernetFrameTest {

  private static List<EthernetFrame> parsed(String pcap) throws Exception {
    return PcapFile.frames("/packet/" + pcap).stream().map(EthernetFrame::parse).toList();
  }

  @Test
  void parsesArpAndIcmpEchoAsTheKernelSentThem() throws Exception {
    List<EthernetFrame> f = parsed("scratch-a-eth0.pcap");
    ArpPacket who = f.get(0).arp().orElseThrow();
    assertThat(who.isRequest()).isTrue();
    assertThat(who.senderIp().getHostAddress()).isEqualTo("172.17.5.2");
    assertThat(who.targetIp().getHostAddress()).isEqualTo("172.17.5.1");
    assertThat(f.get(0).dstMac()).isEqualTo("ff:ff:ff:ff:ff:ff");
    ArpPacket is = f.get(1).arp().orElseThrow();
    assertThat(is.isReply()).isTrue();
    assertThat(is.senderMac()).isEqualTo(f.get(1).srcMac());

    Ipv4Packet req = f.get(2).ipv4().orElseThrow();
    assertThat(req.checksumValid()).isTrue();
    assertThat(req.src().getHostAddress()).isEqualTo("172.17.5.2");
    assertThat(req.dst().getHostAddress()).isEqualTo("198.51.100.10");
    assertThat(req.ttl()).isEqualTo(64);
    assertThat(req.totalLength()).isEqualTo(84);
    IcmpMessage echo = req.icmp().orElseThrow();
    assertThat(echo.type()).isEqualTo(IcmpMessage.ECHO_REQUEST);
    assertThat(echo.id()).isEqualTo(0x3f9c);
    assertThat(echo.seq()).isEqualTo(1);
    assertThat(echo.body()).startsWith((byte) 'L', (byte) 'T', (byte) 0x3f, (byte) 0x9c);
    byte[] ip = java.util.Arrays.copyOfRange(PcapFile.frames("/packet/scratch-a-eth0.pcap").get(2), 14, 14 + 84);
    assertThat(Checksums.internet(ip, 20, 64)).as("ICMP checksum verifies").isZero();

    IcmpMessage reply = f.get(3).ipv4().orElseThrow().icmp().orElseThrow();
    assertThat(reply.type()).isEqualTo(IcmpMessage.ECHO_REPLY);
    assertThat(reply.body()).startsWith((byte) 'L', (byte) 'T');
  }

  @Test
  void icmpErrorsQuoteTheOffendingPacket() throws Exception {
    List<EthernetFrame> f = parsed("scratch-a-eth0.pcap");
    IcmpMessage tooBig = f.get(5).ipv4().orElseThrow().icmp().orElseThrow();
    assertThat(tooBig.type()).isEqualTo(IcmpMessage.DEST_UNREACHABLE);
    assertThat(tooBig.code()).isEqualTo(IcmpMessage.CODE_FRAG_NEEDED);
    assertThat(tooBig.seq()).as("next-hop MTU").isEqualTo(1300);
    Ipv4Packet quoted = tooBig.quoted().orElseThrow();
    assertThat(quoted.totalLength()).isEqualTo(1428);
    assertThat(quoted.dontFragment()).isTrue();
    assertThat(quoted.icmp().orElseThrow().id()).isEqualTo(0x3f9c);

    IcmpMessage ttl = f.get(7).ipv4().orElseThrow().icmp().orElseThrow();
    assertThat(ttl.type()).isEqualTo(IcmpMessage.TIME_EXCEEDED);
    assertThat(ttl.quoted().orElseThrow().ttl()).isEqualTo(1);

    IcmpMessage port = f.get(9).ipv4().orElseThrow().icmp().orElseThrow();
    assertThat(port.code()).isEqualTo(IcmpMessage.CODE_PORT_UNREACHABLE);
    UdpDatagram inner = port.quoted().orElseThrow().udp().orElseThrow();
    assertThat(inner.dstPort()).isEqualTo(33434);
    assertThat(new String(inner.data(), java.nio.charset.StandardCharsets.US_ASCII)).startsWith("LTprobe");
  }

  @Test
  void tcpSynAndItsAnswers() throws Exception {
    List<EthernetFrame> f = parsed("scratch-a-eth0.pcap");
    TcpSegment syn = f.get(10).ipv4().orElseThrow().tcp().orElseThrow();
    assertThat(syn.has(TcpSegment.SYN)).isTrue();
    assertThat(syn.dstPort()).isEqualTo(80);
    assertThat(syn.dataOffset()).isEqualTo(40);
    TcpSegment rst = f.get(11).ipv4().orElseThrow().tcp().orElseThrow();
    assertThat(rst.has(TcpSegment.RST)).isTrue();
    assertThat(rst.ack()).isEqualTo((syn.seq() + 1) & 0xFFFFFFFFL);
    TcpSegment synAck = f.get(13).ipv4().orElseThrow().tcp().orElseThrow();
    assertThat(synAck.has(TcpSegment.SYN | TcpSegment.ACK)).isTrue();
    assertThat(synAck.ack()).isEqualTo(f.get(12).ipv4().orElseThrow().tcp().orElseThrow().seq() + 1);
  }

  @Test
  void theFarSideSeesTheMasqueradedSourceAndOneHopLessTtl() throws Exception {
    List<EthernetFrame> f = parsed("scratch-b-eth0.pcap");
    Ipv4Packet req = f.stream().flatMap(e -> e.ipv4().stream()).findFirst().orElseThrow();
    assertThat(req.src().getHostAddress()).isEqualTo("198.51.100.1");
    assertThat(req.ttl()).isEqualTo(63);
    assertThat(req.icmp().orElseThrow().id()).isEqualTo(0x3f9c);
  }

  @Test
  void builtPacketsParseBackWithValidChecksums() throws Exception {
    Inet4Address src = (Inet4Address) InetAddress.getByName("172.17.0.2");
    Inet4Address dst = (Inet4Address) InetAddress.getByName("198.51.100.10");
    Ipv4Header h = new Ipv4Header(src, dst, 4711, 64, true);
    byte[] icmp = PacketBuilder.icmpEcho(h, 0x3f9c, 2, "LT?".getBytes());
    Ipv4Packet p = Ipv4Packet.parse(icmp);
    assertThat(p.checksumValid()).isTrue();
    assertThat(p.dontFragment()).isTrue();
    assertThat(p.identification()).isEqualTo(4711);
    assertThat(Checksums.internet(icmp, 20, icmp.length - 20)).isZero();
    assertThat(p.icmp().orElseThrow().seq()).isEqualTo(2);

    byte[] udp = PacketBuilder.udp(h, 40000, 33434, new byte[] {'L', 'T', 1, 2});
    assertThat(Checksums.transport(src, dst, 17, udp, 20, udp.length - 20)).isZero();
    assertThat(Ipv4Packet.parse(udp).udp().orElseThrow().length()).isEqualTo(12);

    byte[] tcp = PacketBuilder.tcp(h, 40000, 80, 0x4c543f9cL, 0, TcpSegment.SYN, 64240,
        new byte[] {2, 4, 5, (byte) 0xb4}, new byte[0]);
    assertThat(Checksums.transport(src, dst, 6, tcp, 20, tcp.length - 20)).isZero();
    TcpSegment s = Ipv4Packet.parse(tcp).tcp().orElseThrow();
    assertThat(s.seq()).isEqualTo(0x4c543f9cL);
    assertThat(s.dataOffset()).isEqualTo(24);

    byte[] frame = PacketBuilder.ethernet("02:42:ac:11:00:01", "02:42:ac:11:00:02", EthernetFrame.TYPE_IPV4, tcp);
    assertThat(EthernetFrame.parse(frame).ipv4().orElseThrow().tcp()).isPresent();
    // The kernel's own checksum over the recorded echo request agrees with ours.
    byte[] rec = PcapFile.frames("/packet/scratch-a-eth0.pcap").get(2);
    assertThat(Checksums.internet(rec, 14, 20)).isZero();
  }

  @Test
  void everyTruncationOfEveryRecordedFrameFailsTypedOrParses() throws Exception {
    for (String pcap : List.of("scratch-a-eth0.pcap", "scratch-b-eth0.pcap")) {
      for (byte[] frame : PcapFile.frames("/packet/" + pcap)) {
        for (int len = 0; len < frame.length; len++) {
          byte[] cut = java.util.Arrays.copyOf(frame, len);
          try {
            EthernetFrame.parse(cut);
          } catch (PacketParseException expected) {
            assertThat(expected.getMessage()).isNotBlank();
          }
        }
      }
    }
    // A truncated IPv4 packet (total length beyond the bytes) is an error, not a silent short read.
    byte[] echo = PcapFile.frames("/packet/scratch-a-eth0.pcap").get(2);
    assertThatThrownBy(() -> EthernetFrame.parse(java.util.Arrays.copyOf(echo, 60)))
        .isInstanceOf(PacketParseException.class).hasMessageContaining("total length 84");
  }

  @Test
  void randomBytesAndBitFlipsNeverThrowAnythingElse() throws Exception {
    Random r = new Random(7);
    List<byte[]> frames = PcapFile.frames("/packet/scratch-a-eth0.pcap");
    for (int i = 0; i < 20_000; i++) {
      byte[] b;
      if (i % 2 == 0) {
        b = new byte[r.nextInt(120)];
        r.nextBytes(b);
        if (b.length > 14 && r.nextBoolean()) {
          b[12] = 0x08;
          b[13] = (byte) (r.nextBoolean() ? 0x00 : 0x06);
        }
      } else {
        b = frames.get(r.nextInt(frames.size())).clone();
        for (int k = 0; k < 3; k++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      try {
        EthernetFrame.parse(b);
      } catch (PacketParseException expected) {
        // the only failure allowed
      }
    }
  }
}
