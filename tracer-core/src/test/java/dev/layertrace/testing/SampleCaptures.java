package dev.layertrace.testing;

import dev.layertrace.model.Capture;
import dev.layertrace.model.Direction;
import dev.layertrace.model.Edge;
import dev.layertrace.model.EdgeKind;
import dev.layertrace.model.Finding;
import dev.layertrace.model.HostFacts;
import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerKind;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Observation;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Probe;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.SeenPacket;
import dev.layertrace.model.Severity;
import dev.layertrace.model.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures of the DESIGN lab's nested path (container → microVM guest → host → internet), built in
 * code with the values a real lab run shows. Used by renderer golden tests and the capture format
 * tests; real recorded captures live in {@code captures/}.
 */
public final class SampleCaptures {
  private SampleCaptures() {}

  /** The lab path's 14 layers, two kernels; facts as the lab has them. */
  public static PathGraph labGraph() {
    List<Layer> n = new ArrayList<>();
    n.add(Layer.of("lt-ctr/eth0", LayerKind.CONTAINER, "lt-ctr", "eth0").withKernel("guest")
        .withLink(List.of("172.17.0.2/16"), "02:42:ac:11:00:02", 1500, "up", "veth")
        .withPeer("lt-guest/veth-ctr").withDetail("route", "default via 172.17.0.1 dev eth0"));
    n.add(Layer.of("lt-guest/veth-ctr", LayerKind.VETH, "lt-guest", "veth-ctr").withKernel("guest")
        .withLink(List.of(), "9a:1c:2e:00:00:01", 1500, "up", "veth").withMaster("docker0").withPeer("lt-ctr/eth0"));
    n.add(Layer.of("lt-guest/docker0", LayerKind.BRIDGE, "lt-guest", "docker0").withKernel("guest")
        .withLink(List.of("172.17.0.1/16"), "02:42:00:00:00:01", 1500, "up", "bridge"));
    n.add(Layer.of("lt-guest/forwarding", LayerKind.FORWARDING, "lt-guest", null).withKernel("guest")
        .withDetail("ip_forward", "1").withDetail("route", "default via 172.16.0.1 dev eth0"));
    n.add(Layer.of("lt-guest/filter", LayerKind.FILTER, "lt-guest", null).withKernel("guest")
        .withDetail("backend", "iptables-nft").withDetail("forward", "policy DROP; ACCEPT -i docker0 ! -o docker0"));
    n.add(Layer.of("lt-guest/nat", LayerKind.NAT, "lt-guest", null).withKernel("guest")
        .withDetail("backend", "iptables-nft").withDetail("postrouting", "no MASQUERADE for 172.17.0.0/16"));
    n.add(Layer.of("lt-guest/eth0", LayerKind.NIC, "lt-guest", "eth0").withKernel("guest")
        .withLink(List.of("172.16.0.2/30"), "06:00:ac:10:00:02", 1500, "up", "tun"));
    n.add(Layer.of("vmm", LayerKind.VMM_LINK, null, null)
        .withDetail("process", "layertrace lab vmm").withDetail("pid", "4242"));
    n.add(Layer.of("lt-host/tap0", LayerKind.TAP, "lt-host", "tap0").withKernel("host")
        .withLink(List.of("172.16.0.1/30"), "06:00:ac:10:00:01", 1500, "up", "tun"));
    n.add(Layer.of("lt-host/forwarding", LayerKind.FORWARDING, "lt-host", null).withKernel("host")
        .withDetail("ip_forward", "1").withDetail("route", "default via 203.0.113.1 dev uplink0"));
    n.add(Layer.of("lt-host/filter", LayerKind.FILTER, "lt-host", null).withKernel("host")
        .withDetail("backend", "nft").withDetail("forward", "policy accept"));
    n.add(Layer.of("lt-host/nat", LayerKind.NAT, "lt-host", null).withKernel("host")
        .withDetail("backend", "nft").withDetail("postrouting", "masquerade 172.16.0.0/30 oif uplink0"));
    n.add(Layer.of("lt-host/uplink0", LayerKind.UPLINK, "lt-host", "uplink0").withKernel("host")
        .withLink(List.of("203.0.113.2/24"), "06:00:cb:00:71:02", 1500, "up", "veth"));
    n.add(Layer.of("lt-inet/eth0", LayerKind.REMOTE, "lt-inet", "eth0")
        .withLink(List.of("203.0.113.1/24", "198.51.100.10/32"), "06:00:cb:00:71:01", 1500, "up", "veth"));
    List<Edge> e = new ArrayList<>();
    e.add(new Edge("lt-ctr/eth0", "lt-guest/veth-ctr", EdgeKind.VETH_PEER, null));
    e.add(new Edge("lt-guest/veth-ctr", "lt-guest/docker0", EdgeKind.BRIDGE_PORT, null));
    e.add(new Edge("lt-guest/docker0", "lt-guest/forwarding", EdgeKind.ROUTE, "default via 172.16.0.1"));
    e.add(new Edge("lt-guest/forwarding", "lt-guest/filter", EdgeKind.NETFILTER, "forward"));
    e.add(new Edge("lt-guest/filter", "lt-guest/nat", EdgeKind.NETFILTER, "postrouting"));
    e.add(new Edge("lt-guest/nat", "lt-guest/eth0", EdgeKind.NAT, "src 172.17.0.2 → 172.16.0.2"));
    e.add(new Edge("lt-guest/eth0", "vmm", EdgeKind.VMM_LINK, null));
    e.add(new Edge("vmm", "lt-host/tap0", EdgeKind.VMM_LINK, null));
    e.add(new Edge("lt-host/tap0", "lt-host/forwarding", EdgeKind.ROUTE, "default via 203.0.113.1"));
    e.add(new Edge("lt-host/forwarding", "lt-host/filter", EdgeKind.NETFILTER, "forward"));
    e.add(new Edge("lt-host/filter", "lt-host/nat", EdgeKind.NETFILTER, "postrouting"));
    e.add(new Edge("lt-host/nat", "lt-host/uplink0", EdgeKind.NAT, "src 172.16.0.2 → 203.0.113.2"));
    e.add(new Edge("lt-host/uplink0", "lt-inet/eth0", EdgeKind.UPLINK, null));
    return PathGraph.linear(n, e);
  }

