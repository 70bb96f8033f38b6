package dev.layertrace.cli;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.Version;
import dev.layertrace.agent.AgentClient;
import dev.layertrace.agent.AgentUnreachable;
import dev.layertrace.discover.DecodingHostView;
import dev.layertrace.discover.NamespaceScope;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.discover.RulesetHook;
import dev.layertrace.discover.SourceSpec;
import dev.layertrace.sys.SourceResolver;
import dev.layertrace.discover.PathRequest;
import dev.layertrace.discover.PathResolver;
import dev.layertrace.model.Capture;
import dev.layertrace.model.HostFacts;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Protocol;
import dev.layertrace.probe.ProbeId;
import dev.layertrace.probe.ProbeSpec;
import dev.layertrace.probe.RuleTracing;
import dev.layertrace.probe.TraceListener;
import dev.layertrace.probe.TraceSession;
import dev.layertrace.render.RenderOptions;
import dev.layertrace.render.Renderer;
import dev.layertrace.render.Renderers;
import dev.layertrace.sys.LiveHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code layertrace trace --from SRC --to ADDR[:PORT]}: discovers the path, sends real probes from the
 * source namespace, watches every layer, and prints where the request or reply stopped and why.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = {
        "Sends a probe (ICMP echo, UDP datagram or TCP SYN) from inside the source's network namespace,"
            + " observes it and its reply on every interface of the path, reads the kernel's drop reasons"
            + " (tracefs), and names the layer where it stopped, the cause, the evidence and a fix.",
        "Needs root (CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_ADMIN). Leaves nothing behind, also on Ctrl-C."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  layertrace trace --from netns:lt-ctr --to 198.51.100.10",
        "  layertrace trace --from lt-ctr --to 198.51.100.10:53 --proto udp",
        "  layertrace trace --from lt-ctr --to 198.51.100.10 --scope lt-ctr,lt-guest --agent unix:/run/layertrace/agent.sock",
        "  layertrace trace --from lt-ctr --to 198.51.100.10 --size 1500 --df --format json -o trace.json",
        "",
        "Exit codes: 0 reached, 1 stopped or reply lost, 2 usage, 3 missing privilege or feature, 4 internal."})
