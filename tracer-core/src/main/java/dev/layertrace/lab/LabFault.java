package dev.layertrace.lab;

import static dev.layertrace.lab.LabStep.nft;
import static dev.layertrace.lab.LabStep.run;
import static dev.layertrace.lab.LabStep.tolerant;

import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The fault catalog: one realistic misconfiguration per layer of the lab, how to make it and undo
 * it, the probe that shows it and the verdict a trace should reach. Breaking and healing are
 * idempotent, and healing restores the lab's state exactly (the digest before the break equals the
 * digest after the heal).
 */
public enum LabFault {
  CTR_NO_DEFAULT_ROUTE(
      "delete the container's default route",
      "A container without a default route cannot send at all: sendto() fails with ENETUNREACH"
          + " before any packet exists, so nothing is seen on any interface.",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.CONTAINER, Role.CTR, "no-route",
      t -> List.of(tolerant(t.ctr(), "ip", "route", "del", "default")),
      t -> List.of(LabTopology.replaceRoute(t.defaultRoute(t.ctr())))),
  VETH_PEER_DOWN(
      "set the container veth's peer veth-ctr down in the guest",
      "A veth pair is one cable: with one end down the other has no carrier and the container's"
          + " frames go nowhere, although its own eth0 is administratively up.",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.VETH, Role.GUEST, "link-down",
      t -> List.of(run(t.guest(), "ip", "link", "set", "dev", "veth-ctr", "down")),
      t -> List.of(run(t.guest(), "ip", "link", "set", "dev", "veth-ctr", "up"))),
  VETH_DETACHED(
      "take veth-ctr out of the docker0 bridge",
      "A veth that is not a bridge port delivers the container's frames to the guest's own stack on an"
          + " interface without an address: the ARP for the gateway is never answered.",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.BRIDGE, Role.GUEST, "not-bridged",
      t -> List.of(run(t.guest(), "ip", "link", "set", "dev", "veth-ctr", "nomaster")),
      t -> List.of(run(t.guest(), "ip", "link", "set", "dev", "veth-ctr", "master", "docker0"))),
  BRIDGE_DOWN(
      "set the docker0 bridge down",
      "A bridge that is down drops what its ports receive (BRIDGE_INGRESS_STP_STATE): even the"
          + " container's ARP for its gateway dies, so the probe never leaves the container.",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.BRIDGE, Role.GUEST, "link-down",
      t -> List.of(run(t.guest(), "ip", "link", "set", "dev", "docker0", "down")),
      t -> List.of(run(t.guest(), "ip", "link", "set", "dev", "docker0", "up"))),
  GUEST_IP_FORWARD_OFF(
      "set net.ipv4.ip_forward=0 in the guest",
      "Without ip_forward the guest kernel receives the container's packet on docker0 and frees it"
          + " (ip_error: IP_INADDRERRORS) instead of routing it to eth0.",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.FORWARDING, Role.GUEST, "forwarding-disabled",
      t -> List.of(run(t.guest(), "sysctl", "-q", "-w", "net.ipv4.ip_forward=0")),
      t -> List.of(run(t.guest(), "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"))),
  GUEST_FORWARD_DROP(
      "delete Docker's docker0 accept rules from FORWARD in the guest (policy DROP stays)",
      "Docker sets FORWARD's policy to DROP and relies on its own accept rules; without them every"
          + " forwarded packet meets the policy (nft_do_chain: NETFILTER_DROP).",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.FILTER, Role.GUEST, "filtered",
      t -> LabTopology.GUEST_FORWARD_ACCEPTS.stream()
          .<LabStep>map(r -> LabTopology.iptables(t.guest(), "filter", "-D", "FORWARD", r, true)).toList(),
      t -> concat(List.of(run(t.guest(), "iptables", "-F", "FORWARD")), t.guestForwardRules())),
  GUEST_NO_MASQUERADE(
      "delete Docker's MASQUERADE rule from nat POSTROUTING in the guest",
      "The request leaves with the container's private source 172.17.0.2 and arrives; the remote has"
          + " no route back to it, so the reply is never sent — no drop event anywhere, only the"
          + " untranslated source at the far end tells.",
      FaultProbe.ICMP_ECHO, Outcome.REPLY_LOST, LayerKind.NAT, Role.GUEST, "not-translated",
      t -> List.of(t.guestMasquerade("-D")),
      t -> List.of(run(t.guest(), "iptables", "-t", "nat", "-F", "POSTROUTING"), t.guestMasquerade("-A"))),
  GUEST_NIC_DOWN(
      "set the guest NIC eth0 down",
      "With its NIC down the guest loses the connected and default routes through it: the forwarded"
          + " packet has nowhere to go.",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.NIC, Role.GUEST, "link-down",
      t -> List.of(run(t.guest(), "ip", "link", "set", "dev", "eth0", "down")),
      t -> List.of(run(t.guest(), "ip", "link", "set", "dev", "eth0", "up"),
          LabTopology.replaceRoute(t.defaultRoute(t.guest())))),
  VMM_STALLED(
      "stop the VMM relay (SIGSTOP): it keeps its taps open but copies nothing",
      "Both taps stay up with carrier — every link looks fine — yet frames written by the guest pile"
          + " up unread: the failure is in the VMM process, between two kernels.",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.VMM_LINK, null, "vmm-not-relaying",
      t -> List.of(new LabStep.SignalRelay(LabStep.RelaySignal.STOP)),
      t -> List.of(new LabStep.SignalRelay(LabStep.RelaySignal.CONT))),
  TAP_DOWN(
      "set the host tap tap0 down",
      "The host side of the VMM's NIC is down: the VMM's writes fail (EIO) and the host never sees"
          + " the guest's frames.",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.TAP, Role.HOST, "link-down",
      t -> List.of(run(t.host(), "ip", "link", "set", "dev", "tap0", "down")),
      t -> List.of(run(t.host(), "ip", "link", "set", "dev", "tap0", "up"))),
  HOST_IP_FORWARD_OFF(
      "set net.ipv4.ip_forward=0 on the host",
      "The host receives the guest's packet on tap0 but does not route it to the uplink.",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.FORWARDING, Role.HOST, "forwarding-disabled",
      t -> List.of(run(t.host(), "sysctl", "-q", "-w", "net.ipv4.ip_forward=0")),
      t -> List.of(run(t.host(), "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"))),
  HOST_FORWARD_DROP(
      "set the policy of the host's nft forward chain (table ip " + LabTopology.HOST_NFT_TABLE + ") to drop",
      "A host firewall whose forward chain drops what it does not know stops every guest's traffic at"
          + " the host (nft_do_chain: NETFILTER_DROP).",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.FILTER, Role.HOST, "filtered",
      t -> List.of(nft(t.host(), forwardPolicy("drop"))),
      t -> List.of(nft(t.host(), forwardPolicy("accept")))),
  HOST_NO_MASQUERADE(
      "delete the host's masquerade rule for 172.16.0.0/30 out uplink0",
      "The guest's address 172.16.0.2 reaches the internet untranslated; the remote has no route back,"
          + " so the reply is never sent.",
      FaultProbe.ICMP_ECHO, Outcome.REPLY_LOST, LayerKind.NAT, Role.HOST, "not-translated",
      t -> List.of(run(t.host(), "nft", "flush", "chain", "ip", LabTopology.HOST_NFT_TABLE, "postrouting")),
      t -> List.of(nft(t.host(), "flush chain ip " + LabTopology.HOST_NFT_TABLE + " postrouting\n"
          + "add rule ip " + LabTopology.HOST_NFT_TABLE + " postrouting " + LabTopology.HOST_MASQUERADE_RULE
          + "\n"))),
  UPLINK_DOWN(
      "set the host's uplink0 down",
      "The host's way out is down, and with it its default route.",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.UPLINK, Role.HOST, "link-down",
      t -> List.of(run(t.host(), "ip", "link", "set", "dev", "uplink0", "down")),
      t -> List.of(run(t.host(), "ip", "link", "set", "dev", "uplink0", "up"),
          LabTopology.replaceRoute(t.defaultRoute(t.host())))),
  MTU_BLACKHOLE(
      "MTU 1400 on the guest eth0 and host tap0 (the container keeps 1500), and the guest drops the"
          + " ICMP 'fragmentation needed' it would send back",
      "A full-size packet with DF cannot cross the 1400-byte link (ip_forward: PKT_TOO_BIG) and the"
          + " error that would tell the sender is filtered: small pings work, large transfers hang.",
      new FaultProbe(Protocol.ICMP, 1500, true), Outcome.STOPPED, LayerKind.NIC, Role.GUEST, "mtu-exceeded",
      t -> List.of(run(t.guest(), "ip", "link", "set", "dev", "eth0", "mtu", "1400"),
          run(t.host(), "ip", "link", "set", "dev", "tap0", "mtu", "1400"),
          LabTopology.iptables(t.guest(), "filter", "-D", "OUTPUT", LabTopology.GUEST_FRAG_NEEDED_DROP, true),
          LabTopology.iptables(t.guest(), "filter", "-I", "OUTPUT", LabTopology.GUEST_FRAG_NEEDED_DROP, false)),
      t -> List.of(run(t.guest(), "ip", "link", "set", "dev", "eth0", "mtu", "1500"),
          run(t.host(), "ip", "link", "set", "dev", "tap0", "mtu", "1500"),
          LabTopology.iptables(t.guest(), "filter", "-D", "OUTPUT", LabTopology.GUEST_FRAG_NEEDED_DROP, true))),
  GUEST_WRONG_GATEWAY(
      "point the guest's default route at " + LabTopology.NOBODY_IP + " on eth0 (onlink; nobody has it)",
      "The guest routes correctly but to a next hop that never answers ARP: the probe waits in the"
          + " neighbour table and is dropped (NEIGH_FAILED). (172.16.0.3 would not do: it is the /30's"
          + " broadcast address and the host still takes those frames.)",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.NIC, Role.GUEST, "neighbor-unresolved",
      t -> List.of(LabTopology.replaceRoute(
          new LabRoute(t.guest(), "default", LabTopology.NOBODY_IP, "eth0", true))),
      t -> List.of(LabTopology.replaceRoute(t.defaultRoute(t.guest())))),
  NFT_SPLIT_BRAIN(
      "add a native nft table inet filter with a forward chain of policy drop in the guest, next to"
          + " Docker's iptables rules",
      "iptables-nft and a native nftables ruleset are separate tables on the same hook: Docker's rules"
          + " accept, the other table still drops. Listing only one backend hides the culprit.",
      FaultProbe.ICMP_ECHO, Outcome.STOPPED, LayerKind.FILTER, Role.GUEST, "filtered",
      t -> List.of(nft(t.guest(), "table inet filter {\n  chain forward {\n"
          + "    type filter hook forward priority filter; policy drop;\n  }\n}\n")),
      t -> List.of(tolerant(t.guest(), "nft", "delete", "table", "inet", "filter")));

