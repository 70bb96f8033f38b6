package dev.layertrace.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parses dumps recorded from the scratch lab (see resources/netlink/README.md). */
class RtnetlinkParserTest {

  static byte[] fixture(String path) {
    try (InputStream in = RtnetlinkParserTest.class.getResourceAsStream("/netlink/scratch/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> List<T> parse(String path, int requestType, Function<NetlinkMessage, T> f) {
    return ReplyCollector.ofRecorded(fixture(path), requestType).stream().map(f).toList();
  }

  @Test
  void netconfGivesForwardingAndRpFilterOfEveryDeviceAndOfAllAndDefault() {
    List<Link> links = parse("guest/links.bin", Rtnl.RTM_GETLINK, RtnetlinkParser::link);
    List<Netconf> conf = parse("guest/netconf.bin", Rtnl.RTM_GETNETCONF, RtnetlinkParser::netconf);
    List<Integer> indexes = new java.util.ArrayList<>(links.stream().map(Link::index).toList());
    indexes.add(Rtnl.NETCONFA_IFINDEX_ALL);
    indexes.add(Rtnl.NETCONFA_IFINDEX_DEFAULT);
    assertThat(conf).extracting(Netconf::ifindex).containsExactlyElementsOf(indexes);
    assertThat(conf).allSatisfy(c -> {
      assertThat(c.family()).isEqualTo(Rtnl.AF_INET);
      assertThat(c.forwarding()).isEqualTo(1); // the guest routes (scratch-lab.sh sets ip_forward=1)
      assertThat(c.rpFilter()).isZero();
    });
  }

  @Test
  void guestLinksShowBridgePortTapAndVethPeerInAnotherNamespace() {
    List<Link> links = parse("guest/links.bin", Rtnl.RTM_GETLINK, RtnetlinkParser::link);
    assertThat(links).extracting(Link::name).containsExactly("lo", "veth-ctr", "docker0", "eth0");
    Link lo = links.get(0);
    assertThat(lo.loopback()).isTrue();
    assertThat(lo.kind()).isNull();
    Link veth = links.get(1);
    Link bridge = links.get(2);
    Link tap = links.get(3);
    assertThat(veth.isVeth()).isTrue();
    assertThat(veth.master()).isEqualTo(bridge.index());
    assertThat(veth.slaveKind()).isEqualTo("bridge");
    assertThat(veth.linkNetnsId()).isNotNull();
    assertThat(veth.link()).isPositive();
    assertThat(veth.mtu()).isEqualTo(1500);
    assertThat(veth.operState()).isEqualTo("up");
    assertThat(veth.adminUp()).isTrue();
    assertThat(veth.mac()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    assertThat(bridge.isBridge()).isTrue();
    assertThat(bridge.master()).isZero();
    assertThat(tap.kind()).isEqualTo("tun");
    assertThat(tap.isTap()).isTrue();
    assertThat(tap.tunType()).isEqualTo(Rtnl.TUN_TYPE_TAP);
    assertThat(tap.linkNetnsId()).isNull();
  }

  @Test
  void vethPeerIndexAndNsidMatchTheOtherSide() {
    Link ctrEth0 = parse("ctr/links.bin", Rtnl.RTM_GETLINK, RtnetlinkParser::link).stream()
        .filter(l -> l.name().equals("eth0")).findFirst().orElseThrow();
    Link vethCtr = parse("guest/links.bin", Rtnl.RTM_GETLINK, RtnetlinkParser::link).stream()
        .filter(l -> l.name().equals("veth-ctr")).findFirst().orElseThrow();
    assertThat(ctrEth0.link()).isEqualTo(vethCtr.index());
    assertThat(vethCtr.link()).isEqualTo(ctrEth0.index());
    int ctrSaysGuestIs = RtnetlinkParser.nsid(single("ctr/nsid-lt-tdisc-guest.bin", Rtnl.RTM_GETNSID));
    int guestSaysCtrIs = RtnetlinkParser.nsid(single("guest/nsid-lt-tdisc-ctr.bin", Rtnl.RTM_GETNSID));
    assertThat(ctrEth0.linkNetnsId()).isEqualTo(ctrSaysGuestIs);
    assertThat(vethCtr.linkNetnsId()).isEqualTo(guestSaysCtrIs);
  }

  @Test
  void addressesCarryPrefixAndIndex() {
    List<Address> addrs = parse("inet/addresses.bin", Rtnl.RTM_GETADDR, RtnetlinkParser::address);
    assertThat(addrs).extracting(Address::cidr).contains("127.0.0.1/8", "203.0.113.1/24", "198.51.100.10/32");
    List<Address> guest = parse("guest/addresses.bin", Rtnl.RTM_GETADDR, RtnetlinkParser::address);
    assertThat(guest).extracting(Address::cidr).contains("172.17.0.1/16", "172.16.0.2/30");
  }

  @Test
  void routeDumpCoversMainAndLocalTables() {
    List<Route> routes = parse("guest/routes.bin", Rtnl.RTM_GETROUTE, RtnetlinkParser::route);
    assertThat(routes).extracting(Route::table).contains(254, 255);
    Route def = routes.stream().filter(Route::isDefault).findFirst().orElseThrow();
    assertThat(def.gateway()).isEqualTo("172.16.0.1");
    assertThat(def.table()).isEqualTo(254);
    assertThat(routes).filteredOn(Route::isLocal).extracting(Route::dst).contains("172.17.0.1", "172.16.0.2");
  }

  @Test
  void singleFlowAnswersNameTheOutputDevice() {
    Route r = RtnetlinkParser.route(single("guest/route-0.bin", Rtnl.RTM_GETROUTE));
    List<Link> links = parse("guest/links.bin", Rtnl.RTM_GETLINK, RtnetlinkParser::link);
    int eth0 = links.stream().filter(l -> l.name().equals("eth0")).findFirst().orElseThrow().index();
    int docker0 = links.stream().filter(l -> l.name().equals("docker0")).findFirst().orElseThrow().index();
    assertThat(r.dst()).isEqualTo("198.51.100.10");
    assertThat(r.oif()).isEqualTo(eth0);
    assertThat(r.iif()).isEqualTo(docker0);
    assertThat(r.gateway()).isEqualTo("172.16.0.1");
    assertThat(r.type()).isEqualTo(Route.RTN_UNICAST);
    Route local = RtnetlinkParser.route(single("inet/route-0.bin", Rtnl.RTM_GETROUTE));
    assertThat(local.isLocal()).isTrue();
  }

  @Test
  void noRouteBackIsAnErrnoNotAParseError() {
    assertThatThrownBy(() -> ReplyCollector.ofRecorded(fixture("inet/route-1.bin"), Rtnl.RTM_GETROUTE))
        .isInstanceOf(NetlinkErrorException.class)
        .hasMessage("rtnetlink RTM_GETROUTE failed: ENETUNREACH (network is unreachable)")
        .satisfies(e -> assertThat(((NetlinkErrorException) e).errno()).isEqualTo(101));
  }

  @Test
  void rulesAndNeighboursParse() {
    List<Rule> rules = parse("guest/rules.bin", Rtnl.RTM_GETRULE, RtnetlinkParser::rule);
    assertThat(rules).extracting(Rule::table).containsExactly(255, 254, 253);
    assertThat(rules).extracting(Rule::priority).containsExactly(null, 32766, 32767);
    List<Neighbour> n = parse("guest/neighbours.bin", Rtnl.RTM_GETNEIGH, RtnetlinkParser::neighbour);
    assertThat(n).allSatisfy(x -> assertThat(x.dst()).isNotNull());
  }

  @Test
  void requestsRoundTripThroughTheSplitter() {
    byte[] req = RtnetlinkRequests.routeFor(7, new FlowQuery("198.51.100.10", "172.17.0.2", 3, 6, 443));
    NetlinkMessage m = RtnetlinkParser.split(req, 0, req.length).get(0);
    assertThat(m.type()).isEqualTo(Rtnl.RTM_GETROUTE);
    assertThat(m.seq()).isEqualTo(7);
    // The request has the rtmsg layout of an answer, so the route parser reads it back.
    Route r = RtnetlinkParser.route(new NetlinkMessage(Rtnl.RTM_NEWROUTE, 0, 7, 0, m.payload()));
    assertThat(r.dst()).isEqualTo("198.51.100.10");
    assertThat(r.src()).isEqualTo("172.17.0.2");
    assertThat(r.iif()).isEqualTo(3);
    assertThat(RtnetlinkRequests.dumpLinks(1)).hasSize(32);
    assertThatThrownBy(() -> RtnetlinkRequests.routeFor(1, FlowQuery.output("example.org", null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void macAddressesAreLowerCaseOctetsJoinedByColons() {
    // ifinfomsg (16 bytes) + IFLA_IFNAME "e0" + IFLA_ADDRESS of six octets, high bits set in some
    java.nio.ByteBuffer p = java.nio.ByteBuffer.allocate(16 + 8 + 12).order(java.nio.ByteOrder.nativeOrder());
    p.putShort(0, (short) 1).putInt(4, 7);
    p.putShort(16, (short) 7).putShort(18, (short) Rtnl.IFLA_IFNAME).put(20, (byte) 'e').put(21, (byte) '0');
    p.putShort(24, (short) 10).putShort(26, (short) Rtnl.IFLA_ADDRESS);
    byte[] mac = {0x02, 0x42, (byte) 0xac, 0x11, 0x00, (byte) 0xfe};
    p.put(28, mac);
    Link l = RtnetlinkParser.link(new NetlinkMessage(Rtnl.RTM_NEWLINK, 0, 1, 0, p));
    assertThat(l.name()).isEqualTo("e0");
    assertThat(l.mac()).isEqualTo("02:42:ac:11:00:fe");
  }

  @Test
  void endsReplySeesTheDumpsLastDatagramAndSingleAnswersOnly() {
    byte[] dump = fixture("guest/links.bin");
    List<NetlinkMessage> ms = RtnetlinkParser.split(dump, 0, dump.length);
    int seq = ms.get(0).seq();
    assertThat(ms.get(ms.size() - 1).type()).isEqualTo(Rtnl.NLMSG_DONE);
    // Every message but the last (NLMSG_DONE) is a multipart part: no prefix of whole messages ends it.
    int at = 0;
    for (NetlinkMessage m : ms.subList(0, ms.size() - 1)) {
      at += Attributes.align4(Rtnl.NLMSG_HDRLEN + m.payload().remaining());
      assertThat(RtnetlinkParser.endsReply(dump, 0, at, seq)).as("prefix of %d bytes", at).isFalse();
    }
    assertThat(RtnetlinkParser.endsReply(dump, 0, dump.length, seq)).isTrue();
    assertThat(RtnetlinkParser.endsReply(dump, at, dump.length - at, seq)).isTrue(); // NLMSG_DONE alone
    assertThat(RtnetlinkParser.endsReply(dump, 0, dump.length, seq + 1)).as("another request's answer").isFalse();
    for (String single : List.of("guest/route-0.bin", "inet/route-1.bin", "guest/nsid-lt-tdisc-ctr.bin")) {
      byte[] b = fixture(single);
      int s = RtnetlinkParser.split(b, 0, b.length).get(0).seq();
      assertThat(RtnetlinkParser.endsReply(b, 0, b.length, s)).as(single).isTrue();
    }
    assertThatThrownBy(() -> RtnetlinkParser.endsReply(dump, 0, 10, seq)).isInstanceOf(NetlinkParseException.class);
    assertThatThrownBy(() -> RtnetlinkParser.endsReply(dump, 4, dump.length - 4, seq))
        .isInstanceOf(NetlinkParseException.class);
  }

  /** Random, truncated and bit-flipped input must end in NetlinkParseException (or a kernel errno), nothing else. */
  @ParameterizedTest
  @ValueSource(strings = {"guest/links.bin", "guest/addresses.bin", "guest/routes.bin", "guest/rules.bin",
      "guest/neighbours.bin", "host/links.bin", "guest/nsid-lt-tdisc-ctr.bin", "guest/route-0.bin"})
  void mutatedInputFailsOnlyWithParseErrors(String path) {
    byte[] good = fixture(path);
    Random rnd = new Random(path.hashCode());
    for (int round = 0; round < 3000; round++) {
      byte[] bad;
      switch (round % 3) {
        case 0 -> bad = java.util.Arrays.copyOf(good, rnd.nextInt(good.length));
        case 1 -> {
          bad = good.clone();
          for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
            bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
          }
        }
        default -> {
          bad = new byte[rnd.nextInt(200)];
          rnd.nextBytes(bad);
        }
      }
      try {
        for (NetlinkMessage m : RtnetlinkParser.split(bad, 0, bad.length)) {
          switch (m.type()) {
            case Rtnl.RTM_NEWLINK -> RtnetlinkParser.link(m);
            case Rtnl.RTM_NEWADDR -> RtnetlinkParser.address(m);
            case Rtnl.RTM_NEWROUTE -> RtnetlinkParser.route(m);
            case Rtnl.RTM_NEWRULE -> RtnetlinkParser.rule(m);
            case Rtnl.RTM_NEWNEIGH -> RtnetlinkParser.neighbour(m);
            case Rtnl.RTM_NEWNSID -> RtnetlinkParser.nsid(m);
            case Rtnl.NLMSG_ERROR -> RtnetlinkParser.errno(m);
            default -> { }
          }
        }
        ReplyCollector c = new ReplyCollector(Rtnl.RTM_GETLINK, 0);
        c.feed(bad, bad.length);
        RtnetlinkParser.endsReply(bad, 0, bad.length, 0);
      } catch (NetlinkParseException | NetlinkErrorException expected) {
        assertThat(expected.getMessage()).doesNotContain("\n");
      }
    }
  }

  private static NetlinkMessage single(String path, int requestType) {
    List<NetlinkMessage> ms = ReplyCollector.ofRecorded(fixture(path), requestType);
    assertThat(ms).hasSize(1);
    return ms.get(0);
  }
}