public final class TraceCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "SRC",
      description = "The source: netns:NAME (or just NAME), pid:PID, ip:ADDR (the namespace that owns the"
          + " address) or container:NAME|ID (through the Docker Engine API).")
  String from;

  @Option(names = "--docker-host", paramLabel = "unix:///PATH",
      description = "The Docker daemon's socket for container: sources (default: $DOCKER_HOST, else"
          + " unix:///var/run/docker.sock).")
  String dockerHost;

  @Option(names = "--to", required = true, paramLabel = "ADDR[:PORT]", description = "The destination IPv4 address.")
  String to;

  @Option(names = "--proto", paramLabel = "PROTO", defaultValue = "icmp",
      description = "icmp (echo), udp or tcp (SYN). Default: ${DEFAULT-VALUE}.")
  String proto;

  @Option(names = "--size", paramLabel = "N", defaultValue = "0",
      description = "Total IP packet size in bytes (default: 84 icmp, 32 udp, 44 tcp).")
  int size;

  @Option(names = "--df", description = "Set don't-fragment (to find MTU problems).")
  boolean df;

  @Option(names = "--rule-trace", description = "Name the nf_tables rule or chain policy that decided (iptables-nft"
      + " included): adds a temporary nft table layertrace_trace_<pid> in each filtering namespace of the path"
      + " and removes it afterwards.")
  boolean ruleTrace;

  @Option(names = "--mtu-sweep", description = "Also find the largest DF ICMP size that passes (binary search,"
      + " 68..the source's MTU) and the narrowest link.")
  boolean mtuSweep;

  @Option(names = "--ttl", paramLabel = "N", defaultValue = "64", description = "IP TTL. Default: ${DEFAULT-VALUE}.")
  int ttl;

  @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "Probes to send (1..16).")
  int count;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
      description = "text, json, dot, svg, png, mermaid or markdown (default: from -o's extension, else text).")
  String format;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
      description = "Trace N times in a row (1..100) from one discovery and one open session: a verdict per"
          + " round, and the rate. For watching a flaky path, or many traces fast.")
  int repeat;

  @CommandLine.Mixin
  AgentOptions agent = AgentOptions.none();

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "-",
      description = "Write the rendering to FILE ('-': stdout); with a file, a text summary still goes to stdout.")
  String output;

  @Override
  public Integer call() throws IOException {
    Protocol protocol = protocol();
    String[] dest = splitDestination();
    Inet4Address dst = ipv4(dest[0]);
    int port = dest[1] != null ? parsePort(dest[1])
        : protocol == Protocol.UDP ? ProbeSpec.UDP_DEFAULT_PORT : protocol == Protocol.TCP ? ProbeSpec.TCP_DEFAULT_PORT : 0;
    if (count < 1 || count > 16) {
      throw LayertraceException.usage("--count must be 1..16, not " + count);
    }
    if (repeat < 1 || repeat > 100 || count * repeat > 256) {
      throw LayertraceException.usage("--repeat must be 1..100 (and --count × --repeat at most 256), not " + repeat);
    }
    if (repeat > 1 && (ruleTrace || mtuSweep || agent.enabled())) {
      throw LayertraceException.usage("--repeat does not combine with --rule-trace, --mtu-sweep or --agent");
    }
    ProbeSpec probe;
    try {
      probe = new ProbeSpec(protocol, null, dst, port, size, df, ttl);
    } catch (IllegalArgumentException e) {
      throw LayertraceException.usage(e.getMessage());
    }
    Capture capture = traceLive(from, dockerHost, probe, count, hostFacts(), TraceListener.NONE, ruleTrace, agent,
        repeat);
    // What the trace could not see (no tracefs, a namespace nft cannot trace): the text rendering
    // has no notes section, so say it here, whatever the format.
    capture.notes().stream().filter(n -> !n.startsWith("timing:"))
        .forEach(n -> spec.commandLine().getErr().println("layertrace: note: " + n));
    String sweep = null;
    if (mtuSweep) {
      sweep = TraceMtuSweep.sweep(capture.graph(), capture.findings(), dst, ttl).summary();
      List<String> notes = new ArrayList<>(capture.notes());
      notes.add(sweep);
      capture = new Capture(capture.schemaVersion(), capture.toolVersion(), capture.createdAt(), capture.host(),
          capture.graph(), capture.probes(), capture.observations(), capture.kernelEvents(), capture.findings(),
          capture.verdicts(), notes);
    }
    write(capture);
    if (sweep != null) {
      spec.commandLine().getOut().println(sweep);
      spec.commandLine().getOut().flush();
    }
    return capture.verdicts().stream().allMatch(v -> v.outcome() == Outcome.REACHED) ? ExitCode.OK : ExitCode.STOPPED;
  }

  /**
   * Discovers the path from {@code from} ({@code netns:NAME}, {@code NAME} or {@code pid:PID}) to the
   * probe's destination, traces it, and returns the capture. A shutdown hook is in place from before
   * the first socket or tracefs instance is opened until everything is closed again.
   */
  static Capture traceLive(String from, ProbeSpec probe, int count, HostFacts host) {
    return traceLive(from, null, probe, count, host);
  }

  /** As above, resolving {@code container:NAME} through the Docker daemon at {@code dockerHost}. */
  static Capture traceLive(String from, String dockerHost, ProbeSpec probe, int count, HostFacts host) {
    return traceLive(from, dockerHost, probe, count, host, TraceListener.NONE);
  }

  /** As above, telling {@code listener} the path, each observation and the kernel events as they happen. */
  static Capture traceLive(String from, String dockerHost, ProbeSpec probe, int count, HostFacts host,
      TraceListener listener) {
    return traceLive(from, dockerHost, probe, count, host, listener, false);
  }

  /** As above; with {@code ruleTrace}, the nf_tables rules that decided are traced and cited ({@code --rule-trace}). */
  static Capture traceLive(String from, String dockerHost, ProbeSpec probe, int count, HostFacts host,
      TraceListener listener, boolean ruleTrace) {
    return traceLive(from, dockerHost, probe, count, host, listener, ruleTrace, AgentOptions.none());
  }

  /**
   * As above; with {@code agentOptions.enabled()}, this process resolves and observes only its own
   * kernel's half (within {@code --scope}) and the agent on the other kernel the rest: the capture is
   * the merged path of both.
   */
  static Capture traceLive(String from, String dockerHost, ProbeSpec probe, int count, HostFacts host,
      TraceListener listener, boolean ruleTrace, AgentOptions agentOptions) {
    return traceLive(from, dockerHost, probe, count, host, listener, ruleTrace, agentOptions, 1);
  }

  /** As above, {@code repeat} rounds of {@code count} probes in one session ({@code --repeat}). */
  static Capture traceLive(String from, String dockerHost, ProbeSpec probe, int count, HostFacts host,
      TraceListener listener, boolean ruleTrace, AgentOptions agentOptions, int repeat) {
    long discoveryStart = System.nanoTime();
    NamespaceScope scope = agentOptions.namespaceScope();
    List<ProbeId> ids = ProbeId.allocate(count * repeat, new Random());
    DiscoveredPath path = null;
    String source = null;
    SourceSpec sourceSpec = SourceSpec.parse(from.contains(":") ? from : "netns:" + from);
    // With an agent, a source outside this process's namespaces is the agent's (a tracer on the host,
    // the container in the guest): the agent sends and resolves the guest's half.
    boolean remoteSource = agentOptions.enabled() && sourceSpec.kind() == SourceSpec.Kind.NETNS
        && !scope.allows(sourceSpec.value());
    if (!remoteSource) {
      if (sourceSpec.kind() == SourceSpec.Kind.NETNS) {
        scope.require(sourceSpec.value()); // say "outside the scope", not "no such namespace"
      }
      try (LiveHost live = LiveHost.scan(scope)) {
        try {
          source = new SourceResolver(live, SourceResolver.dockerSocketLookup(dockerHost)).resolve(sourceSpec);
        } catch (LayertraceException unknownHere) {
          if (!agentOptions.enabled() || unknownHere.exitCode() != ExitCode.USAGE) {
            throw unknownHere;
          }
          remoteSource = true; // not on this kernel: perhaps on the agent's
        }
        if (!remoteSource) {
          path = new PathResolver(new DecodingHostView(live), new RulesetHook(live::rulesets, live::prefetchRulesets))
              .resolve(new PathRequest(source, from, probe.dst().getHostAddress(), probe.protocol(), probe.dstPort()));
        }
      }
    }
    AgentClient agent;
    try {
      agent = agentOptions.enabled() ? CrossKernelPath.connect(agentOptions) : null;
    } catch (AgentUnreachable e) {
      if (!remoteSource) {
        throw e; // from the guest the VMM cannot be seen
      }
      // On the host with the source in the guest: a frozen VM takes its agent with it. Ask the VMM.
      return FrozenGuest.explain(e, agentOptions, from, probe, ids, scope, host, discoveryStart);
    }
    try {
      if (remoteSource) {
        path = CrossKernelPath.fromAgentSource(agent, from, probe, ids, scope, agentOptions.tap);
      } else if (agent != null && path.handoff() == null) {
        // The path ends in this kernel (no route, a device down): the verdict is all on this side.
        agent.close();
        agent = null;
        List<String> notes = new ArrayList<>(path.notes());
        notes.add("the path ends in this kernel before any VMM: the agent's half was not needed");
        path = new DiscoveredPath(path.graph(), path.findings(), notes);
      } else if (agent != null) {
        path = CrossKernelPath.join(agent, path, from, source, probe, ids, agentOptions.tap);
      }
      return traceResolved(path, probe, ids, host, listener, ruleTrace, scope, agent, System.nanoTime() - discoveryStart,
          repeat);
    } finally {
      if (agent != null) {
        agent.close();
      }
    }
  }

  private static Capture traceResolved(DiscoveredPath path, ProbeSpec probe, List<ProbeId> ids, HostFacts host,
      TraceListener listener, boolean ruleTrace, NamespaceScope scope, AgentClient agent, long discoveryNs,
      int repeat) {
    TraceSession.Request request = new TraceSession.Request(path.graph(), path.findings(), List.of(), probe,
        ids.size(), "layertrace-" + ProcessHandle.current().pid(), scope, agent);
    long t0 = System.nanoTime();
    TraceSession.Result result;
    TraceSession session = TraceSession.create(request);
    RuleTracing rules = RuleTracing.create(ruleTrace);
    List<dev.layertrace.model.Verdict> verdicts;
    // Ctrl-C: the hook removes the tracefs instance and the rule-trace tables and closes the sockets
    // (and the agent's session) even mid-trace; it is in place before anything is opened.
    Thread hook = new Thread(() -> {
      session.close();
      rules.close();
      if (agent != null) {
        agent.close();
      }
    }, "layertrace-trace-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      session.open(ids);
      rules.start(path.graph(), probe, ids, agent == null ? java.util.Set.of() : CrossKernelPath.namespaces(path,
          agent.layerIds()));
      result = repeat > 1 ? TraceRounds.run(session, ids, repeat, listener, System.nanoTime() - t0)
          : session.run(ids, System.nanoTime() - t0, listener);
      verdicts = rules.apply(result.verdicts());
    } finally {
      session.close();
      rules.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs anyway
      }
    }
    List<String> notes = new ArrayList<>(path.notes());
    notes.addAll(result.notes());
    notes.addAll(rules.notes());
    notes.add(String.format("timing: discovery %.1f ms, setup %.1f ms, probe phase %.2f ms, verdict %.1f ms after"
        + " injection", discoveryNs / 1e6, result.setupNs() / 1e6, result.probePhaseNs() / 1e6,
        result.verdictAfterInjectionNs() / 1e6));
    return new Capture(Capture.SCHEMA_VERSION, Version.TOOL, Instant.now().toString(), host, path.graph(),
        result.probes(), result.observations(), result.kernelEvents(), path.findings(), verdicts, notes);
  }

  private void write(Capture capture) throws IOException {
    boolean toStdout = output.equals("-");
    boolean terminal = toStdout && System.console() != null;
    PrintWriter out = spec.commandLine().getOut();
    try (Renderers renderers = Renderers.standard()) {
      Renderer r = renderers.choose(format, output);
      RenderOptions options = RenderOptions.defaults().withColor(terminal && noColorUnset());
      if (toStdout) {
        if (r.binary()) {
          throw LayertraceException.usage("refusing to write " + r.name() + " to stdout: give -o FILE");
        }
        out.print(new String(r.renderToBytes(capture, options), StandardCharsets.UTF_8));
      } else {
        byte[] bytes = r.renderToBytes(capture, options);
        try {
          Files.write(Path.of(output), bytes);
        } catch (IOException e) {
          throw LayertraceException.input("cannot write " + output + ": " + e.getMessage(), e);
        }
        Renderer text = renderers.choose("text", "-");
        out.print(new String(text.renderToBytes(capture, RenderOptions.defaults()), StandardCharsets.UTF_8));
        out.println("wrote " + output);
      }
      out.flush();
    }
  }

  private static boolean noColorUnset() {
    String v = System.getenv("NO_COLOR");
    return v == null || v.isEmpty();
  }

  private Protocol protocol() {
    try {
      return Protocol.of(proto.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw LayertraceException.usage("--proto must be icmp, udp or tcp, not '" + proto + "'");
    }
  }

  private String[] splitDestination() {
    int colon = to.lastIndexOf(':');
    if (colon < 0) {
      return new String[] {to, null};
    }
    return new String[] {to.substring(0, colon), to.substring(colon + 1)};
  }

  private static int parsePort(String p) {
    try {
      int n = Integer.parseInt(p);
      if (n >= 1 && n <= 65535) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw LayertraceException.usage("'" + p + "' is not a port (1..65535)");
  }

  private static Inet4Address ipv4(String s) {
    if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw LayertraceException.usage("--to needs an IPv4 address, not '" + s + "'");
    }
    try {
      return (Inet4Address) InetAddress.getByName(s);
    } catch (IOException | ClassCastException e) {
      throw LayertraceException.usage("--to needs an IPv4 address, not '" + s + "'");
    }
  }

  private HostFacts hostFacts() {
    // The parse result's original arguments are the whole command line, "trace" included.
    List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    if (!args.isEmpty() && args.get(0).equals("trace")) {
      args.remove(0);
    }
    return hostFacts("layertrace trace " + String.join(" ", args));
  }

  /** This machine's name, kernel and architecture, and the command that made the capture. */
  static HostFacts hostFacts(String command) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = null;
    }
    return new HostFacts(host, System.getProperty("os.version"), System.getProperty("os.arch"), command);
  }

}
