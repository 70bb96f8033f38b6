package dev.layertrace.agent;

import dev.layertrace.LayertraceException;
import dev.layertrace.model.Observation;
import dev.layertrace.probe.RemoteHalf;
import dev.layertrace.probe.TraceSession;
import dev.layertrace.verdict.ArpSighting;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One tracer's session with the agent (see {@link AgentMessages} for the exchange). Discovery and the
 * watch run on a platform thread of their own — they enter namespaces, which must never happen on an
 * event loop. A tracer that disconnects at any point stops the watch and releases the half.
 */
final class AgentConnection extends SimpleChannelInboundHandler<String> {
  private enum State { HELLO, READY_FOR_HALF, OPENING, OPEN, WATCHING, DONE }

  private final AgentToken token;
  private final HalfService service;
  private final AgentMessages.Welcome welcome;
  private final AtomicBoolean stop = new AtomicBoolean();
  private State state = State.HELLO; // only touched on the event loop
  private volatile HalfService.Half half;
  private volatile boolean gone;

  AgentConnection(AgentToken token, HalfService service, AgentMessages.Welcome welcome) {
    this.token = token;
    this.service = service;
    this.welcome = welcome;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.executor().schedule(() -> {
      if (state == State.HELLO) {
        fail(ctx.channel(), "no hello within " + AgentServer.HELLO_TIMEOUT.toSeconds() + " s");
      }
    }, AgentServer.HELLO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, String line) {
    Channel ch = ctx.channel();
    AgentMessages.Message m;
    try {
      m = AgentMessages.decode(line);
    } catch (AgentMessages.ProtocolError e) {
      fail(ch, e.getMessage());
      return;
    }
    try {
      switch (state) {
        case HELLO -> hello(ch, m);
        case READY_FOR_HALF -> {
          expect(m, "half");
          AgentMessages.HalfRequest r = m.as(AgentMessages.HalfRequest.class);
          state = State.OPENING;
          worker("layertrace-agent-half", () -> open(ch, r));
        }
        case OPEN -> {
          expect(m, "go");
          state = State.WATCHING;
          worker("layertrace-agent-watch", () -> watch(ch));
        }
        case WATCHING -> {
          expect(m, "stop");
          stop.set(true);
        }
        default -> fail(ch, "unexpected " + m.op() + " (" + state.name().toLowerCase(java.util.Locale.ROOT) + ")");
      }
    } catch (AgentMessages.ProtocolError e) {
      fail(ch, e.getMessage());
    }
  }

  private void hello(Channel ch, AgentMessages.Message m) {
    expect(m, "hello");
    AgentMessages.Hello h = m.as(AgentMessages.Hello.class);
    if (!token.matches(h.token())) {
      fail(ch, "wrong or missing token");
      return;
    }
    if (h.version() != AgentMessages.VERSION) {
      fail(ch, "protocol version " + h.version() + " is not " + AgentMessages.VERSION + " (update one side)");
      return;
    }
    state = State.READY_FOR_HALF;
    AgentTransport.send(ch, "welcome", welcome);
  }

  private void open(Channel ch, AgentMessages.HalfRequest r) {
    HalfService.Half h;
    try {
      h = service.open(r);
    } catch (LayertraceException | AgentMessages.ProtocolError e) {
      ch.eventLoop().execute(() -> fail(ch, e.getMessage()));
      return;
    } catch (RuntimeException e) {
      ch.eventLoop().execute(() -> fail(ch, "internal error: " + e));
      return;
    }
    half = h;
    if (gone) {
      h.close();
      return;
    }
    AgentTransport.send(ch, "ready", new AgentMessages.Ready(h.graph(), h.findings(), h.notes(), h.handoff()));
    ch.eventLoop().execute(() -> state = State.OPEN);
  }

  private void watch(Channel ch) {
    HalfService.Half h = half;
    long deadline = System.nanoTime() + AgentServer.WATCH_LIMIT.toNanos();
    try {
      TraceSession.Watched w = h.watch(new TraceSession.WatchSink() {
        @Override
        public void observation(Observation o) {
          AgentTransport.send(ch, "obs", new AgentMessages.Obs(o));
        }

        @Override
        public void arp(ArpSighting a) {
          AgentTransport.send(ch, "arp", new AgentMessages.Arp(a));
        }
      }, () -> stop.get() || gone || System.nanoTime() > deadline);
      if (!gone) {
        RemoteHalf.Finish f = new RemoteHalf.Finish(w.drops(), h.conntrack(), h.forwardChains(),
            w.kernelEventsAvailable(), w.notes(), w.sends());
        AgentTransport.send(ch, "finish", f);
      }
    } catch (RuntimeException e) {
      ch.eventLoop().execute(() -> fail(ch, "the watch failed: " + e.getMessage()));
    } finally {
      h.close();
      ch.eventLoop().execute(() -> state = State.DONE);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    gone = true;
    stop.set(true);
    HalfService.Half h = half;
    if (h != null && state != State.WATCHING) {
      h.close(); // a watching thread closes it itself when its loop sees gone
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx.channel(), cause instanceof io.netty.handler.codec.TooLongFrameException
        ? "a message longer than " + AgentMessages.MAX_LINE + " bytes" : String.valueOf(cause.getMessage()));
  }

  private static void expect(AgentMessages.Message m, String op) {
    if (!op.equals(m.op())) {
      throw new AgentMessages.ProtocolError("expected " + op + ", got " + m.op());
    }
  }

  private void fail(Channel ch, String message) {
    state = State.DONE;
    if (ch.isActive()) {
      ch.writeAndFlush(AgentMessages.encode("error", new AgentMessages.Error(message)) + "\n")
          .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }
  }

  private static void worker(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }
}
