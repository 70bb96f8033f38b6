package dev.layertrace.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Compares what a lab looks like ({@link LabSnapshot}, {@link RelayStatus}, {@link Reachability})
 * with what {@link LabTopology} says it should be, layer by layer.
 */
public final class LabHealth {
  private LabHealth() {}

  /** All checks; the lab is healthy when every one is ok. {@code reach} may be null (not checked). */
  public static LabStatus evaluate(LabTopology t, LabSnapshot s, RelayStatus relay, Reachability reach) {
    List<LabCheck> checks = new ArrayList<>();
    boolean anyNamespace = false;
    for (String ns : t.namespaces()) {
      Optional<NamespaceState> state = s.namespace(ns);
      if (state.isEmpty()) {
        checks.add(LabCheck.bad(ns, "namespace", "missing"));
        continue;
      }
      anyNamespace = true;
      checkNamespace(t, state.get(), checks);
    }
    if (t.vmmLink() == LabTopology.VmmLink.RELAY) {
      checks.add(checkRelay(relay));
    }
    if (reach != null) {
      checks.add(new LabCheck("path", "reachability", reach.reached(), reach.describe()));
    } else if (anyNamespace) {
      checks.add(LabCheck.bad("path", "reachability", "not checked: the lab is incomplete"));
    }
    boolean healthy = checks.stream().allMatch(LabCheck::ok);
    return new LabStatus(anyNamespace, healthy, checks, relay, reach, s.digest());
  }

  private static void checkNamespace(LabTopology t, NamespaceState n, List<LabCheck> checks) {
    String ns = n.netns();
    for (LabLink want : t.links()) {
      if (want.netns().equals(ns)) {
        checks.add(checkLink(want, n));
      }
    }
    for (LabAddress a : t.addresses()) {
      if (a.netns().equals(ns)) {
        boolean has = n.addresses().contains(new AddressState(a.iface(), a.cidr()));
        checks.add(new LabCheck(ns, a.iface() + " address", has, has ? a.cidr() : a.cidr() + " missing"));
      }
    }
    if (!ns.equals(t.inet())) {
      LabRoute want = t.defaultRoute(ns);
      Optional<RouteState> got = n.defaultRoute();
      boolean ok = got.isPresent() && Objects.equals(got.get().gateway(), want.via())
          && Objects.equals(got.get().dev(), want.dev());
      checks.add(new LabCheck(ns, "default route", ok, got.map(r -> "via " + r.gateway() + " dev " + r.dev()
          + (r.onlink() ? " onlink" : "")).orElse("none") + (ok ? "" : " (expected via " + want.via() + " dev "
          + want.dev() + ")")));
    }
    for (LabSysctl want : t.sysctls()) {
      if (want.netns().equals(ns) && !want.key().startsWith("net.ipv6")) {
        String got = n.sysctls().get(want.key());
        boolean ok = want.value().equals(got);
        checks.add(new LabCheck(ns, want.key(), ok, got + (ok ? "" : " (expected " + want.value() + ")")));
      }
    }
    if (ns.equals(t.guest())) {
      checkGuestRules(n, checks);
    } else if (ns.equals(t.host())) {
      checkHostRules(n, checks);
    }
  }

  private static LabCheck checkLink(LabLink want, NamespaceState n) {
    String ns = n.netns();
    Optional<LinkState> got = n.link(want.name());
    if (got.isEmpty()) {
      return LabCheck.bad(ns, want.name(), "missing");
    }
    LinkState l = got.get();
    List<String> wrong = new ArrayList<>();
    if (!l.kind().equals(want.kind().ipKind())) {
      wrong.add("kind " + l.kind() + " (expected " + want.kind().ipKind() + ")");
    }
    if (!l.up()) {
      wrong.add("down");
    } else if (!l.carrier()) {
      wrong.add(want.kind() == LabLink.LinkKind.TAP ? "no carrier (no process holds the tap)" : "no carrier");
    }
    if (l.mtu() != 1500) {
      wrong.add("mtu " + l.mtu() + " (expected 1500)");
    }
    if (!Objects.equals(l.master(), want.master())) {
      wrong.add(want.master() == null ? "port of " + l.master() : "not a port of " + want.master());
    }
    String found = l.kind() + (l.up() ? " up" : " down") + " mtu " + l.mtu()
        + (l.master() == null ? "" : " master " + l.master());
    return wrong.isEmpty() ? LabCheck.ok(ns, want.name(), found) : LabCheck.bad(ns, want.name(), String.join(", ", wrong));
  }

