package dev.layertrace.cli;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.bench.Figure;
import dev.layertrace.bench.Target;
import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.NamespaceScope;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.discover.RulesetHook;
import dev.layertrace.lab.ExpectedVerdict;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import dev.layertrace.model.Verdict;
import dev.layertrace.probe.ProbeId;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.probe.TraceListener;
import dev.layertrace.probe.TraceSession;
import dev.layertrace.sys.CommandTimer;
import dev.layertrace.sys.LabStateReader;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.sys.LiveHost;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code bench all}'s traces-in-one-process figures, through {@code trace --repeat}: on the standard
 * lab (held under its lock, left as found) the path is discovered once per lab state, then {@code traces}
 * rounds run in one session — healthy, then with host-forward-drop — each checked against the expected
 * verdict. The rate counts the session's set-up and the batched evidence, not the discovery. Beside it
 * (baseline) the same traces as separate sessions one after another, as a loop did before
 * {@code --repeat}; and the whole {@code trace --repeat} command in a fresh JVM, discovery included.
 */
final class BenchRepeatLoop {
  static final String SECTION = BenchScaleCommand.SECTION_LOOP;
  static final LabFault FAULT = LabFault.HOST_FORWARD_DROP;

  /** Rounds per lab state. */
  int traces = 100;
  /** Separate-session traces per lab state, for the baseline. */
  int separate = 20;
  /** The jar for the whole-command figures; null: those figures are left out. */
  Path jar;
  final List<String> notes = new ArrayList<>();

  /** The rate and wrong verdicts of one lab state. */
  private record Rate(double perSecond, int wrong) {}

  @SuppressWarnings("try") // the try block holds the lab lock
  List<Figure> measure() {
    if (traces < 2 || separate < 1) {
      throw LayertraceException.usage("traces >= 2 and separate >= 1");
    }
    LabSystem lab = LabCommand.lab();
    LabTopology t = lab.topology();
    boolean wasUp = LabStateReader.exists(LabTopology.CTR);
    ProbeSpec probe = icmp();
    try (LabSystem.AutoCloseableLock hold = lab.hold()) {
      lab.up();
      lab.reach(20, 200);
      DiscoveredPath healthyPath = discover(t);
      rounds(t, healthyPath, probe, 10, null); // warm-up: class loading, the JIT
      Rate healthy = rounds(t, healthyPath, probe, traces, null);
      Rate healthySeparate = separately(t, healthyPath, probe, separate, null);
      Double healthyWhole = whole(t, 0);
      Rate broken;
      Rate brokenSeparate;
      Double brokenWhole;
      lab.breakFault(FAULT);
      try {
        DiscoveredPath brokenPath = discover(t);
        ExpectedVerdict expected = FAULT.expectedVerdict(t);
        broken = rounds(t, brokenPath, probe, traces, expected);
        brokenSeparate = separately(t, brokenPath, probe, separate, expected);
        brokenWhole = whole(t, 1);
      } finally {
        lab.heal(FAULT);
      }
      String base = SECTION + ": the same traces as separate sessions (observers, raw socket and tracefs instance"
          + " opened and closed per trace), one after another, path discovered once per lab state; "
          + separate + " per state";
      String state = "path discovered once per lab state; session set-up and evidence included";
      List<Figure> out = new ArrayList<>(List.of(
          new Figure(SECTION, "trace --repeat " + traces + " in one process, healthy (" + state + ")",
              healthy.perSecond(), healthySeparate.perSecond(), "traces/s", Target.atLeast(20), base),
          new Figure(SECTION, "trace --repeat " + traces + " in one process, " + FAULT.word() + " (" + state + ")",
              broken.perSecond(), brokenSeparate.perSecond(), "traces/s", Target.atLeast(20), base),
          Figure.of(SECTION, "of these " + 2 * traces + ", traces with the expected verdict",
              2 * traces - healthy.wrong() - broken.wrong(), "", Target.atLeast(2 * traces))));
      if (healthyWhole != null) {
        out.add(Figure.of(SECTION, "whole 'layertrace trace --repeat " + traces + "' (fresh JVM, discovery"
            + " included), healthy", traces / (healthyWhole / 1e3), "traces/s", null));
        out.add(Figure.of(SECTION, "whole 'layertrace trace --repeat " + traces + "' (fresh JVM, discovery"
            + " included), " + FAULT.word(), traces / (brokenWhole / 1e3), "traces/s", null));
      }
      if (healthySeparate.wrong() + brokenSeparate.wrong() > 0) {
        notes.add((healthySeparate.wrong() + brokenSeparate.wrong()) + " separate-session baseline traces had an"
            + " unexpected verdict");
      }
      return out;
    } finally {
      if (!wasUp) {
        lab.down();
      }
    }
  }

