package dev.layertrace.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.Direction;
import dev.layertrace.model.Protocol;
import dev.layertrace.packet.EthernetFrame;
import dev.layertrace.packet.IcmpMessage;
import dev.layertrace.packet.Ipv4Header;
import dev.layertrace.packet.PacketBuilder;
import dev.layertrace.packet.TcpSegment;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The generated BPF filters and the exact matcher, run over built probes and recorded frames. */
class ProbeFilterTest {
  static final String CTR_MAC = "02:42:ac:11:00:02";
  static final String GW_MAC = "02:42:ac:11:00:01";
  final ProbeId mine = new ProbeId(0x3f9c);
  final ProbeId other = new ProbeId(0x3f9d);

  static Inet4Address ip(String s) throws Exception {
    return (Inet4Address) InetAddress.getByName(s);
  }

  byte[] frame(byte[] ip) {
    return PacketBuilder.ethernet(GW_MAC, CTR_MAC, EthernetFrame.TYPE_IPV4, ip);
  }

  ProbeSpec spec(Protocol p) throws Exception {
    int port = p == Protocol.ICMP ? 0 : p == Protocol.UDP ? 33434 : 80;
    return new ProbeSpec(p, ip("172.17.0.2"), ip("198.51.100.10"), port, 0, false, 64);
  }

