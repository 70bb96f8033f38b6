package dev.layertrace.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.packet.EthernetFrame;
import dev.layertrace.packet.Ipv4Packet;
import dev.layertrace.packet.PacketParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes the packet parse factories ({@link EthernetFrame#parse}, {@link Ipv4Packet#parseQuoted}) and
 * every accessor that decodes further (transport, the packet an ICMP error quotes) with the frames
 * of the recorded pcap fixtures (resources/packet) as seeds. Only {@link PacketParseException} may
 * escape. Bound: 3 × 1500–3000 tries, at most 10 s.
 */
class PacketParserFuzzTest {
  private static final List<byte[]> FRAMES = Seeds.pcapFrames("/packet");
  private static final FuzzHarness HARNESS = new FuzzHarness("packet",
      t -> t instanceof PacketParseException, Duration.ofSeconds(10));

  @AfterContainer
  static void report() {
    System.out.println(HARNESS.summary() + " (seeds: " + FRAMES.size() + " recorded frames)");
    HARNESS.close();
  }

  /** Parses a frame and walks everything it decodes lazily. */
  static Object parseDeep(byte[] frame) {
    EthernetFrame f = EthernetFrame.parse(frame);
    f.arp().ifPresent(Object::toString);
    f.ipv4().ifPresent(PacketParserFuzzTest::walk);
    return f;
  }

  private static void walk(Ipv4Packet ip) {
    ip.summary();
    ip.udp().ifPresent(Object::toString);
    ip.tcp().ifPresent(Object::toString);
    ip.icmp().ifPresent(icmp -> {
      icmp.payload();
      icmp.quoted().ifPresent(Ipv4Packet::summary);
    });
  }

  @Property(tries = 3000)
  void mutatedFrames(@ForAll("frame") int seed, @ForAll("ops") List<Integer> ops) {
    byte[] input = Mutations.apply(FRAMES.get(seed), ops);
    HARNESS.check("frame " + seed + " ops " + ops, () -> parseDeep(input));
    // The same bytes from the IP header on, as an ICMP error would quote them.
    if (input.length > 14) {
      byte[] ip = Arrays.copyOfRange(input, 14, input.length);
      HARNESS.check("quoted frame " + seed + " ops " + ops, () -> {
        walk(Ipv4Packet.parseQuoted(ip));
        return null;
      });
    }
  }

  @Property(tries = 1500)
  void truncatedFrames(@ForAll("frame") int seed, @ForAll("fraction") double fraction) {
    byte[] f = FRAMES.get(seed);
    byte[] input = Arrays.copyOf(f, (int) (f.length * fraction));
    HARNESS.check("frame " + seed + " cut at " + input.length, () -> parseDeep(input));
    HARNESS.check("frame " + seed + " receive length " + input.length + " in a longer buffer",
        () -> EthernetFrame.parse(f, input.length));
  }

  @Property(tries = 1500)
  void generatedFrames(@ForAll("bytes") byte[] input, @ForAll("etherType") int etherType,
      @ForAll("protocol") int protocol) {
    // A plausible Ethernet + IPv4 start so random bytes reach the transport decoders too.
    byte[] b = input.clone();
    if (b.length > 14 + 20) {
      b[12] = (byte) (etherType >>> 8);
      b[13] = (byte) etherType;
      b[14] = (byte) (0x40 | (b[14] & 0x0f));
      b[14 + 9] = (byte) protocol;
    }
    HARNESS.check(FuzzHarness.hex(b), () -> parseDeep(b));
  }

  @Property(tries = 1)
  void seedsParse() {
    assertThat(FRAMES).isNotEmpty();
    FRAMES.forEach(f -> assertThat(parseDeep(f)).isNotNull());
  }

  @Provide
  Arbitrary<Integer> frame() {
    return Arbitraries.integers().between(0, FRAMES.size() - 1);
  }

  @Provide
  Arbitrary<List<Integer>> ops() {
    return Arbitraries.integers().list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<Double> fraction() {
    return Arbitraries.doubles().between(0, 1);
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
  }

  @Provide
  Arbitrary<Integer> etherType() {
    return Arbitraries.of(EthernetFrame.TYPE_IPV4, EthernetFrame.TYPE_ARP, EthernetFrame.TYPE_VLAN, 0x86dd);
  }

  @Provide
  Arbitrary<Integer> protocol() {
    return Arbitraries.of(Ipv4Packet.ICMP, Ipv4Packet.TCP, Ipv4Packet.UDP, 0, 255);
  }
}
