package dev.layertrace.agent;

import dev.layertrace.LayertraceException;
import dev.layertrace.discover.DiscoveredPath;
import dev.layertrace.model.Observation;
import dev.layertrace.probe.RemoteHalf;
import dev.layertrace.verdict.ArpSighting;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The tracer's side of the agent protocol: says hello, asks for the far half of the path, and is then
 * the trace's {@link RemoteHalf}. Every failure to reach or understand the agent is one line (exit 2)
 * naming the agent's address. Close it to end the session (the agent then releases its half).
 */
public final class AgentClient implements RemoteHalf, AutoCloseable {
  private static final AgentMessages.Message CLOSED = new AgentMessages.Message("closed", null);
  /**
   * An agent answers a connection at once; only one behind a frozen or gone VM does not. TCP's SYN
   * retries (1 s, 3 s) fit inside.
   */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final AgentAddress address;
  private final EventLoopGroup group;
  private final Channel channel;
  private final Duration timeout;
  private final BlockingQueue<AgentMessages.Message> replies;
  private final ConcurrentLinkedQueue<Object> sightings;
  private AgentMessages.Welcome welcome;
  private Set<String> layerIds = Set.of();

  private AgentClient(AgentAddress address, EventLoopGroup group, Channel channel, Duration timeout, Inbound inbound) {
    this.address = address;
    this.group = group;
    this.channel = channel;
    this.timeout = timeout;
    this.replies = inbound.replies;
    this.sightings = inbound.sightings;
  }

  /** Connects and authenticates; {@code timeout} bounds each wait for the agent's answer. */
  public static AgentClient connect(AgentAddress address, AgentToken token, Duration timeout) {
    EventLoopGroup group = AgentTransport.group(address, "layertrace-agent-client");
    Inbound inbound = new Inbound();
    Channel ch;
    try {
      ch = new Bootstrap().group(group).channel(AgentTransport.clientChannel(address))
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeout.toMillis(), CONNECT_TIMEOUT.toMillis()))
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
              AgentTransport.lines(c, inbound);
            }
          }).connect(AgentTransport.socketAddress(address)).sync().channel();
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new AgentUnreachable("cannot reach the agent at " + address + ": " + reason(e));
    }
    AgentClient c = new AgentClient(address, group, ch, timeout, inbound);
    try {
      AgentTransport.send(ch, "hello", new AgentMessages.Hello(token.value(), AgentMessages.VERSION));
      // Silence here is not a refusal: the agent (or the VM it runs in) does not run.
      c.welcome = c.expect("welcome", () -> new AgentUnreachable("the agent at " + address + " accepted the connection"
          + " but did not say hello within " + timeout.toMillis() + " ms")).as(AgentMessages.Welcome.class);
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  public AgentMessages.Welcome welcome() {
    return welcome;
  }

  public AgentAddress address() {
    return address;
  }

  /** Asks the agent to resolve and open its half; returns that half as the agent resolved it. */
  public DiscoveredPath half(AgentMessages.HalfRequest request) {
    AgentTransport.send(channel, "half", request);
    AgentMessages.Ready r = expect("ready").as(AgentMessages.Ready.class);
    layerIds = Set.copyOf(r.graph().nodes().stream().map(l -> l.id()).toList());
    return new DiscoveredPath(r.graph(), r.findings() == null ? List.of() : r.findings(),
        r.notes() == null ? List.of() : r.notes(), r.handoff());
  }

  /** Tells the layers of the merged graph that the agent observes (after a merge may have renamed them). */
  public void useLayerIds(Set<String> ids) {
    layerIds = Set.copyOf(ids);
  }

  @Override
  public Set<String> layerIds() {
    return layerIds;
  }

  @Override
  public void go() {
    AgentTransport.send(channel, "go", new AgentMessages.Empty());
  }

  @Override
  public Sightings poll() {
    if (sightings.isEmpty()) {
      return Sightings.NONE;
    }
    List<Observation> obs = new ArrayList<>();
    List<ArpSighting> arp = new ArrayList<>();
    for (Object o; (o = sightings.poll()) != null; ) {
      if (o instanceof Observation x) {
        obs.add(x);
      } else if (o instanceof ArpSighting a) {
        arp.add(a);
      }
    }
    return new Sightings(obs, arp);
  }

  /** Stops the agent's watch and takes its drops and evidence; a lost agent becomes a note, not a failure. */
  @Override
  public Finish finish() {
    try {
      AgentTransport.send(channel, "stop", new AgentMessages.Empty());
      return expect("finish").as(Finish.class);
    } catch (LayertraceException | AgentMessages.ProtocolError e) {
      return new Finish(Map.of(), Map.of(), Map.of(), false,
          List.of("the agent's kernel drop events and evidence are missing: " + e.getMessage()), Map.of());
    }
  }

  private AgentMessages.Message expect(String op) {
    return expect(op, () -> LayertraceException.usage("the agent at " + address + " did not answer within "
        + timeout.toMillis() + " ms (waiting for " + op + ")"));
  }

  /** The next reply, which must be {@code op}; {@code silent} is thrown when none comes in time. */
  private AgentMessages.Message expect(String op, java.util.function.Supplier<LayertraceException> silent) {
    AgentMessages.Message m;
    try {
      m = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LayertraceException.usage("interrupted while waiting for the agent at " + address);
    }
    if (m == null) {
      throw silent.get();
    }
    if (m == CLOSED) {
      throw LayertraceException.usage("the agent at " + address + " closed the connection (waiting for " + op + ")");
    }
    if ("error".equals(m.op())) {
      throw LayertraceException.usage("the agent at " + address + " refused: "
          + m.as(AgentMessages.Error.class).message());
    }
    if (!op.equals(m.op())) {
      throw LayertraceException.usage("the agent at " + address + " answered " + m.op() + " where " + op
          + " was due");
    }
    return m;
  }

  private static String reason(Exception e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    if (t instanceof java.io.FileNotFoundException) {
      return "no such socket (is layertrace agent running there?)";
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.toLowerCase(java.util.Locale.ROOT).contains("refused") ? m + " (is layertrace agent running there?)" : m;
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }

  /** Sorts what arrives: sightings to the poll queue, everything else to the replies. */
  private static final class Inbound extends SimpleChannelInboundHandler<String> {
    // The queues exist before the channel does: nothing that arrives can miss them.
    final BlockingQueue<AgentMessages.Message> replies = new LinkedBlockingQueue<>();
    final ConcurrentLinkedQueue<Object> sightings = new ConcurrentLinkedQueue<>();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
      AgentMessages.Message m;
      try {
        m = AgentMessages.decode(line);
      } catch (AgentMessages.ProtocolError e) {
        m = new AgentMessages.Message("error", AgentMessages.decode(AgentMessages.encode("error",
            new AgentMessages.Error("the agent sent something that is not the protocol: " + e.getMessage()))).body());
      }
      switch (m.op()) {
        case "obs" -> sightings.add(m.as(AgentMessages.Obs.class).observation());
        case "arp" -> sightings.add(m.as(AgentMessages.Arp.class).arp());
        default -> replies.add(m);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      replies.add(CLOSED);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
