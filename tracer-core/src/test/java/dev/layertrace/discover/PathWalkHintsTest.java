package dev.layertrace.discover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.Protocol;
import dev.layertrace.netlink.FlowQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What path resolution tells its host and hook ahead, so that a big host costs no more than the path:
 * the namespaces whose rules it will ask for, and only the namespaces that may hold a tap.
 */
class PathWalkHintsTest {
  private static final PathRequest REQUEST = new PathRequest("lt-tdisc-ctr", "netns:lt-tdisc-ctr", "198.51.100.10",
      Protocol.ICMP, 0);

  @Test
  void eachForwardingNamespaceIsAnnouncedBeforeItsRulesAreAsked() {
    List<String> events = new ArrayList<>();
    NetfilterHook hook = new NetfilterHook() {
      @Override
      public Decision forward(ForwardedFlow flow) {
        events.add("forward " + flow.netns());
        return new Decision(Map.of(), Map.of(), null, List.of());
      }

      @Override
      public void approaching(String netns) {
        events.add("approaching " + netns);
      }
    };

    new PathResolver(new DecodingHostView(Recordings.load("healthy").replay()), hook).resolve(REQUEST);

    // Not the source, which sends, nor the destination, which receives: neither forwards.
    assertThat(events).containsExactly("approaching lt-tdisc-guest", "forward lt-tdisc-guest",
        "approaching lt-tdisc-host", "forward lt-tdisc-host");
  }

  @Test
  void theFarTapIsLookedForOnlyWhereADeviceOfItsNameMayBe() {
    RawSource recorded = Recordings.load("healthy").replay();
    List<String> read = new ArrayList<>();
    // A host with one more namespace, which has no tap0: reading it would fail the test.
    RawSource bigger = new RawSource() {
      @Override
      public List<String> namespaceNames() {
        List<String> names = new ArrayList<>(recorded.namespaceNames());
        names.add("lt-tdisc-box0");
        return names;
      }

      @Override
      public RawNamespace namespace(String name) {
        read.add(name);
        if (name.equals("lt-tdisc-box0")) {
          throw new AssertionError("lt-tdisc-box0 was read, but it has no device tap0");
        }
        return recorded.namespace(name);
      }

      @Override
      public List<String> namespacesWithDevice(String ifname) {
        return recorded.namespaceNames().stream()
            .filter(n -> recorded.namespace(n).decode().link(ifname).isPresent()).toList();
      }

      @Override
      public byte[] routeFor(String netns, FlowQuery q) {
        return recorded.routeFor(netns, q);
      }

      @Override
      public Optional<String> resolveNsid(String netns, int nsid) {
        return recorded.resolveNsid(netns, nsid);
      }

      @Override
      public List<TunHolder> tunHolders() {
        return recorded.tunHolders();
      }
    };

    DiscoveredPath p = new PathResolver(new DecodingHostView(bigger), null).resolve(REQUEST);

    assertThat(read).doesNotContain("lt-tdisc-box0").contains("lt-tdisc-host");
    assertThat(p.graph()).isEqualTo(Recordings.resolve("healthy").graph());
  }
}
