package dev.layertrace.agent;

import dev.layertrace.LayertraceException;
import dev.layertrace.discover.NamespaceScope;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code layertrace agent}'s server: accepts tracers on a unix or TCP socket, one {@link AgentConnection}
 * each. A unix socket file is created mode 0600 and removed on {@link #close}; a stale one left by a
 * killed agent is replaced, a live one is refused.
 */
public final class AgentServer implements AutoCloseable {
  /** A connection that has not said hello within this time is closed. */
  static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
  /** The longest a watch runs without a stop from the tracer. */
  static final Duration WATCH_LIMIT = Duration.ofSeconds(60);

  private final AgentAddress address;
  private final EventLoopGroup group;
  private final Channel server;
  private final ChannelGroup connections;
  private final AgentAddress bound;

  private AgentServer(AgentAddress address, EventLoopGroup group, Channel server, ChannelGroup connections) {
    this.address = address;
    this.group = group;
    this.server = server;
    this.connections = connections;
    this.bound = address.kind() == AgentAddress.Kind.TCP && server.localAddress() instanceof InetSocketAddress isa
        ? new AgentAddress(AgentAddress.Kind.TCP, null, address.host(), isa.getPort()) : address;
  }

  /**
   * Listens at {@code address}; {@code kernel} is how the welcome names this kernel, {@code scope}
   * what it reports (the service enforces it).
   */
  public static AgentServer start(AgentAddress address, AgentToken token, HalfService service, String kernel,
      NamespaceScope scope) {
    if (address.kind() == AgentAddress.Kind.UNIX) {
      replaceStaleSocket(address);
    }
    EventLoopGroup group = AgentTransport.group(address, "layertrace-agent");
    ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    AgentMessages.Welcome welcome = new AgentMessages.Welcome(kernel, List.copyOf(scope.names()), true,
        AgentMessages.VERSION);
    try {
      Channel ch = new ServerBootstrap().group(group).channel(AgentTransport.serverChannel(address))
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
              connections.add(c);
              AgentTransport.lines(c, new AgentConnection(token, service, welcome));
            }
          }).bind(AgentTransport.socketAddress(address)).sync().channel();
      if (address.kind() == AgentAddress.Kind.UNIX) {
        Files.setPosixFilePermissions(address.path(), PosixFilePermissions.fromString("rw-------"));
      }
      return new AgentServer(address, group, ch, connections);
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw LayertraceException.input("cannot listen at " + address + ": " + e.getMessage(), e);
    }
  }

  /** The address actually bound (a TCP port 0 becomes the port the kernel chose). */
  public AgentAddress address() {
    return bound;
  }

  public int connections() {
    return connections.size();
  }

  private static void replaceStaleSocket(AgentAddress a) {
    if (!Files.exists(a.path())) {
      return;
    }
    try (java.nio.channels.SocketChannel probe = java.nio.channels.SocketChannel.open(
        java.net.UnixDomainSocketAddress.of(a.path()))) {
      throw LayertraceException.usage("an agent already listens at " + a + " (stop it first)");
    } catch (IOException refused) {
      try {
        Files.deleteIfExists(a.path()); // nobody listens: left by a killed agent
      } catch (IOException e) {
        throw LayertraceException.input("cannot remove the stale socket " + a.path() + ": " + e.getMessage(), e);
      }
    }
  }

  /** Waits until the server channel closes (another thread called {@link #close}). */
  public void awaitClose() throws InterruptedException {
    server.closeFuture().await();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    if (address.kind() == AgentAddress.Kind.UNIX) {
      try {
        Files.deleteIfExists(address.path());
      } catch (IOException e) {
        // best effort: a stale socket is replaced by the next agent
      }
    }
  }
}