  /** Which lab namespace a verdict points at, resolved against a topology. */
  private enum Role { CTR, GUEST, HOST, INET }

  private final String change;
  private final String teaches;
  private final FaultProbe probe;
  private final Outcome outcome;
  private final LayerKind kind;
  private final Role role;
  private final String cause;
  private final Function<LabTopology, List<LabStep>> breakSteps;
  private final Function<LabTopology, List<LabStep>> healSteps;

  LabFault(String change, String teaches, FaultProbe probe, Outcome outcome, LayerKind kind, Role role,
      String cause, Function<LabTopology, List<LabStep>> breakSteps,
      Function<LabTopology, List<LabStep>> healSteps) {
    this.change = change;
    this.teaches = teaches;
    this.probe = probe;
    this.outcome = outcome;
    this.kind = kind;
    this.role = role;
    this.cause = cause;
    this.breakSteps = breakSteps;
    this.healSteps = healSteps;
  }

  /** The catalog name: {@code guest-no-masquerade}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The fault named {@code word}, if the catalog has it. */
  public static Optional<LabFault> of(String word) {
    for (LabFault f : values()) {
      if (f.word().equals(word)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** What the fault changes, in one line. */
  public String change() {
    return change;
  }

  /** What the fault teaches about its layer. */
  public String teaches() {
    return teaches;
  }

  /** The probe that shows the fault (it gets no reply while the fault is in place). */
  public FaultProbe probe() {
    return probe;
  }

  /** The verdict a trace of {@link #probe()} should reach in the standard lab. */
  public ExpectedVerdict expectedVerdict() {
    return expectedVerdict(LabTopology.standard());
  }

  /** The verdict in a lab built from {@code t}. */
  public ExpectedVerdict expectedVerdict(LabTopology t) {
    String netns = role == null ? null : switch (role) {
      case CTR -> t.ctr();
      case GUEST -> t.guest();
      case HOST -> t.host();
      case INET -> t.inet();
    };
    return new ExpectedVerdict(outcome, kind, netns, cause);
  }

  /** False for faults of a part {@code t} does not have (the relay, in a veth-joined copy). */
  public boolean appliesTo(LabTopology t) {
    return this != VMM_STALLED || t.vmmLink() == LabTopology.VmmLink.RELAY;
  }

  /** The steps that make the fault (idempotent). */
  public List<LabStep> breakSteps(LabTopology t) {
    return breakSteps.apply(t);
  }

  /** The steps that undo it and restore the lab exactly (idempotent; harmless when not broken). */
  public List<LabStep> healSteps(LabTopology t) {
    return healSteps.apply(t);
  }

  private static String forwardPolicy(String policy) {
    return "add chain ip " + LabTopology.HOST_NFT_TABLE + " forward"
        + " { type filter hook forward priority filter; policy " + policy + "; }\n";
  }

  private static List<LabStep> concat(List<LabStep> a, List<LabStep> b) {
    List<LabStep> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
