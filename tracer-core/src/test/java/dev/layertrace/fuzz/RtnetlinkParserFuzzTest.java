package dev.layertrace.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.netlink.NetlinkErrorException;
import dev.layertrace.netlink.NetlinkMessage;
import dev.layertrace.netlink.NetlinkParseException;
import dev.layertrace.netlink.ReplyCollector;
import dev.layertrace.netlink.Rtnl;
import dev.layertrace.netlink.RtnetlinkParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes the rtnetlink parser with the dumps recorded from real namespaces (resources/netlink) as
 * seeds: mutated, truncated, and generated from scratch as well-framed messages with random
 * attributes. Only {@link NetlinkParseException} (or {@link NetlinkErrorException} for an
 * NLMSG_ERROR that carries an errno, which is the kernel's answer, not a parse failure) may escape.
 * Bound: 3 × 1500 tries, at most 15 s for the class.
 */
class RtnetlinkParserFuzzTest {
  private static final List<byte[]> SEEDS = Seeds.files("/netlink/scratch", ".bin");
  private static final int[] REQUEST_TYPES = {Rtnl.RTM_GETLINK, Rtnl.RTM_GETADDR, Rtnl.RTM_GETROUTE,
      Rtnl.RTM_GETRULE, Rtnl.RTM_GETNEIGH, Rtnl.RTM_GETNSID};
  private static final FuzzHarness HARNESS = new FuzzHarness("rtnetlink",
      t -> t instanceof NetlinkParseException || t instanceof NetlinkErrorException, Duration.ofSeconds(15));

  @AfterContainer
  static void report() {
    System.out.println(HARNESS.summary());
    HARNESS.close();
  }

  /** Everything the package offers for a dump: split, collect as a reply, and parse each message by type. */
  static Object parseAll(byte[] data, int requestType) {
    List<NetlinkMessage> ms = RtnetlinkParser.split(data, 0, data.length);
    int parsed = 0;
    for (NetlinkMessage m : ms) {
      Object r = switch (m.type()) {
        case Rtnl.RTM_NEWLINK -> RtnetlinkParser.link(m);
        case Rtnl.RTM_NEWADDR -> RtnetlinkParser.address(m);
        case Rtnl.RTM_NEWROUTE -> RtnetlinkParser.route(m);
        case Rtnl.RTM_NEWRULE -> RtnetlinkParser.rule(m);
        case Rtnl.RTM_NEWNEIGH -> RtnetlinkParser.neighbour(m);
        case Rtnl.RTM_NEWNSID -> RtnetlinkParser.nsid(m);
        case Rtnl.NLMSG_ERROR -> RtnetlinkParser.errno(m) + RtnetlinkParser.erroredRequestType(m);
        default -> null;
      };
      if (r != null) {
        r.toString();
        parsed++;
      }
    }
    ReplyCollector.ofRecorded(data, requestType);
    return parsed;
  }

  @Property(tries = 1500)
  void mutatedDumpsFailOnlyWithParseErrors(@ForAll("seed") int seed, @ForAll("ops") List<Integer> ops,
      @ForAll("requestType") int requestType) {
    byte[] input = Mutations.apply(SEEDS.get(seed), ops);
    HARNESS.check("seed " + seed + " ops " + ops, () -> parseAll(input, requestType));
  }

  @Property(tries = 1500)
  void truncatedDumpsFailOnlyWithParseErrors(@ForAll("seed") int seed, @ForAll("fraction") double fraction,
      @ForAll("requestType") int requestType) {
    byte[] s = SEEDS.get(seed);
    byte[] input = Arrays.copyOf(s, (int) (s.length * fraction));
    HARNESS.check("seed " + seed + " cut at " + input.length, () -> parseAll(input, requestType));
  }

  @Property(tries = 1500)
  void generatedMessagesFailOnlyWithParseErrors(@ForAll("messages") byte[] input,
      @ForAll("requestType") int requestType) {
    HARNESS.check(FuzzHarness.hex(input), () -> parseAll(input, requestType));
  }

  @Property(tries = 1)
  void seedsParseCleanly() {
    // The recorded dumps are the baseline: if they failed, every mutation result above would mean little.
    for (byte[] s : SEEDS) {
      assertThat(RtnetlinkParser.split(s, 0, s.length)).isNotEmpty();
    }
  }

  @Provide
  Arbitrary<Integer> seed() {
    return Arbitraries.integers().between(0, SEEDS.size() - 1);
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
  Arbitrary<Integer> requestType() {
    return Arbitraries.of(Arrays.stream(REQUEST_TYPES).boxed().toList());
  }

  /** One to four well-framed netlink messages of the types the parser knows, with random attributes. */
  @Provide
  Arbitrary<byte[]> messages() {
    Arbitrary<Integer> type = Arbitraries.of(Rtnl.RTM_NEWLINK, Rtnl.RTM_NEWADDR, Rtnl.RTM_NEWROUTE,
        Rtnl.RTM_NEWRULE, Rtnl.RTM_NEWNEIGH, Rtnl.RTM_NEWNSID, Rtnl.NLMSG_ERROR, Rtnl.NLMSG_DONE,
        Rtnl.NLMSG_NOOP, Rtnl.NLMSG_OVERRUN);
    Arbitrary<byte[]> fixed = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(20);
    Arbitrary<byte[]> attr = Combinators.combine(
            Arbitraries.integers().between(0, 45),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(24),
            Arbitraries.integers().between(-3, 3))
        .as((t, v, lenSkew) -> attribute(t, v, lenSkew));
    Arbitrary<byte[]> message = Combinators.combine(type, Arbitraries.integers().between(0, 0xffff), fixed,
            attr.list().ofMaxSize(6))
        .as(RtnetlinkParserFuzzTest::message);
    return message.list().ofMinSize(1).ofMaxSize(4).map(RtnetlinkParserFuzzTest::concat);
  }

  /** An rtattr; a non-zero {@code lenSkew} makes its length field lie. Nested kinds get an inner attribute. */
  private static byte[] attribute(int type, byte[] value, int lenSkew) {
    byte[] v = value;
    if (type == Rtnl.IFLA_LINKINFO && value.length > 0) {
      // IFLA_INFO_KIND "tun" and an IFLA_INFO_DATA holding whatever was generated: reaches the nested reads.
      v = concat(List.of(attribute(Rtnl.IFLA_INFO_KIND, "tun\0".getBytes(), 0),
          attribute(Rtnl.IFLA_INFO_DATA, value, lenSkew)));
      lenSkew = 0;
    }
    int len = 4 + v.length;
    ByteBuffer b = ByteBuffer.allocate((len + 3) & ~3).order(ByteOrder.nativeOrder());
    b.putShort((short) Math.max(0, len + lenSkew)).putShort((short) type).put(v);
    return b.array();
  }

  /** The fixed header that precedes the attributes of each message type (ifinfomsg, ifaddrmsg, rtmsg, …). */
  private static int fixedLength(int type) {
    return switch (type) {
      case Rtnl.RTM_NEWLINK -> 16;
      case Rtnl.RTM_NEWADDR -> 8;
      case Rtnl.RTM_NEWROUTE, Rtnl.RTM_NEWRULE, Rtnl.RTM_NEWNEIGH -> 12;
      case Rtnl.NLMSG_ERROR -> 20;
      default -> 4;
    };
  }

  private static byte[] message(int type, int flags, byte[] generated, List<byte[]> attrs) {
    // Mostly the right header length so the attributes are reached; one in eight keeps the generated length.
    byte[] fixed = (flags & 7) == 0 ? generated : Arrays.copyOf(generated, fixedLength(type));
    byte[] body = concat(List.of(fixed, new byte[(4 - fixed.length % 4) % 4], concat(attrs)));
    ByteBuffer b = ByteBuffer.allocate(Rtnl.NLMSG_HDRLEN + body.length).order(ByteOrder.nativeOrder());
    b.putInt(Rtnl.NLMSG_HDRLEN + body.length).putShort((short) type).putShort((short) flags).putInt(1).putInt(0)
        .put(body);
    return b.array();
  }

  static byte[] concat(List<byte[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    ByteBuffer b = ByteBuffer.allocate(n);
    parts.forEach(b::put);
    return b.array();
  }
}
