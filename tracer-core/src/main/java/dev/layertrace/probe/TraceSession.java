package dev.layertrace.probe;

import dev.layertrace.discover.NamespaceScope;
import dev.layertrace.model.Direction;
import dev.layertrace.model.Finding;
import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Layer;
import dev.layertrace.model.Observation;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Probe;
import dev.layertrace.model.Verdict;
import dev.layertrace.packet.ArpPacket;
import dev.layertrace.sys.Commands;
import dev.layertrace.sys.NetnsExecutor;
import dev.layertrace.sys.Netns;
import dev.layertrace.sys.PacketObserver;
import dev.layertrace.sys.ProbeInjector;
import dev.layertrace.sys.TracefsSession;
import dev.layertrace.verdict.ArpSighting;
import dev.layertrace.verdict.DropEvent;
import dev.layertrace.verdict.RuleDecision;
import dev.layertrace.verdict.SendResult;
import dev.layertrace.verdict.TraceFacts;
import dev.layertrace.verdict.VerdictEngine;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One trace: opens an observer on every device of the expected path (in its namespace), a raw
 * socket in the source namespace and a private tracefs instance; sends the probes; listens until the
 * replies are back at the source or every observer has been quiet for the adaptive window; binds the
 * kernel's drop events; reads the NAT mappings; and asks the verdict engine. {@link #close} releases
 * everything (sockets, namespace threads, the tracefs instance) and may be called from a shutdown
 * hook while {@link #run} is still going.
 */
public final class TraceSession implements AutoCloseable {
  private static final Pattern IPV4 = Pattern.compile("\\b(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})\\b");

  /**
   * What to trace. {@code rules} may be empty (no netfilter evaluation was made). {@code scope} limits
   * the namespaces the session may enter; {@code remote}, when not null, observes the layers of the
   * other kernel's half of {@code graph} (see {@link RemoteHalf}).
   */
  public record Request(PathGraph graph, List<Finding> findings, List<RuleDecision> rules, ProbeSpec spec, int count,
      String instanceName, NamespaceScope scope, RemoteHalf remote) {
    public Request {
      findings = findings == null ? List.of() : List.copyOf(findings);
      rules = rules == null ? List.of() : List.copyOf(rules);
      scope = scope == null ? NamespaceScope.ALL : scope;
    }

    /** A trace of one kernel, free to enter every namespace. */
    public Request(PathGraph graph, List<Finding> findings, List<RuleDecision> rules, ProbeSpec spec, int count,
        String instanceName) {
      this(graph, findings, rules, spec, count, instanceName, NamespaceScope.ALL, null);
    }
  }

  /**
   * What a {@link #watch} saw of its half: sightings (times relative to the start of the watch), and
   * the kernel drop events bound to each probe.
   */
  public record Watched(List<Observation> observations, List<ArpSighting> arp, Map<String, List<DropEvent>> drops,
      boolean kernelEventsAvailable, List<String> notes, Map<String, SendResult> sends) {}

  /** Receives a {@link #watch}'s sightings as they happen, on the watching thread. */
  public interface WatchSink {
    void observation(Observation o);

    void arp(ArpSighting a);
  }

  /** What came out, with the timings the benchmark reports. */
  public record Result(List<Probe> probes, List<Observation> observations, List<KernelEvent> kernelEvents,
      List<Verdict> verdicts, List<String> notes, long setupNs, long probePhaseNs, long verdictAfterInjectionNs) {}

  private final Request request;
  private final Map<String, NetnsExecutor> executors = new LinkedHashMap<>();
  private final List<PacketObserver> observers = new ArrayList<>();
  private ProbeInjector injector;
  private TracefsSession tracefs;
  private String tracefsWhy;
  private boolean closed;
  private long openedAtNs;

  private TraceSession(Request request) {
    this.request = request;
  }

  /**
   * A session that holds nothing yet: register {@link #close} as a shutdown hook first, then
   * {@link #open(List)}, so that an interrupt at any moment after the tracefs instance exists removes it.
   */
  public static TraceSession create(Request request) {
    return new TraceSession(request);
  }

  /** Opens observers, the injector and tracefs. Throws (after releasing what it opened) when it cannot. */
  public static TraceSession open(Request request, List<ProbeId> ids) {
    TraceSession s = create(request);
    s.open(ids);
    return s;
  }

  /** Opens observers, the injector and tracefs; after {@link #close} it refuses. */
  public void open(List<ProbeId> ids) {
    try {
      setUp(ids);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Convenience: allocate ids, open, run, close. */
  public static Result trace(Request request) {
    List<ProbeId> ids = ProbeId.allocate(request.count(), new Random());
    long t0 = System.nanoTime();
    try (TraceSession s = open(request, ids)) {
      return s.run(ids, System.nanoTime() - t0);
    }
  }

  /** The devices this session observes itself: the path's devices, less the remote half's. */
  private List<Layer> observed() {
    Set<String> remote = request.remote() == null ? Set.of() : request.remote().layerIds();
    return request.graph().toPath().hops().stream()
        .filter(l -> l.netns() != null && l.iface() != null && !remote.contains(l.id())).toList();
  }

  /** The namespaces of the remote half: their evidence comes from the remote. */
  private Set<String> remoteNamespaces() {
    Set<String> out = new LinkedHashSet<>();
    if (request.remote() != null) {
      request.graph().nodes().stream().filter(l -> request.remote().layerIds().contains(l.id()) && l.netns() != null)
          .forEach(l -> out.add(l.netns()));
    }
    return out;
  }

  private NetnsExecutor executor(String netns) {
    request.scope().require(netns);
    return executors.computeIfAbsent(netns, n -> NetnsExecutor.enter(Netns.byInventoryName(n)));
  }

  /**
   * Opens the observers and tracefs but no injector: for an agent that watches its half of a path
   * while the other kernel sends the probes. After {@link #close} it refuses.
   */
  public void openWatch(List<ProbeId> ids) {
    try {
      setUp(ids, false);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private synchronized void setUp(List<ProbeId> ids) {
    setUp(ids, !sourceIsRemote());
  }

  /** Whether the remote half holds the path's source, and so sends the probes. */
  private boolean sourceIsRemote() {
    List<Layer> hops = request.graph().toPath().hops();
    return request.remote() != null && !hops.isEmpty() && request.remote().layerIds().contains(hops.get(0).id());
  }

  private synchronized void setUp(List<ProbeId> ids, boolean inject) {
    if (closed) {
      throw new IllegalStateException("the trace session is closed (interrupted)");
    }
    List<Layer> hops = request.graph().toPath().hops();
    if (inject && (hops.isEmpty() || hops.get(0).netns() == null)) {
      throw dev.layertrace.LayertraceException.usage("the path has no source namespace to send from");
    }
    BpfProgram filter = ProbeFilter.program(request.spec().protocol(), ids, arpAddresses());
    for (Layer l : observed()) {
      observers.add(PacketObserver.open(executor(l.netns()), l.iface(), l.id(), filter.codes(), filter.jumpsIfTrue(),
          filter.jumpsIfFalse(), filter.constants()));
    }
    if (inject) {
      injector = ProbeInjector.open(executor(hops.get(0).netns()));
    }
    openedAtNs = System.nanoTime();
    int size = request.spec().size();
    try {
      tracefs = TracefsSession.start(request.instanceName(), List.of(size, size + 14, 28, 42));
    } catch (TracefsSession.Unavailable e) {
      tracefsWhy = e.getMessage();
    }
  }

  /** The addresses whose ARP the observers keep: every address on the path and every gateway named in it. */
  private List<Inet4Address> arpAddresses() {
    Set<String> ips = new LinkedHashSet<>();
    for (Layer l : request.graph().nodes()) {
      l.addresses().forEach(a -> ips.add(a.contains("/") ? a.substring(0, a.indexOf('/')) : a));
      for (String v : l.details().values()) {
        Matcher m = IPV4.matcher(v);
        while (m.find()) {
          ips.add(m.group(1));
        }
      }
    }
    List<Inet4Address> out = new ArrayList<>();
    for (String ip : ips) {
      try {
        if (InetAddress.getByName(ip) instanceof Inet4Address a && !a.isAnyLocalAddress() && out.size() < 16) {
          out.add(a);
        }
      } catch (java.net.UnknownHostException e) {
        // a version string that looked like an address
      }
    }
    return out;
  }

  /** Sends the probes and collects what comes back; {@code setupNs} is reported as is. */
  public Result run(List<ProbeId> ids, long setupNs) {
    return run(ids, setupNs, TraceListener.NONE);
  }

  /**
   * As {@link #run(List, long)}, and tells {@code listener} the path, then each observation as the
   * polling loop reads it, then the kernel events once they are bound.
   */
  public Result run(List<ProbeId> ids, long setupNs, TraceListener listener) {
    return run(ids, setupNs, listener, false);
  }

  /**
   * One of several traces that follow one another in this session ({@code trace --repeat}): the
   * session was opened with the ids of every round, {@code ids} are this round's. Observers, the raw
   * socket and the tracefs instance stay open, which is what makes a loop of traces fast; the kernel's
   * events are read and cleared after each round. The verdicts lack the evidence that asks a tool per
   * namespace (conntrack, the forward chains): {@link #roundsEvidence} adds it for many rounds at once.
   */
  public Result runRound(List<ProbeId> ids, TraceListener listener) {
    return run(ids, 0, listener, true);
  }

  /**
   * Adds to the verdicts of {@link #runRound}s (in the order of {@code probes}) the kernel's NAT mapping
   * of each probe and, for a probe a filter dropped, the forward chains of its namespace: one conntrack
   * and one ruleset read per namespace for all those rounds, not one per round (they cost more than a
   * round). Call it before the oldest round's conntrack entry can expire (30 s for ICMP and UDP).
   */
  public List<Verdict> roundsEvidence(List<Verdict> verdicts, List<Probe> probes) {
    if (verdicts.size() != probes.size()) {
      throw new IllegalArgumentException(verdicts.size() + " verdicts for " + probes.size() + " probes");
    }
    return addFilterChains(addConntrack(verdicts, probes, null), null);
  }

  private Result run(List<ProbeId> ids, long setupNs, TraceListener listener, boolean more) {
    ProbeSpec spec = resolveSource(request.spec());
    Layer source = request.graph().toPath().hops().get(0);
    ProbeMatcher matcher = new ProbeMatcher(ids);
    Map<ProbeId, ProbeInjector.SendAttempt> sends = new LinkedHashMap<>();
    List<Probe> probes = new ArrayList<>();
    Map<ProbeId, List<Observation>> obs = new LinkedHashMap<>();
    List<ArpSighting> arp = new ArrayList<>();
    List<Observation> arpObs = new ArrayList<>();
    ids.forEach(id -> obs.put(id, new ArrayList<>()));
    tell(() -> listener.onPath(request.graph()));

    long zero = System.nanoTime();
    RemoteHalf remote = request.remote();
    Map<ProbeId, List<Observation>> remoteObs = new LinkedHashMap<>();
    List<ArpSighting> remoteArp = new ArrayList<>();
    ids.forEach(id -> remoteObs.put(id, new ArrayList<>()));
    if (remote != null) {
      remote.go();
    }
    for (int i = 0; i < ids.size(); i++) {
      ProbeId id = ids.get(i);
      probes.add(ProbePackets.describe(spec, id));
      // A remote source sends on go; whether its kernel took the probe comes with its finish.
      sends.put(id, injector == null ? new ProbeInjector.SendAttempt(zero, null, null)
          : injector.send(ProbePackets.build(spec, id, i + 1), spec.dst()));
    }
    Set<ProbeId> waiting = new LinkedHashSet<>();
    sends.forEach((id, s) -> {
      if (s.sent()) {
        waiting.add(id);
      }
    });
    EndOfTraceWindow window = EndOfTraceWindow.startingAt(System.nanoTime());
    Set<String> beforeVmm = layersBeforeVmm();
    if (waiting.isEmpty()) {
      window.replyAtSource();
    }
    java.util.function.Consumer<PacketObserver.Frame> onFrame = fr ->
      matcher.classify(fr.data(), fr.length()).ifPresent(s -> {
        window.sighted(fr.readAtNs());
        long t = fr.readAtNs() - zero;
        if (s.isArp()) {
          ArpSighting sighting = arpSighting(fr, s.arp().orElseThrow(), t);
          arp.add(sighting);
          Observation o = arpObservation(ids.get(0), sighting);
          arpObs.add(o);
          tell(() -> listener.onObservation(o));
          return;
        }
        ProbeId id = s.probe();
        if (s.direction() == Direction.REQUEST && fr.outgoing() && beforeVmm.contains(fr.observer().layerId())) {
          window.crossingSlowHop();
        }
        Observation o = new Observation(id.hex(), fr.observer().layerId(), s.direction(), t, fr.outgoing(),
            s.seenPacket());
        obs.get(id).add(o);
        tell(() -> listener.onObservation(o));
        if (s.direction() == Direction.REPLY && !fr.outgoing() && fr.observer().layerId().equals(source.id())) {
          waiting.remove(id);
          if (waiting.isEmpty()) {
            window.replyAtSource();
          }
        }
      });
    // With a remote half, wake often enough to take its sightings while they still matter to the window.
    int cap = remote == null ? Integer.MAX_VALUE : 5;
    while (!window.finished(System.nanoTime())) {
      if (remote != null) {
        RemoteHalf.Sightings rs = remote.poll();
        if (!rs.isEmpty()) {
          window.sighted(System.nanoTime());
        }
        for (ArpSighting a : rs.arp()) {
          remoteArp.add(a);
          Observation o = arpObservation(ids.get(0), a);
          arpObs.add(o);
          tell(() -> listener.onObservation(o));
        }
        for (Observation o : rs.observations()) {
          ProbeId id = ids.stream().filter(x -> x.hex().equals(o.probeId())).findFirst().orElse(null);
          if (id == null) {
            continue; // not one of ours: an agent answers only for the ids it was given
          }
          remoteObs.get(id).add(o);
          tell(() -> listener.onObservation(o));
          if (o.direction() == Direction.REQUEST && o.outgoing() && beforeVmm.contains(o.layerId())) {
            window.crossingSlowHop();
          }
          if (o.direction() == Direction.REPLY && !o.outgoing() && o.layerId().equals(source.id())) {
            waiting.remove(id);
            if (waiting.isEmpty()) {
              window.replyAtSource();
            }
          }
        }
      }
      int wait = Math.max(1, Math.min(cap, window.remainingMs(System.nanoTime())));
      PacketObserver.poll(observers, wait).forEach(onFrame);
    }
    // Frames queued before the window closed but not read yet still belong to the trace (a slow
    // guest kernel, or a remote half that kept the window busy).
    for (List<PacketObserver.Frame> left = PacketObserver.poll(observers, 0); !left.isEmpty();
        left = PacketObserver.poll(observers, 0)) {
      left.forEach(onFrame);
    }
    long end = System.nanoTime();

    List<String> notes = new ArrayList<>();
    List<TraceRecord> records = kernelRecords(notes, more);
    RemoteHalf.Finish finish = remote == null ? null : remote.finish();
    if (finish != null) {
      finish.notes().forEach(n -> notes.add("agent: " + n));
      // The agent's last sightings precede its finish on the wire: whatever came after our window
      // closed still belongs to the trace (a cold agent may lag behind the reply at the source).
      RemoteHalf.Sightings late = remote.poll();
      remoteArp.addAll(late.arp());
      late.arp().forEach(a -> arpObs.add(arpObservation(ids.get(0), a)));
      for (Observation o : late.observations()) {
        ids.stream().filter(x -> x.hex().equals(o.probeId())).findFirst().ifPresent(id -> remoteObs.get(id).add(o));
      }
    }
    List<ArpSighting> allArp = new ArrayList<>(arp);
    allArp.addAll(remoteArp);
    KernelDropBinder binder = new KernelDropBinder(observed());
    List<Verdict> verdicts = new ArrayList<>();
    List<KernelEvent> kernelEvents = new ArrayList<>();
    List<Observation> allObs = new ArrayList<>();
    for (ProbeId id : ids) {
      ProbeInjector.SendAttempt attempt = sends.get(id);
      SendResult sent = attempt.sent() ? SendResult.SENT : SendResult.failed(attempt.errno(), attempt.message());
      if (injector == null && finish != null) {
        sent = finish.sends().getOrDefault(id.hex(), SendResult.SENT);
      }
      List<Observation> mine = new ArrayList<>(obs.get(id));
      // Only this kernel's sightings bind this kernel's drop events: the remote's are on its own clock.
      List<DropEvent> drops = new ArrayList<>(tracefs == null ? List.of()
          : binder.bind(records, KernelDropBinder.timed(mine, arp, zero), KernelDropBinder.windowStart(zero), end,
              zero));
      mine.addAll(remoteObs.get(id));
      allObs.addAll(mine);
      if (finish != null) {
        drops.addAll(finish.drops().getOrDefault(id.hex(), List.of()));
      }
      drops.forEach(d -> kernelEvents.add(KernelDropBinder.toModel(id.hex(), d)));
      boolean eventsAvailable = tracefs != null && (finish == null || finish.kernelEventsAvailable());
      TraceFacts facts = new TraceFacts(request.graph(), probes.get(ids.indexOf(id)),
          sent, mine, allArp, drops,
          request.findings(), request.rules(), eventsAvailable);
      verdicts.add(VerdictEngine.decide(facts));
    }
    long decided = System.nanoTime();
    List<Verdict> withNat = more ? verdicts : addFilterChains(addConntrack(verdicts, probes, finish), finish);
    allObs.addAll(arpObs);
    kernelEvents.forEach(e -> tell(() -> listener.onKernelEvent(e)));
    return new Result(probes, allObs, kernelEvents, withNat, notes, setupNs, end - zero, decided - zero);
  }

  /**
   * Observes this session's layers until {@code stop} says so, handing each sighting to {@code sink}
   * as it is read, then binds the kernel's drop events: an agent's half of a trace whose probes the
   * other kernel sends. Times are relative to the call.
   */
  public Watched watch(List<ProbeId> ids, WatchSink sink, java.util.function.BooleanSupplier stop) {
    ProbeMatcher matcher = new ProbeMatcher(ids);
    Map<ProbeId, List<Observation>> obs = new LinkedHashMap<>();
    ids.forEach(id -> obs.put(id, new ArrayList<>()));
    List<ArpSighting> arp = new ArrayList<>();
    long zero = System.nanoTime();
    // With an injector this half holds the source: it sends the probes the moment it is told to go.
    Map<String, SendResult> sent = new LinkedHashMap<>();
    if (injector != null) {
      ProbeSpec spec = resolveSource(request.spec());
      for (int i = 0; i < ids.size(); i++) {
        ProbeInjector.SendAttempt a = injector.send(ProbePackets.build(spec, ids.get(i), i + 1), spec.dst());
        sent.put(ids.get(i).hex(), a.sent() ? SendResult.SENT : SendResult.failed(a.errno(), a.message()));
      }
    }
    while (true) {
      boolean stopping = stop.getAsBoolean();
      List<PacketObserver.Frame> frames = PacketObserver.poll(observers, stopping ? 0 : 5);
      // After the stop, read on until the sockets are empty: frames queued before it still count
      // (a watch that starts late, or a tracer that stops early, must not lose them).
      if (stopping && frames.isEmpty()) {
        break;
      }
      for (PacketObserver.Frame fr : frames) {
        matcher.classify(fr.data(), fr.length()).ifPresent(s -> {
          long t = fr.readAtNs() - zero;
          if (s.isArp()) {
            ArpSighting sighting = arpSighting(fr, s.arp().orElseThrow(), t);
            arp.add(sighting);
            sink.arp(sighting);
            return;
          }
          Observation o = new Observation(s.probe().hex(), fr.observer().layerId(), s.direction(), t, fr.outgoing(),
              s.seenPacket());
          obs.get(s.probe()).add(o);
          sink.observation(o);
        });
      }
    }
    long end = System.nanoTime();
    List<String> notes = new ArrayList<>();
    List<TraceRecord> records = kernelRecords(notes, false);
    KernelDropBinder binder = new KernelDropBinder(observed());
    Map<String, List<DropEvent>> drops = new LinkedHashMap<>();
    List<Observation> all = new ArrayList<>();
    for (ProbeId id : ids) {
      all.addAll(obs.get(id));
      // From the opening, not the watch's start: the other kernel may send before this thread is
      // watching; the observers and tracefs queued what came since they opened.
      drops.put(id.hex(), tracefs == null ? List.of()
          : binder.bind(records, KernelDropBinder.timed(obs.get(id), arp, zero), openedAtNs - 1_000_000L, end, zero));
    }
    return new Watched(all, arp, drops, tracefs != null, notes, sent);
  }

  /** Reads the tracefs events (stopping it, unless more rounds follow); without one, says why in {@code notes}. */
  private List<TraceRecord> kernelRecords(List<String> notes, boolean more) {
    List<TraceRecord> records = new ArrayList<>();
    if (tracefs != null) {
      (more ? tracefs.readAndClear() : tracefs.stopAndRead()).forEach(l -> TraceRecord.parse(l).ifPresent(records::add));
    } else {
      notes.add("kernel drop events unavailable: " + tracefsWhy);
    }
    return records;
  }

  private static ArpSighting arpSighting(PacketObserver.Frame fr, ArpPacket a, long timeNs) {
    return new ArpSighting(fr.observer().layerId(), a.isRequest(), a.senderIp().getHostAddress(),
        a.targetIp().getHostAddress(), fr.outgoing(), timeNs);
  }

  private static Observation arpObservation(ProbeId first, ArpSighting a) {
    return new Observation(first.hex(), a.layerId(), Direction.REQUEST, a.timeNs(), a.outgoing(),
        new dev.layertrace.model.SeenPacket("arp", a.senderIp(), a.targetIp(), null, null, null, null, null, null,
            null, null, null));
  }

  /** A listener is a viewer: its failure must not cost the trace its verdict. */
  private static void tell(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      // ignored on purpose: see TraceListener
    }
  }

  /** The devices whose next layer on the path is a VMM link (a guest NIC). */
  private Set<String> layersBeforeVmm() {
    List<Layer> hops = request.graph().toPath().hops();
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i + 1 < hops.size(); i++) {
      if (hops.get(i + 1).kind() == dev.layertrace.model.LayerKind.VMM_LINK) {
        out.add(hops.get(i).id());
      }
    }
    return out;
  }

  /** The kernel's NAT mapping of each probe in every namespace with a NAT layer, as evidence of translation. */
  private List<Verdict> addConntrack(List<Verdict> verdicts, List<Probe> probes, RemoteHalf.Finish finish) {
    Map<String, List<String>> entries = new LinkedHashMap<>(conntrackEntries());
    if (finish != null) {
      entries.putAll(finish.conntrack());
    }
    if (entries.isEmpty()) {
      return verdicts;
    }
    List<Verdict> out = new ArrayList<>();
    for (int i = 0; i < verdicts.size(); i++) {
      Verdict v = verdicts.get(i);
      Probe p = probes.get(i);
      String key = p.protocol() == dev.layertrace.model.Protocol.ICMP ? "id=" + Integer.parseInt(p.id(), 16)
          : "sport=" + p.srcPort();
      List<String> ev = new ArrayList<>(v.evidence());
      entries.forEach((ns, lines) -> lines.stream().filter(l -> l.contains(key + " ") || l.endsWith(key))
          .findFirst().ifPresent(l -> ev.add("conntrack " + ns + ": " + l.replaceAll("\\s+", " ").strip())));
      out.add(new Verdict(v.probeId(), v.outcome(), v.layer(), v.cause(), v.explanation(), ev, v.fix()));
    }
    return out;
  }

  /**
   * The kernel's conntrack entries towards the probe's destination in each NAT namespace of the path
   * that this session observes itself; empty without the conntrack tool.
   */
  public Map<String, List<String>> conntrackEntries() {
    Map<String, List<String>> entries = new LinkedHashMap<>();
    if (Commands.which("conntrack").isEmpty()) {
      return entries;
    }
    Set<String> natNs = new LinkedHashSet<>();
    Set<String> remoteNs = remoteNamespaces();
    request.graph().toPath().hops().stream().filter(l -> l.kind() == dev.layertrace.model.LayerKind.NAT)
        .filter(l -> l.netns() != null && !remoteNs.contains(l.netns())).forEach(l -> natNs.add(l.netns()));
    for (String ns : natNs) {
      try {
        String out = executor(ns).call(() -> Commands.run(List.of("conntrack", "-L", "-d", request.spec().dst()
            .getHostAddress()), null, java.time.Duration.ofSeconds(3)).stdout());
        entries.put(ns, out.lines().toList());
      } catch (RuntimeException e) {
        // conntrack is evidence, not a requirement
      }
    }
    return entries;
  }

  /** For each namespace of this session's own half with a filter layer: the line naming its forward-hook chains. */
  public Map<String, String> forwardChainLines() {
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> remoteNs = remoteNamespaces();
    request.graph().toPath().hops().stream().filter(l -> l.kind() == dev.layertrace.model.LayerKind.FILTER)
        .filter(l -> l.netns() != null && !remoteNs.contains(l.netns())).forEach(l -> {
          String line = forwardChains(l.netns());
          if (line != null) {
            out.put(l.netns(), line);
          }
        });
    return out;
  }

  /**
   * For a probe a filter dropped: every chain on the forward hook of that namespace, with its table,
   * backend, policy and rule count. iptables-nft and a native nft table (or iptables-legacy) are
   * separate tables on one hook; a packet must pass all of them, so naming them all shows the culprit.
   */
  private List<Verdict> addFilterChains(List<Verdict> verdicts, RemoteHalf.Finish finish) {
    List<Verdict> out = new ArrayList<>();
    Map<String, String> byNs = new LinkedHashMap<>();
    if (finish != null) {
      byNs.putAll(finish.forwardChains());
    }
    Set<String> remoteNs = remoteNamespaces();
    for (Verdict v : verdicts) {
      if (!"filtered".equals(v.cause()) || v.layer() == null || v.layer().netns() == null) {
        out.add(v);
        continue;
      }
      String ns = v.layer().netns();
      String line = remoteNs.contains(ns) ? byNs.get(ns) : byNs.computeIfAbsent(ns, n -> forwardChains(n));
      List<String> ev = new ArrayList<>(v.evidence());
      if (line != null) {
        ev.add(line);
      }
      out.add(new Verdict(v.probeId(), v.outcome(), v.layer(), v.cause(), v.explanation(), ev, v.fix()));
    }
    return out;
  }

  private String forwardChains(String ns) {
    try {
      dev.layertrace.netfilter.NetfilterModel m = executor(ns).call(dev.layertrace.sys.NetfilterReader::dumpHere)
          .parse();
      List<String> chains = new ArrayList<>();
      java.util.Set<dev.layertrace.netfilter.Backend> backends = new LinkedHashSet<>();
      for (dev.layertrace.netfilter.Table t : m.tables()) {
        for (dev.layertrace.netfilter.Chain c : t.chains()) {
          if (c.hook() == dev.layertrace.netfilter.Hook.FORWARD && c.hasEffect()) {
            backends.add(t.backend());
            chains.add(t.family().word() + " " + t.name() + " " + c.name() + " (" + t.backend().word() + ", policy "
                + (c.policy() == null ? "accept" : c.policy().word()) + ", " + c.rules().size() + " rules)");
          }
        }
      }
      if (chains.isEmpty()) {
        return null;
      }
      return "rule " + ns + ": the forward hook runs " + String.join("; ", chains)
          + (chains.size() > 1 ? " — a packet must be accepted by every one of them"
              + (backends.size() > 1 ? " (" + backends.size() + " backends)" : "") : "");
    } catch (RuntimeException e) {
      return null; // the rules are evidence, not a requirement (nft or iptables may be missing)
    }
  }

  /** The probe's source: the source layer's address, or what the source namespace's routing picks. */
  private ProbeSpec resolveSource(ProbeSpec s) {
    if (s.src() != null) {
      return s;
    }
    Layer src = request.graph().toPath().hops().get(0);
    String addr = src.addresses().stream().filter(a -> a.contains(".")).findFirst()
        .map(a -> a.contains("/") ? a.substring(0, a.indexOf('/')) : a).orElse(null);
    if (addr == null && sourceIsRemote()) {
      return s; // the remote resolves it where it sends
    }
    if (addr == null) {
      String out = executor(src.netns()).call(() -> Commands.run(List.of("ip", "-o", "-4", "route", "get",
          s.dst().getHostAddress()), null, java.time.Duration.ofSeconds(3)).stdout());
      Matcher m = Pattern.compile("\\bsrc (\\S+)").matcher(out);
      addr = m.find() ? m.group(1) : null;
    }
    if (addr == null) {
      return s;
    }
    try {
      return new ProbeSpec(s.protocol(), (Inet4Address) InetAddress.getByName(addr), s.dst(), s.dstPort(), s.size(),
          s.df(), s.ttl());
    } catch (java.net.UnknownHostException e) {
      return s;
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (tracefs != null) {
      tracefs.close();
    }
    observers.forEach(PacketObserver::close);
    if (injector != null) {
      injector.close();
    }
    executors.values().forEach(NetnsExecutor::close);
  }
}
