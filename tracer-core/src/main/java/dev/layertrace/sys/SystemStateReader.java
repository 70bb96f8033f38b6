package dev.layertrace.sys;

import dev.layertrace.state.StateDigest;
import dev.layertrace.state.StateNormalizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the network state of the whole system, read-only, into a {@link StateDigest}: the namespace
 * this process runs in and every namespace under /run/netns, each with its links, addresses, IPv4 and
 * IPv6 routes of all tables, policy rules, forwarding/rp_filter/bridge sysctls, the nftables ruleset
 * and the iptables rules (nft backend, and legacy when the x_tables module is loaded — reading it then
 * loads nothing). Unlike {@link LabStateReader}, which reads the lab's namespaces for {@code lab status},
 * this covers namespaces it does not know, because a read-only promise is about the whole machine.
 */
public final class SystemStateReader {
  /** Forwarding, per-interface conf (rp_filter, forwarding, …) and bridge netfilter: what a fix would touch. */
  static final String SYSCTL_PATTERN = "^net\\.(ipv4\\.(ip_forward|conf\\.)|ipv6\\.conf\\.|bridge\\.)";
  private static final Path LEGACY_TABLES = Path.of("/proc/net/ip_tables_names");

  private SystemStateReader() {}

  /** The digest of every namespace. */
  public static StateDigest digest() {
    return digest(namedNamespaces());
  }

  /** The digest of the root namespace and of {@code namespaces} (named ones): what one check is about. */
  public static StateDigest digest(List<String> namespaces) {
    Map<String, Map<String, String>> all = new TreeMap<>();
    all.put(StateDigest.ROOT, read(null));
    for (String ns : namespaces) {
      all.put(ns, read(ns));
    }
    return new StateDigest(all);
  }

  /** The names under /run/netns, sorted; empty when the folder does not exist. */
  public static List<String> namedNamespaces() {
    if (!Files.isDirectory(Netns.RUN_NETNS)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(Netns.RUN_NETNS)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One namespace's sections; {@code netns} null means this process's own. */
  static Map<String, String> read(String netns) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("links", StateNormalizer.ipJson(ip(netns, "-d", "link", "show")));
    m.put("addresses", StateNormalizer.ipJson(ip(netns, "-d", "address", "show")));
    m.put("routes4", StateNormalizer.ipJson(ip(netns, "-4", "route", "show", "table", "all")));
    m.put("routes6", StateNormalizer.ipJson(ip(netns, "-6", "route", "show", "table", "all")));
    m.put("rules", StateNormalizer.ipJson(ip(netns, "rule", "show")));
    m.put("sysctls", StateNormalizer.sysctl(in(netns, "sysctl", "-a", "-r", SYSCTL_PATTERN)));
    m.put("nft", StateNormalizer.nftRuleset(in(netns, "nft", "-s", "list", "ruleset")));
    m.put("iptables-nft", StateNormalizer.iptablesSave(in(netns, "iptables-nft-save")));
    if (Files.exists(LEGACY_TABLES)) {
      m.put("iptables-legacy", StateNormalizer.iptablesSave(in(netns, "iptables-legacy-save")));
    }
    return m;
  }

  private static String ip(String netns, String... args) {
    List<String> argv = new ArrayList<>(List.of("ip"));
    if (netns != null) {
      argv.addAll(List.of("-n", netns));
    }
    argv.add("-j");
    argv.addAll(List.of(args));
    return Commands.run(argv.toArray(String[]::new)).stdout();
  }

  /** Runs a reading tool in {@code netns} (or here); a missing tool reads as its error text, which is stable too. */
  private static String in(String netns, String... tool) {
    List<String> argv = new ArrayList<>();
    if (netns != null) {
      argv.addAll(List.of("ip", "netns", "exec", netns));
    }
    argv.addAll(List.of(tool));
    Commands.Result r = Commands.run(argv.toArray(String[]::new));
    return r.stdout() + (r.ok() ? "" : "exit " + r.exitCode() + ": " + r.stderr());
  }
}
