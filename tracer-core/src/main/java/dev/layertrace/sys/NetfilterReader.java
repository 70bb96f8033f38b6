package dev.layertrace.sys;

import dev.layertrace.LayertraceException;
import dev.layertrace.netfilter.NetfilterDump;
import dev.layertrace.netfilter.NetfilterModel;
import dev.layertrace.netfilter.NftJsonParser;
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

  /**
   * Reads and parses the rules of {@code ns}: the model {@code dump(ns).parse()} gives, with
   * iptables-nft-save's output (on a big ruleset the faster tool's) parsed while nft still runs.
   */
  public static NetfilterModel read(Netns ns) {
    requireTools();
    Tools tools;
    try (NetnsExecutor inside = NetnsExecutor.enter(ns)) {
      tools = inside.call(NetfilterReader::startHere);
    }
    // The children stay in the namespace they were started in; they are collected from here.
    Commands.Result details = tools.nftSave().await();
    NetfilterModel.Companion companion = NetfilterModel.Companion.parse(optional(details));
    if (tools.nft().running()) {
      NftJsonParser.warmUp(); // the parser's classes load while nft still writes, not after
    }
    Raw raw = tools.collect();
    return NetfilterModel.parse(raw.nft(), companion, raw.legacy());
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
   * {@link NetnsExecutor} thread that other work in that namespace already uses. The tools run side by
   * side (on a big ruleset each takes a good part of a second).
   */
  public static NetfilterDump dumpHere() {
    Tools tools = startHere();
    Commands.Result details = tools.nftSave().await();
    Raw raw = tools.collect();
    return new NetfilterDump(raw.nft(), optional(details), raw.legacy());
  }

  /** The tools, started; {@code legacySave} null when no legacy rule can exist. */
  private record Tools(Commands.Running nft, Commands.Running nftSave, Commands.Running legacySave) {
    /**
     * nft's and iptables-legacy-save's output, once both have ended (the caller collected
     * iptables-nft-save's first): a failing nft leaves no tool running behind it.
     */
    Raw collect() {
      Commands.Result rules = nft.await();
      Commands.Result legacyRules = legacySave == null ? null : legacySave.await();
      return new Raw(checked(rules), legacyRules == null ? "" : checked(legacyRules));
    }
  }

  private record Raw(String nft, String legacy) {}

  /** Starts the three tools in the calling thread's namespace; they run side by side. */
  private static Tools startHere() {
    Commands.require("nft", "nftables");
    Commands.require("iptables-nft-save", "iptables");
    boolean legacy = Commands.which("iptables-legacy-save").isPresent() || hasLegacyTables();
    if (legacy) {
      Commands.require("iptables-legacy-save", "iptables");
    }
    return new Tools(Commands.start(List.of("nft", "-j", "list", "ruleset"), null, TIMEOUT),
        Commands.start(List.of("iptables-nft-save"), null, TIMEOUT),
        legacy ? Commands.start(List.of("iptables-legacy-save"), null, TIMEOUT) : null);
  }

  /**
   * Whether this thread's namespace has a legacy x_tables table: {@code ip_tables_names} lists them (it
   * exists, empty, once the ip_tables module is loaded; per namespace, hence thread-self). Without
   * iptables-legacy-save (a minimal guest with only xtables-nft) and without such a table no legacy rule
   * can exist, so there is nothing to read.
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
  private static String optional(Commands.Result r) {
    return r.ok() ? r.stdout() : "";
  }

  private static String checked(Commands.Result r) {
    if (r.ok()) {
      return r.stdout();
    }
    String tool = r.argv().get(0);
    String err = r.stderr().strip().lines().findFirst().orElse("exit " + r.exitCode());
    String lower = err.toLowerCase(Locale.ROOT);
    if (lower.contains("operation not permitted") || lower.contains("permission denied")) {
      throw LayertraceException.missingPrivilege("CAP_NET_ADMIN", "to read netfilter rules with " + tool);
    }
    throw LayertraceException.missingFeature("'" + String.join(" ", r.argv()) + "' failed: " + err);
  }
}
