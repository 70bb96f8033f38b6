package dev.layertrace.sys;

import dev.layertrace.LayertraceException;
import dev.layertrace.netfilter.NetfilterDump;
import dev.layertrace.netfilter.NetfilterModel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Reads a namespace's netfilter rules with the tools that own them: {@code nft -j list ruleset}
 * (native nftables and iptables-nft tables), {@code iptables-nft-save} (the options of iptables
 * extensions that {@code nft -j} hides) and {@code iptables-legacy-save} (x_tables rules, invisible to
 * nft). IPv4 only. The tools run as children of a {@link NetnsExecutor} thread, so they see that
 * thread's namespace.
 */
public final class NetfilterReader {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private NetfilterReader() {}

  /** Reads and parses the rules of {@code ns}. */
  public static NetfilterModel read(Netns ns) {
    return dump(ns).parse();
  }

  /** The raw tool output of {@code ns}, run from a thread inside it. */
  public static NetfilterDump dump(Netns ns) {
    requireTools();
    try (NetnsExecutor inside = NetnsExecutor.enter(ns)) {
      return inside.call(NetfilterReader::dumpHere);
    }
  }

  /**
   * The raw tool output of the namespace the calling thread is in; call it on a
   * {@link NetnsExecutor} thread that other work in that namespace already uses.
   */
  public static NetfilterDump dumpHere() {
    Commands.require("nft", "nftables");
    Commands.require("iptables-nft-save", "iptables");
    return new NetfilterDump(
        run("nft", "-j", "list", "ruleset"),
        optional("iptables-nft-save"),
        legacyRules());
  }

  /**
   * iptables-legacy-save's output; without the tool (a minimal guest with only xtables-nft) that is
   * empty as long as the kernel's legacy ip_tables is not loaded, for then no legacy rule can exist.
   */
  private static String legacyRules() {
    if (Commands.which("iptables-legacy-save").isEmpty() && !hasLegacyTables()) {
      return "";
    }
    Commands.require("iptables-legacy-save", "iptables");
    return run("iptables-legacy-save");
  }

  /**
   * Whether this thread's namespace has a legacy x_tables table: {@code ip_tables_names} lists them (it
   * exists, empty, once the ip_tables module is loaded; per namespace, hence thread-self).
   */
  private static boolean hasLegacyTables() {
    return ProcReaders.read(java.nio.file.Path.of("/proc/thread-self/net/ip_tables_names"))
        .map(t -> !t.isBlank()).orElse(false);
  }

  /** Fails with exit 3 naming the Debian package when a tool is missing. */
  public static void requireTools() {
    Commands.require("nft", "nftables");
    Commands.require("iptables-nft-save", "iptables");
    if (hasLegacyTables()) {
      Commands.require("iptables-legacy-save", "iptables");
    }
  }

  /**
   * iptables-nft-save only adds detail to what nft already showed, so its failure (e.g. on a table it
   * cannot translate) leaves those rules as nft prints them instead of failing the read.
   */
  private static String optional(String... argv) {
    Commands.Result r = Commands.run(List.of(argv), null, TIMEOUT);
    return r.ok() ? r.stdout() : "";
  }

  private static String run(String... argv) {
    Commands.Result r = Commands.run(List.of(argv), null, TIMEOUT);
    if (r.ok()) {
      return r.stdout();
    }
    String err = r.stderr().strip().lines().findFirst().orElse("exit " + r.exitCode());
    String lower = err.toLowerCase(Locale.ROOT);
    if (lower.contains("operation not permitted") || lower.contains("permission denied")) {
      throw LayertraceException.missingPrivilege("CAP_NET_ADMIN", "to read netfilter rules with " + argv[0]);
    }
    throw LayertraceException.missingFeature("'" + String.join(" ", argv) + "' failed: " + err);
  }
}