  /** A reply as the remote would send it, after NAT: addresses swapped and rewritten. */
  byte[] reply(Protocol p, byte[] request) throws Exception {
    Ipv4Header back = new Ipv4Header(ip("198.51.100.10"), ip("203.0.113.2"), 1, 64, false);
    var req = dev.layertrace.packet.Ipv4Packet.parse(request);
    return switch (p) {
      case ICMP -> PacketBuilder.icmp(back, IcmpMessage.ECHO_REPLY, 0, req.icmp().orElseThrow().id(), 1,
          req.icmp().orElseThrow().body());
      case UDP -> PacketBuilder.icmp(back, IcmpMessage.DEST_UNREACHABLE, 3, 0, 0, request);
      case TCP -> PacketBuilder.tcp(back, 80, req.tcp().orElseThrow().srcPort(), 0,
          req.tcp().orElseThrow().seq() + 1, TcpSegment.RST | TcpSegment.ACK, 0, new byte[0], new byte[0]);
    };
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void acceptsItsRequestAndReplyAndNotAnotherTraces(Protocol p) throws Exception {
    BpfProgram f = ProbeFilter.program(p, List.of(mine), List.of(ip("172.17.0.1")));
    ProbeMatcher m = new ProbeMatcher(List.of(mine));
    byte[] req = ProbePackets.build(spec(p), mine, 1);
    byte[] otherReq = ProbePackets.build(spec(p), other, 1);
    assertThat(ClassicBpf.run(f, frame(req))).as(f.listing()).isPositive();
    assertThat(ClassicBpf.run(f, frame(otherReq))).isZero();
    assertThat(ClassicBpf.run(f, frame(reply(p, req)))).as(f.listing()).isPositive();
    assertThat(ClassicBpf.run(f, frame(reply(p, otherReq)))).isZero();

    assertThat(m.classify(frame(req), frame(req).length)).get()
        .satisfies(s -> assertThat(s.direction()).isEqualTo(Direction.REQUEST))
        .satisfies(s -> assertThat(s.probe()).isEqualTo(mine));
    assertThat(m.classify(frame(reply(p, req)), frame(reply(p, req)).length)).get()
        .satisfies(s -> assertThat(s.direction()).isEqualTo(Direction.REPLY));
    assertThat(m.classify(frame(otherReq), frame(otherReq).length)).isEmpty();
    assertThat(dev.layertrace.packet.Ipv4Packet.parse(req).totalLength()).isEqualTo(ProbeSpec.defaultSize(p));
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aRunOfConsecutiveIdsIsOneRangeThatAcceptsEachOfThemAndNoNeighbour(Protocol p) throws Exception {
    // trace --repeat: one filter for every round's ids, however many.
    List<ProbeId> run = ProbeId.allocate(100, new java.util.Random(7));
    BpfProgram f = ProbeFilter.program(p, run, List.of());
    List<ProbeId> everyOther = run.stream().filter(id -> id.value() % 2 == 0).limit(16).toList();
    assertThat(f.instructions().size()).isLessThan(ProbeFilter.program(p, everyOther, List.of()).instructions().size());
    for (ProbeId id : List.of(run.get(0), run.get(57), run.get(99))) {
      byte[] req = ProbePackets.build(spec(p), id, 1);
      assertThat(ClassicBpf.run(f, frame(req))).as(id + "\n" + f.listing()).isPositive();
      assertThat(ClassicBpf.run(f, frame(reply(p, req)))).as(id.toString()).isPositive();
    }
    for (ProbeId outside : List.of(new ProbeId(run.get(0).value() - 1), new ProbeId(run.get(99).value() + 1))) {
      byte[] req = ProbePackets.build(spec(p), outside, 1);
      assertThat(ClassicBpf.run(f, frame(req))).as(outside.toString()).isZero();
      assertThat(ClassicBpf.run(f, frame(reply(p, req)))).as(outside.toString()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void scatteredIdsAreMatchedOneByOneAndAtMostSixteen(Protocol p) throws Exception {
    List<ProbeId> scattered = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      scattered.add(new ProbeId(0x1000 + 3 * i));
    }
    BpfProgram f = ProbeFilter.program(p, scattered, List.of());
    for (ProbeId id : scattered) {
      byte[] req = ProbePackets.build(spec(p), id, 1);
      assertThat(ClassicBpf.run(f, frame(req))).as(id.toString()).isPositive();
      assertThat(ClassicBpf.run(f, frame(reply(p, req)))).as(id.toString()).isPositive();
    }
    byte[] between = ProbePackets.build(spec(p), new ProbeId(0x1001), 1);
    assertThat(ClassicBpf.run(f, frame(between))).isZero();
    assertThat(ClassicBpf.run(f, frame(reply(p, between)))).isZero();
    List<ProbeId> seventeen = new ArrayList<>(scattered);
    seventeen.add(new ProbeId(0x2000));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProbeFilter.program(p, seventeen, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void icmpErrorsQuotingTheProbeAreReplies() throws Exception {
    byte[] req = ProbePackets.build(new ProbeSpec(Protocol.ICMP, ip("172.17.0.2"), ip("198.51.100.10"), 0, 1500,
        true, 64), mine, 1);
    Ipv4Header gw = new Ipv4Header(ip("172.17.0.1"), ip("172.17.0.2"), 9, 64, false);
    byte[] tooBig = PacketBuilder.icmp(gw, IcmpMessage.DEST_UNREACHABLE, IcmpMessage.CODE_FRAG_NEEDED, 0, 1400,
        java.util.Arrays.copyOf(req, 548));
    BpfProgram f = ProbeFilter.program(Protocol.ICMP, List.of(mine), List.of());
    assertThat(ClassicBpf.run(f, frame(tooBig))).isPositive();
    Sighting s = new ProbeMatcher(List.of(mine)).classify(EthernetFrame.parse(frame(tooBig))).orElseThrow();
    assertThat(s.direction()).isEqualTo(Direction.REPLY);
    assertThat(s.icmpError()).isEqualTo("3/4");
  }

  @Test
  void arpOnlyForThePathsAddresses() throws Exception {
    BpfProgram f = ProbeFilter.program(Protocol.ICMP, List.of(mine), List.of(ip("172.16.0.9")));
    byte[] who = PacketBuilder.ethernet("ff:ff:ff:ff:ff:ff", "06:00:ac:10:00:02", EthernetFrame.TYPE_ARP,
        PacketBuilder.arp(1, "06:00:ac:10:00:02", ip("172.16.0.2"), "00:00:00:00:00:00", ip("172.16.0.9")));
    byte[] unrelated = PacketBuilder.ethernet("ff:ff:ff:ff:ff:ff", "06:00:ac:10:00:02", EthernetFrame.TYPE_ARP,
        PacketBuilder.arp(1, "06:00:ac:10:00:02", ip("172.16.0.2"), "00:00:00:00:00:00", ip("172.16.0.1")));
    assertThat(ClassicBpf.run(f, who)).isPositive();
    assertThat(ClassicBpf.run(f, unrelated)).isZero();
  }

  @Test
  void recordedKernelTrafficIsFilteredExactly() throws Exception {
    // Frames recorded by packet/record-fixtures.sh: the echo carries id 3f9c and marker "LT" 3f 9c.
    List<byte[]> frames = frames("/packet/scratch-a-eth0.pcap");
    BpfProgram f = ProbeFilter.program(Protocol.ICMP, List.of(mine), List.of(ip("172.17.5.1")));
    List<Integer> accepted = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      if (ClassicBpf.run(f, frames.get(i)) > 0) {
        accepted.add(i);
      }
    }
    // ARP request+reply, echo request+reply, the DF echo and its frag-needed, the TTL-1 echo and its
    // time-exceeded; not the UDP or TCP traffic.
    assertThat(accepted).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    ProbeMatcher m = new ProbeMatcher(List.of(mine));
    assertThat(m.classify(frames.get(3), frames.get(3).length).orElseThrow().direction()).isEqualTo(Direction.REPLY);
    assertThat(m.classify(frames.get(7), frames.get(7).length).orElseThrow().icmpError()).isEqualTo("11/0");
    assertThat(m.classify(frames.get(10), frames.get(10).length)).isEmpty();
  }

  @Test
  void garbageNeverMatches() {
    ProbeMatcher m = new ProbeMatcher(List.of(mine));
    java.util.Random r = new java.util.Random(3);
    BpfProgram f = ProbeFilter.program(Protocol.TCP, List.of(mine), List.of());
    for (int i = 0; i < 5000; i++) {
      byte[] b = new byte[r.nextInt(80)];
      r.nextBytes(b);
      m.classify(b, b.length); // must not throw
      ClassicBpf.run(f, b); // must not run off the program
    }
  }

  static List<byte[]> frames(String resource) throws Exception {
    try (InputStream in = ProbeFilterTest.class.getResourceAsStream(resource)) {
      ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
      List<byte[]> out = new ArrayList<>();
      for (int pos = 24; pos + 16 <= b.limit(); ) {
        int caplen = b.getInt(pos + 8);
        byte[] f = new byte[caplen];
        b.get(pos + 16, f);
        out.add(f);
        pos += 16 + caplen;
      }
      return out;
    }
  }
}