  private static SeenPacket icmp(String src, String dst, int ttl, int id) {
    return new SeenPacket("icmp", src, dst, null, null, ttl, 84, null, null, 8, id, 1);
  }

  /**
   * guest-no-masquerade: the request crosses every layer, but leaves the guest untranslated; the
   * remote has no route back to 172.17.0.0/16, so no reply is ever sent.
   */
  public static Capture guestNoMasquerade() {
    PathGraph g = labGraph();
    String probe = "3f9c";
    List<Observation> obs = new ArrayList<>();
    long t = 0;
    String[][] seen = {
        {"lt-ctr/eth0", "172.17.0.2", "198.51.100.10", "64"},
        {"lt-guest/veth-ctr", "172.17.0.2", "198.51.100.10", "64"},
        {"lt-guest/docker0", "172.17.0.2", "198.51.100.10", "64"},
        {"lt-guest/eth0", "172.17.0.2", "198.51.100.10", "63"},
        {"lt-host/tap0", "172.17.0.2", "198.51.100.10", "63"},
        {"lt-host/uplink0", "172.17.0.2", "198.51.100.10", "62"},
        {"lt-inet/eth0", "172.17.0.2", "198.51.100.10", "62"}};
    for (String[] s : seen) {
      t += 21_000;
      obs.add(new Observation(probe, s[0], Direction.REQUEST, t, !s[0].equals("lt-inet/eth0"),
          icmp(s[1], s[2], Integer.parseInt(s[3]), 0x3f9c)));
    }
    Verdict v = new Verdict(probe, Outcome.REPLY_LOST, new LayerRef(LayerKind.NAT, "lt-guest", null),
        "not-translated",
        "The guest did not masquerade the container's traffic: the request left lt-guest eth0 with source"
            + " 172.17.0.2, and the remote has no route back to 172.17.0.0/16.",
        List.of("observation lt-guest/eth0: 172.17.0.2 → 198.51.100.10 (source not translated)",
            "observation lt-inet/eth0: request arrived from 172.17.0.2; no reply sent",
            "rule lt-guest nat POSTROUTING: no MASQUERADE for 172.17.0.0/16 ! -o docker0"),
        "ip netns exec lt-guest iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE");
    Finding f = new Finding(new LayerRef(LayerKind.NAT, "lt-guest", null), "not-translated", Severity.ERROR,
        "POSTROUTING in lt-guest has no MASQUERADE for 172.17.0.0/16 out eth0",
        "ip netns exec lt-guest iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
        List.of("iptables-nft nat POSTROUTING: policy ACCEPT, 0 rules"));
    return new Capture(Capture.SCHEMA_VERSION, "0.1.0", "2026-12-03T13:00:00Z",
        new HostFacts("lab", "6.1.0-lab", "x86_64", "layertrace trace --from netns:lt-ctr --to 198.51.100.10"),
        g,
        List.of(new Probe(probe, Protocol.ICMP, "172.17.0.2", "198.51.100.10", null, null, 84, false, 64)),
        obs, List.of(), List.of(f), List.of(v), List.of());
  }

  /** guest-forward-drop: the request is dropped by the guest's FORWARD chain. */
  public static Capture guestForwardDrop() {
    PathGraph g = labGraph();
    String probe = "a71e";
    List<Observation> obs = List.of(
        new Observation(probe, "lt-ctr/eth0", Direction.REQUEST, 12_000, true, icmp("172.17.0.2", "198.51.100.10", 64, 0xa71e)),
        new Observation(probe, "lt-guest/veth-ctr", Direction.REQUEST, 30_000, false, icmp("172.17.0.2", "198.51.100.10", 64, 0xa71e)),
        new Observation(probe, "lt-guest/docker0", Direction.REQUEST, 41_000, false, icmp("172.17.0.2", "198.51.100.10", 64, 0xa71e)));
    KernelEvent drop = new KernelEvent(probe, "lt-guest/filter", "lt-guest", "kfree_skb", "nft_do_chain", "NETFILTER_DROP", 52_000);
    Verdict v = new Verdict(probe, Outcome.STOPPED, new LayerRef(LayerKind.FILTER, "lt-guest", null), "filtered",
        "The guest's FORWARD chain dropped the request: its policy is DROP and no rule accepts traffic from docker0.",
        List.of("observation lt-guest/docker0: last layer that saw the request",
            "kernel lt-guest: kfree_skb at nft_do_chain: NETFILTER_DROP",
            "rule lt-guest filter FORWARD: policy DROP, no ACCEPT for -i docker0"),
        "ip netns exec lt-guest iptables -A FORWARD -i docker0 ! -o docker0 -j ACCEPT");
    return new Capture(Capture.SCHEMA_VERSION, "0.1.0", "2026-12-03T13:05:00Z",
        new HostFacts("lab", "6.1.0-lab", "x86_64", "layertrace trace --from netns:lt-ctr --to 198.51.100.10"),
        g, List.of(new Probe(probe, Protocol.ICMP, "172.17.0.2", "198.51.100.10", null, null, 84, false, 64)),
        obs, List.of(drop), List.of(), List.of(v), List.of());
  }
}