  /** {@code n} rounds in one session, as {@code trace --repeat n} runs them. */
  private Rate rounds(LabTopology t, DiscoveredPath path, ProbeSpec probe, int n, ExpectedVerdict expected) {
    List<ProbeId> ids = ProbeId.allocate(n, new Random());
    long t0 = System.nanoTime();
    TraceSession.Result r;
    try (TraceSession session = TraceSession.create(request(t, path, probe, n, "-repeat"))) {
      session.open(ids);
      r = TraceRounds.run(session, ids, n, TraceListener.NONE, System.nanoTime() - t0);
    }
    long took = System.nanoTime() - t0;
    return new Rate(n / (took / 1e9), wrong(r.verdicts(), expected));
  }

  /** {@code n} traces one after another, each with its own session. */
  private Rate separately(LabTopology t, DiscoveredPath path, ProbeSpec probe, int n, ExpectedVerdict expected) {
    int wrong = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      wrong += wrong(TraceSession.trace(request(t, path, probe, 1, "-separate")).verdicts(), expected);
    }
    return new Rate(n / ((System.nanoTime() - t0) / 1e9), wrong);
  }

  /** The wall time (ms) of one fresh-JVM {@code trace --repeat}, which must exit {@code exitCode}; null without a jar. */
  private Double whole(LabTopology t, int exitCode) {
    if (jar == null) {
      return null;
    }
    List<String> argv = new ArrayList<>(List.of("java"));
    argv.addAll(BenchTraceCommand.JVM_OPTIONS);
    argv.addAll(List.of("-jar", jar.toString(), "trace", "--from", t.ctr(), "--to", LabTopology.REMOTE, "--repeat",
        Integer.toString(traces), "--scope", String.join(",", t.namespaces())));
    CommandTimer.Timed w = CommandTimer.time(argv, Duration.ofSeconds(120));
    if (w.exitCode() != exitCode) {
      throw new LayertraceException(ExitCode.INTERNAL, "'" + String.join(" ", argv) + "' exited " + w.exitCode()
          + ", not " + exitCode);
    }
    return w.wallNs() / 1e6;
  }

  private int wrong(List<Verdict> verdicts, ExpectedVerdict expected) {
    int wrong = 0;
    for (Verdict v : verdicts) {
      boolean ok = expected == null ? v.outcome() == Outcome.REACHED : expected.matches(v);
      if (!ok) {
        wrong++;
        if (notes.size() < 10) {
          notes.add("unexpected verdict (expected " + (expected == null ? "reached" : expected.describe()) + "): "
              + v.outcome().word() + " " + v.cause() + " at " + (v.layer() == null ? "-" : v.layer().label())
              + "; evidence: " + String.join(" | ", v.evidence()));
        }
      }
    }
    return wrong;
  }

  private static TraceSession.Request request(LabTopology t, DiscoveredPath path, ProbeSpec probe, int count,
      String suffix) {
    return new TraceSession.Request(path.graph(), path.findings(), List.of(), probe, count,
        "layertrace-" + ProcessHandle.current().pid() + suffix, scope(t), null);
  }

  /** The lab's own namespaces: another lab's look-alike tap (a copy's tap0) cannot be taken for this one's. */
  private static NamespaceScope scope(LabTopology t) {
    return NamespaceScope.parse(String.join(",", t.namespaces()), true);
  }

  private static DiscoveredPath discover(LabTopology t) {
    try (LiveHost live = LiveHost.scan(scope(t))) {
      return new PathResolver(new DecodingHostView(live), new RulesetHook(live::rulesets))
          .resolve(new PathRequest(t.ctr(), "netns:" + t.ctr(), LabTopology.REMOTE, Protocol.ICMP, 0));
    }
  }

  private static ProbeSpec icmp() {
    try {
      return new ProbeSpec(Protocol.ICMP, null, (Inet4Address) InetAddress.getByName(LabTopology.REMOTE), 0, 0,
          false, 64);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