  private static void checkGuestRules(NamespaceState n, List<LabCheck> checks) {
    String ns = n.netns();
    Set<String> want = new LinkedHashSet<>();
    want.add(LabTopology.iptablesSaveLine("POSTROUTING", LabTopology.GUEST_MASQUERADE));
    LabTopology.GUEST_FORWARD_ACCEPTS.forEach(r -> want.add(LabTopology.iptablesSaveLine("FORWARD", r)));
    Set<String> got = new LinkedHashSet<>();
    n.iptables().lines().filter(l -> l.startsWith("-A ")).forEach(got::add);
    Set<String> missing = new LinkedHashSet<>(want);
    missing.removeAll(got);
    Set<String> extra = new LinkedHashSet<>(got);
    extra.removeAll(want);
    boolean policyDrop = n.iptables().lines().anyMatch(l -> l.startsWith(":FORWARD DROP"));
    checks.add(new LabCheck(ns, "iptables", missing.isEmpty() && extra.isEmpty() && policyDrop,
        missing.isEmpty() && extra.isEmpty() && policyDrop
            ? "Docker's rules: MASQUERADE 172.17.0.0/16, FORWARD policy DROP + 3 accepts"
            : describeRuleDiff(missing, extra, policyDrop)));
    Set<String> nativeTables = new LinkedHashSet<>(nftChains(n.nftables()).keySet().stream()
        .map(k -> k.substring(0, k.indexOf('/'))).toList());
    // iptables-nft keeps its rules in ip filter / ip nat; anything else is a second ruleset.
    nativeTables.removeIf(tbl -> tbl.equals("ip filter") || tbl.equals("ip nat"));
    checks.add(new LabCheck(ns, "nftables", nativeTables.isEmpty(), nativeTables.isEmpty()
        ? "only iptables-nft's tables" : "native nft table(s) next to Docker's iptables rules: "
        + String.join(", ", nativeTables)));
  }

  private static String describeRuleDiff(Set<String> missing, Set<String> extra, boolean policyDrop) {
    List<String> parts = new ArrayList<>();
    if (!missing.isEmpty()) {
      parts.add("missing " + String.join("; ", missing));
    }
    if (!extra.isEmpty()) {
      parts.add("unexpected " + String.join("; ", extra));
    }
    if (!policyDrop) {
      parts.add("FORWARD policy is not DROP");
    }
    return String.join(" · ", parts);
  }

  private static void checkHostRules(NamespaceState n, List<LabCheck> checks) {
    String ns = n.netns();
    Map<String, String> chains = nftChains(n.nftables());
    String table = "ip " + LabTopology.HOST_NFT_TABLE;
    String forward = chains.get(table + "/forward");
    boolean masq = n.nftables().lines().anyMatch(l -> l.strip().equals(LabTopology.HOST_MASQUERADE_RULE));
    boolean ok = "accept".equals(forward) && masq;
    checks.add(new LabCheck(ns, "nftables", ok, ok ? "table " + table + ": masquerade 172.16.0.0/30 out uplink0,"
        + " forward accepts" : (forward == null ? "no forward chain in table " + table
        : "forward policy " + forward) + (masq ? "" : ", masquerade rule missing")));
  }

  /** {@code "family table/chain" → policy} for every base chain in an {@code nft list ruleset} text. */
  static Map<String, String> nftChains(String ruleset) {
    Map<String, String> chains = new HashMap<>();
    String table = null;
    String chain = null;
    for (String raw : ruleset.lines().toList()) {
      String l = raw.strip();
      if (l.startsWith("table ") && l.endsWith("{")) {
        table = l.substring(6, l.length() - 1).strip();
        chains.putIfAbsent(table + "/", "");
      } else if (l.startsWith("chain ") && l.endsWith("{") && table != null) {
        chain = l.substring(6, l.length() - 1).strip();
        chains.put(table + "/" + chain, "");
      } else if (l.contains("policy ") && chain != null) {
        String p = l.substring(l.indexOf("policy ") + 7);
        chains.put(table + "/" + chain, p.replace(";", "").strip());
      }
    }
    chains.keySet().removeIf(k -> k.endsWith("/") && chains.keySet().stream().anyMatch(
        o -> !o.equals(k) && o.startsWith(k)));
    return chains;
  }

  private static LabCheck checkRelay(RelayStatus r) {
    if (r == null) {
      return LabCheck.bad("relay", "process", "unknown");
    }
    RelayCounters c = r.counters();
    String counters = c == null ? "" : " · guest→host " + c.guestToHostFrames() + " frames " + c.guestToHostBytes()
        + " B · host→guest " + c.hostToGuestFrames() + " frames " + c.hostToGuestBytes() + " B · dropped "
        + c.dropped();
    return switch (r.process()) {
      case RUNNING -> LabCheck.ok("relay", "process", "pid " + r.pid() + " relaying" + counters);
      case STOPPED -> LabCheck.bad("relay", "process", "pid " + r.pid()
          + " is stopped (SIGSTOP): it holds both taps but copies nothing" + counters);
      case DEAD -> LabCheck.bad("relay", "process", "pid " + r.pid() + " is not running (killed or crashed)"
          + counters);
      case ABSENT -> LabCheck.bad("relay", "process", "not running (no pidfile)");
    };
  }
}
