package dev.layertrace.lab;

import static dev.layertrace.lab.LabStep.nft;
import static dev.layertrace.lab.LabStep.run;

import dev.layertrace.lab.LabLink.LinkKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The lab of DESIGN.md as data: four namespaces (container, microVM guest, host, internet), their
 * links, addresses, routes, sysctls and netfilter rules, and the ordered steps that build it.
 *
 * <p>The standard lab joins the guest NIC and the host tap with the VMM relay; {@link VmmLink#VETH}
 * builds a copy with a plain veth pair in the relay's place (for benchmarks: same path, no VMM).
 */
public final class LabTopology {
  /** The names of the standard lab's namespaces (fixed by DESIGN.md). */
  public static final String CTR = "lt-ctr";
  public static final String GUEST = "lt-guest";
  public static final String HOST = "lt-host";
  public static final String INET = "lt-inet";

  /** The "remote" server in lt-inet that probes aim at. */
  public static final String REMOTE = "198.51.100.10";
  public static final String CONTAINER_IP = "172.17.0.2";
  public static final String DOCKER0_IP = "172.17.0.1";
  public static final String GUEST_IP = "172.16.0.2";
  public static final String TAP_IP = "172.16.0.1";
  public static final String UPLINK_IP = "203.0.113.2";
  public static final String INET_IP = "203.0.113.1";
  /** An on-link address outside the guest's /30 that nobody answers ARP for (guest-wrong-gateway). */
  public static final String NOBODY_IP = "172.16.0.9";

  /** The nft table the lab installs in the host namespace: recognisably the lab's. */
  public static final String HOST_NFT_TABLE = "layertrace_lab";

  /** Docker's rules in the guest, as {@code iptables} arguments after {@code -A CHAIN}. */
  public static final List<String> GUEST_MASQUERADE =
      List.of("-s", "172.17.0.0/16", "!", "-o", "docker0", "-j", "MASQUERADE");
  public static final List<List<String>> GUEST_FORWARD_ACCEPTS = List.of(
      List.of("-o", "docker0", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"),
      List.of("-i", "docker0", "!", "-o", "docker0", "-j", "ACCEPT"),
      List.of("-i", "docker0", "-o", "docker0", "-j", "ACCEPT"));
  /** The guest rule that swallows ICMP "fragmentation needed" (the mtu-blackhole fault). */
  public static final List<String> GUEST_FRAG_NEEDED_DROP =
      List.of("-p", "icmp", "-m", "icmp", "--icmp-type", "3/4", "-j", "DROP");
  /** The host's masquerade rule in nft syntax (as {@code nft list} prints it). */
  public static final String HOST_MASQUERADE_RULE = "ip saddr 172.16.0.0/30 oifname \"uplink0\" masquerade";

  /** What joins the guest NIC to the host tap. */
  public enum VmmLink {
    /** Two real TAP devices and the VMM relay process copying frames between them. */
    RELAY,
    /** A veth pair named like the taps: the same path without a VMM (benchmark baseline). */
    VETH
  }

  private final String ctr;
  private final String guest;
  private final String host;
  private final String inet;
  private final VmmLink vmmLink;

  private LabTopology(String ctr, String guest, String host, String inet, VmmLink vmmLink) {
    this.ctr = Objects.requireNonNull(ctr);
    this.guest = Objects.requireNonNull(guest);
    this.host = Objects.requireNonNull(host);
    this.inet = Objects.requireNonNull(inet);
    this.vmmLink = Objects.requireNonNull(vmmLink);
  }

  /** The lab of DESIGN.md: lt-ctr, lt-guest, lt-host, lt-inet, joined by the relay. */
  public static LabTopology standard() {
    return new LabTopology(CTR, GUEST, HOST, INET, VmmLink.RELAY);
  }

  /**
   * A copy under other namespace names ({@code prefix + "ctr"}, …), e.g. {@code lt-tlab-} for a
   * benchmark baseline next to the real lab. The prefix must start with {@code lt-}.
   */
  public static LabTopology copy(String prefix, VmmLink vmmLink) {
    if (!prefix.startsWith("lt-") || prefix.length() > 10) {
      throw new IllegalArgumentException("a lab copy's prefix starts with lt- and is short: " + prefix);
    }
    return new LabTopology(prefix + "ctr", prefix + "guest", prefix + "host", prefix + "inet", vmmLink);
  }

  public String ctr() {
    return ctr;
  }

  public String guest() {
    return guest;
  }

  public String host() {
    return host;
  }

  public String inet() {
    return inet;
  }

  public VmmLink vmmLink() {
    return vmmLink;
  }

  /** The namespaces in path order: container, guest, host, internet. */
  public List<String> namespaces() {
    return List.of(ctr, guest, host, inet);
  }

  /** Every interface the lab creates (loopbacks aside). */
  public List<LabLink> links() {
    LinkKind nic = vmmLink == VmmLink.RELAY ? LinkKind.TAP : LinkKind.VETH;
    return List.of(
        new LabLink(ctr, "eth0", LinkKind.VETH, "02:42:ac:11:00:02", null),
        new LabLink(guest, "veth-ctr", LinkKind.VETH, "02:42:ac:11:80:02", "docker0"),
        new LabLink(guest, "docker0", LinkKind.BRIDGE, "02:42:ac:11:00:01", null),
        // Firecracker's convention: the guest MAC is 06:00 followed by the guest's IPv4 address.
        new LabLink(guest, "eth0", nic, "06:00:ac:10:00:02", null),
        new LabLink(host, "tap0", nic, "02:fc:ac:10:00:01", null),
        new LabLink(host, "uplink0", LinkKind.VETH, "02:00:cb:00:71:02", null),
        new LabLink(inet, "eth0", LinkKind.VETH, "02:00:cb:00:71:01", null));
  }

  public List<LabAddress> addresses() {
    return List.of(
        new LabAddress(ctr, "eth0", CONTAINER_IP + "/16"),
        new LabAddress(guest, "docker0", DOCKER0_IP + "/16"),
        new LabAddress(guest, "eth0", GUEST_IP + "/30"),
        new LabAddress(host, "tap0", TAP_IP + "/30"),
        new LabAddress(host, "uplink0", UPLINK_IP + "/24"),
        new LabAddress(inet, "eth0", INET_IP + "/24"),
        new LabAddress(inet, "eth0", REMOTE + "/32"));
  }

  /** The default routes (lt-inet has none: no route back to 172.16.0.0/12). */
  public List<LabRoute> routes() {
    return List.of(
        defaultRoute(ctr),
        defaultRoute(guest),
        defaultRoute(host));
  }

  /** The default route the lab gives {@code netns}; throws for lt-inet, which has none. */
  public LabRoute defaultRoute(String netns) {
    if (netns.equals(ctr)) {
      return new LabRoute(ctr, "default", DOCKER0_IP, "eth0", false);
    } else if (netns.equals(guest)) {
      return new LabRoute(guest, "default", TAP_IP, "eth0", false);
    } else if (netns.equals(host)) {
      return new LabRoute(host, "default", INET_IP, "uplink0", false);
    }
    throw new IllegalArgumentException("no default route in " + netns);
  }

  /**
   * The sysctls the lab sets. IPv6 is off in the lab so that captures show only the probe and its
   * ARP, not router solicitations; rp_filter is off so a reply-lost fault lets the request arrive.
   */
  public List<LabSysctl> sysctls() {
    List<LabSysctl> s = new ArrayList<>();
    for (String ns : namespaces()) {
      boolean router = ns.equals(guest) || ns.equals(host);
      s.add(new LabSysctl(ns, "net.ipv4.ip_forward", router ? "1" : "0"));
      s.add(new LabSysctl(ns, "net.ipv4.conf.all.rp_filter", "0"));
      s.add(new LabSysctl(ns, "net.ipv4.conf.default.rp_filter", "0"));
      s.add(new LabSysctl(ns, "net.ipv6.conf.all.disable_ipv6", "1"));
      s.add(new LabSysctl(ns, "net.ipv6.conf.default.disable_ipv6", "1"));
    }
    return List.copyOf(s);
  }

  /** The host's nft table: masquerade for the guest's /30 out uplink0, and a forward chain that accepts. */
  public String hostNftScript() {
    return "table ip " + HOST_NFT_TABLE + " {\n"
        + "  chain forward {\n    type filter hook forward priority filter; policy accept;\n  }\n"
        + "  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n"
        + "    " + HOST_MASQUERADE_RULE + "\n  }\n"
        + "}\n";
  }

  /** The steps that build the lab from nothing (the relay is started afterwards). */
  public List<LabStep> buildSteps() {
    List<LabStep> steps = new ArrayList<>();
    for (String ns : namespaces()) {
      steps.add(run(null, "ip", "netns", "add", ns));
    }
    // Sysctls first: disable_ipv6 "default" must be set before the links exist.
    for (String ns : namespaces()) {
      List<String> argv = new ArrayList<>(List.of("sysctl", "-q", "-w"));
      sysctls().stream().filter(s -> s.netns().equals(ns)).forEach(s -> argv.add(s.key() + "=" + s.value()));
      steps.add(new LabStep.Exec(ns, argv, null, false));
    }
    // The cross-namespace pairs first, then each namespace's own configuration in one run, so that
    // consecutive ip commands in one namespace can go through a single `ip -batch`.
    steps.add(run(ctr, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "veth-ctr", "netns", guest));
    steps.add(run(host, "ip", "link", "add", "uplink0", "type", "veth", "peer", "name", "eth0", "netns", inet));
    if (vmmLink == VmmLink.VETH) {
      steps.add(run(guest, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "tap0", "netns", host));
    }
    for (String ns : namespaces()) {
      if (ns.equals(guest)) {
        steps.add(run(guest, "ip", "link", "add", "docker0", "type", "bridge"));
      }
      if (vmmLink == VmmLink.RELAY && (ns.equals(guest) || ns.equals(host))) {
        // Persistent taps, as a VMM's launcher creates them; the relay attaches to them later.
        steps.add(run(ns, "ip", "tuntap", "add", "dev", ns.equals(guest) ? "eth0" : "tap0", "mode", "tap"));
      }
      for (LabLink l : links()) {
        if (l.netns().equals(ns)) {
          steps.add(run(ns, "ip", "link", "set", "dev", l.name(), "address", l.mac()));
          if (l.master() != null) {
            steps.add(run(ns, "ip", "link", "set", "dev", l.name(), "master", l.master()));
          }
        }
      }
      for (LabAddress a : addresses()) {
        if (a.netns().equals(ns)) {
          steps.add(run(ns, "ip", "address", "add", a.cidr(), "dev", a.iface()));
        }
      }
      steps.add(run(ns, "ip", "link", "set", "dev", "lo", "up"));
      for (LabLink l : links()) {
        if (l.netns().equals(ns)) {
          steps.add(run(ns, "ip", "link", "set", "dev", l.name(), "up"));
        }
      }
      for (LabRoute r : routes()) {
        if (r.netns().equals(ns)) {
          steps.add(replaceRoute(r));
        }
      }
    }
    steps.addAll(guestForwardRules());
    steps.add(guestMasquerade("-A"));
    steps.add(nft(host, hostNftScript()));
    return List.copyOf(steps);
  }

  /** Steps that delete the lab's namespaces (their links, rules and sysctls go with them). */
  public List<LabStep> teardownSteps() {
    return namespaces().stream()
        .<LabStep>map(ns -> LabStep.tolerant(null, "ip", "netns", "delete", ns))
        .toList();
  }

  /** {@code ip route replace …} for {@code r}: idempotent, so building and healing use it alike. */
  public static LabStep replaceRoute(LabRoute r) {
    List<String> argv = new ArrayList<>(List.of("ip", "route", "replace", r.dst(), "via", r.via(), "dev", r.dev()));
    if (r.onlink()) {
      argv.add("onlink");
    }
    return new LabStep.Exec(r.netns(), argv, null, false);
  }

  /** FORWARD policy DROP and Docker's three accept rules, in Docker's order (and OUTPUT's policy). */
  List<LabStep> guestForwardRules() {
    List<LabStep> steps = new ArrayList<>();
    steps.add(run(guest, "iptables", "-P", "FORWARD", "DROP"));
    // Makes iptables-nft create its OUTPUT base chain now; mtu-blackhole's rule goes there, and
    // without this the empty chain left after healing would differ from the freshly built lab.
    steps.add(run(guest, "iptables", "-P", "OUTPUT", "ACCEPT"));
    for (List<String> rule : GUEST_FORWARD_ACCEPTS) {
      steps.add(iptables(guest, "filter", "-A", "FORWARD", rule, false));
    }
    return steps;
  }

  /** {@code iptables -t nat ACTION POSTROUTING <masquerade>} in the guest. */
  LabStep guestMasquerade(String action) {
    return iptables(guest, "nat", action, "POSTROUTING", GUEST_MASQUERADE, action.equals("-D"));
  }

  static LabStep.Exec iptables(String netns, String table, String action, String chain, List<String> rule,
      boolean mayFail) {
    List<String> argv = Stream.concat(Stream.of("iptables", "-t", table, action, chain), rule.stream()).toList();
    return new LabStep.Exec(netns, argv, null, mayFail);
  }

  /** The line {@code iptables-save} prints for a rule: {@code -A CHAIN args…}. */
  public static String iptablesSaveLine(String chain, List<String> rule) {
    return "-A " + chain + " " + String.join(" ", rule);
  }
}
