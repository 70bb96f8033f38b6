package dev.layertrace.sys;

import dev.layertrace.netfilter.Backend;
import dev.layertrace.netfilter.Chain;
import dev.layertrace.netfilter.Hook;
import dev.layertrace.netfilter.NetfilterModel;
import dev.layertrace.netfilter.Table;
import dev.layertrace.probe.RuleTraceTable;
import dev.layertrace.verdict.NftTraceReader;
import dev.layertrace.verdict.RuleDecision;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --rule-trace}: in each namespace given, a temporary table {@code layertrace_trace_<pid>}
 * (see {@link RuleTraceTable}) marks the probes with nftrace, and an {@code nft -a monitor trace}
 * started from a thread inside the namespace prints what every nf_tables chain (iptables-nft ones
 * included) decided. {@link #close} (idempotent, safe from a shutdown hook) stops the monitors and
 * deletes the tables; {@link #sweepStale} removes tables left by killed runs.
 */
public final class NftRuleTrace implements AutoCloseable {
  private static final Duration NFT_TIMEOUT = Duration.ofSeconds(10);
  /** How long a monitor may take to subscribe to the trace group before the trace goes on without it. */
  private static final long SUBSCRIBE_WAIT_MS = 2000;
  /** NFNLGRP_NFTRACE is multicast group 9: bit 8 of the Groups column of /proc/PID/net/netlink. */
  private static final long NFTRACE_GROUP_BIT = 1L << 8;
  private static final int NETLINK_NETFILTER = 12;

  /** One namespace being traced. */
  private static final class Watch {
    final String netns;
    final NetnsExecutor inside;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    volatile long lastLineNs;
    Process monitor;
    boolean tableAdded;
    NetfilterModel model;

    Watch(String netns, NetnsExecutor inside) {
      this.netns = netns;
      this.inside = inside;
    }
  }

  private final String table;
  private final List<Watch> watches = new ArrayList<>();
  private final List<String> blind = new ArrayList<>();
  private boolean closed;

  private NftRuleTrace(String table) {
    this.table = table;
  }

  /** A trace that holds nothing yet: register {@link #close} as a shutdown hook, then {@link #start}. */
  public static NftRuleTrace create() {
    return new NftRuleTrace(RuleTraceTable.name(ProcessHandle.current().pid()));
  }

  /** The table's name, {@code layertrace_trace_<pid>}. */
  public String table() {
    return table;
  }

  /**
   * Adds the table ({@code script} from {@link RuleTraceTable#script}) and starts a monitor in each
   * namespace; returns once every monitor listens. A namespace where nft cannot trace gets a note.
   */
  public synchronized void start(List<String> namespaces, String script) {
    if (closed) {
      throw new IllegalStateException("the rule trace is closed (interrupted)");
    }
    Commands.require("nft", "nftables");
    for (String ns : namespaces) {
      Watch w = new Watch(ns, NetnsExecutor.enter(Netns.byInventoryName(ns)));
      watches.add(w);
      try {
        w.model = w.inside.call(NetfilterReader::dumpHere).parse();
      } catch (RuntimeException e) {
        w.model = null; // the backends only label the rules
      }
      legacyNote(w);
      // Tables of killed runs go with the next run that traces this namespace, not only with cleanup.
      w.inside.run(() -> sweepHere(ns, new ArrayList<>()));
      w.inside.call(() -> Commands.run(List.of("nft", "-f", "-"), script, NFT_TIMEOUT).orThrow());
      w.tableAdded = true;
      w.monitor = w.inside.call(() -> new ProcessBuilder(monitorCommand()).redirectErrorStream(true).start());
      Thread reader = new Thread(() -> readLines(w), "layertrace-nft-monitor-" + ns);
      reader.setDaemon(true);
      reader.start();
    }
    for (Watch w : watches) {
      awaitSubscribed(w);
    }
  }

  /**
   * {@code nft -a monitor trace}, under {@code setpriv --pdeathsig KILL} where util-linux has it: the
   * monitor then dies with the thread that started it (the namespace's executor, alive until
   * {@link #close}) even when this JVM is killed with SIGKILL, instead of reading netlink for ever.
   */
  private static List<String> monitorCommand() {
    List<String> argv = new ArrayList<>();
    Commands.which("setpriv").ifPresent(setpriv -> argv.addAll(List.of(setpriv.toString(), "--pdeathsig", "KILL")));
    argv.addAll(List.of("nft", "-a", "monitor", "trace"));
    return argv;
  }

  private void legacyNote(Watch w) {
    if (w.model == null) {
      return;
    }
    List<String> legacy = new ArrayList<>();
    for (Table t : w.model.tables()) {
      for (Chain c : t.chains()) {
        if (t.backend() == Backend.IPTABLES_LEGACY && c.hook() == Hook.FORWARD && c.hasEffect()) {
          legacy.add(t.family().word() + " " + t.name() + " " + c.name());
        }
      }
    }
    if (!legacy.isEmpty()) {
      blind.add("rule-trace " + w.netns + ": rules in iptables-legacy are not nf_tables rules: nft tracing cannot"
          + " see them (" + String.join(", ", legacy) + ")");
    }
  }

  private static void readLines(Watch w) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(w.monitor.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        w.lines.add(line);
        w.lastLineNs = System.nanoTime();
      }
    } catch (IOException e) {
      // the monitor was stopped
    }
  }

  /** Polls the monitor's netlink sockets until one is in the nftrace group; no fixed sleep. */
  private void awaitSubscribed(Watch w) {
    long pid = w.monitor.pid();
    Path netlink = Path.of("/proc", Long.toString(pid), "net", "netlink");
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SUBSCRIBE_WAIT_MS);
    while (System.nanoTime() < deadline && w.monitor.isAlive()) {
      try {
        for (String l : Files.readAllLines(netlink)) {
          String[] f = l.trim().split("\\s+");
          if (f.length > 3 && f[1].equals(Integer.toString(NETLINK_NETFILTER)) && f[2].equals(Long.toString(pid))
              && (Long.parseLong(f[3], 16) & NFTRACE_GROUP_BIT) != 0) {
            return;
          }
        }
      } catch (IOException | NumberFormatException e) {
        // the process is starting or gone: look again
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    blind.add("rule-trace " + w.netns + ": nft monitor trace did not start"
        + (w.monitor.isAlive() ? "" : " (" + String.join(" ", w.lines) + ")"));
  }

  /**
   * Waits until the monitors have been quiet for {@code quietMs} (at most {@code maxMs}), stops them,
   * removes the tables, and returns the decisions of every namespace.
   */
  public List<RuleDecision> stopAndRead(long quietMs, long maxMs) {
    long start = System.nanoTime();
    while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(maxMs)) {
      long last = watches.stream().mapToLong(w -> w.lastLineNs).max().orElse(0);
      if (System.nanoTime() - Math.max(last, start) >= TimeUnit.MILLISECONDS.toNanos(quietMs)) {
        break;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    List<RuleDecision> out = new ArrayList<>();
    for (Watch w : watches) {
      List<String> lines;
      synchronized (w.lines) {
        lines = List.copyOf(w.lines);
      }
      out.addAll(NftTraceReader.decisions(w.netns, lines, table, (family, name) -> backendOf(w.model, family, name)));
    }
    return out;
  }

  /** What tracing could not see, one line per namespace ({@code rule-trace NS: …}). */
  public synchronized List<String> blind() {
    return List.copyOf(blind);
  }

  /** Raw monitor lines per namespace (for recording fixtures). */
  public Map<String, List<String>> rawLines() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Watch w : watches) {
      synchronized (w.lines) {
        out.put(w.netns, List.copyOf(w.lines));
      }
    }
    return out;
  }

  private static String backendOf(NetfilterModel m, String family, String name) {
    if (m == null) {
      return null;
    }
    return m.tables().stream().filter(t -> t.family().word().equals(family) && t.name().equals(name))
        .map(t -> t.backend().word()).findFirst().orElse(null);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Watch w : watches) {
      if (w.monitor != null) {
        w.monitor.destroy();
        try {
          if (!w.monitor.waitFor(500, TimeUnit.MILLISECONDS)) {
            w.monitor.destroyForcibly();
          }
        } catch (InterruptedException e) {
          w.monitor.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
      if (w.tableAdded) {
        try {
          w.inside.call(() -> Commands.run(List.of("nft", "delete", "table", "inet", table), null, NFT_TIMEOUT));
        } catch (RuntimeException e) {
          // the namespace may be gone; the sweep of the next run removes what is left
        }
      }
      w.inside.close();
    }
  }

  private static final Pattern TABLE_LINE = Pattern.compile("table (\\S+) (" + RuleTraceTable.PREFIX + "\\d+)");

  /**
   * Deletes every {@code layertrace_trace_<pid>} table whose process is gone, in every named namespace
   * (/run/netns) and in this process's own; returns one line per table removed.
   * {@code layertrace cleanup} calls it.
   */
  public static List<String> sweepStale() {
    if (Commands.which("nft").isEmpty()) {
      return List.of();
    }
    List<String> removed = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try (var s = Files.list(Netns.RUN_NETNS)) {
      s.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
    } catch (IOException e) {
      // no named namespaces
    }
    sweepHere("(own namespace)", removed);
    for (String ns : names) {
      try (NetnsExecutor inside = NetnsExecutor.enter(Netns.byInventoryName(ns))) {
        inside.run(() -> sweepHere(ns, removed));
      } catch (RuntimeException e) {
        // a namespace that vanished or cannot be entered holds nothing we can remove
      }
    }
    return removed;
  }

  private static void sweepHere(String label, List<String> removed) {
    Commands.Result r = Commands.run(List.of("nft", "list", "tables"), null, NFT_TIMEOUT);
    Matcher m = TABLE_LINE.matcher(r.stdout());
    while (m.find()) {
      long pid = RuleTraceTable.ownerPid(m.group(2));
      if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        continue;
      }
      if (Commands.run(List.of("nft", "delete", "table", m.group(1), m.group(2)), null, NFT_TIMEOUT).ok()) {
        synchronized (removed) {
          removed.add("nft table " + m.group(1) + " " + m.group(2) + " in " + label);
        }
      }
    }
  }
}
