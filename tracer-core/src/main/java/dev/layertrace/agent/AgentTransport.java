package dev.layertrace.agent;

import dev.layertrace.LayertraceException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/** The Netty pieces both ends share: event loops, channel classes and the line framing per transport. */
final class AgentTransport {
  private AgentTransport() {}

  /** One daemon event-loop thread: the protocol is a handful of messages per trace. */
  static EventLoopGroup group(AgentAddress a, String name) {
    if (a.kind() == AgentAddress.Kind.UNIX) {
      if (!Epoll.isAvailable()) {
        throw LayertraceException.missingFeature("unix agent sockets need Netty's epoll transport, unavailable here ("
            + Epoll.unavailabilityCause().getMessage() + "); use tcp:HOST:PORT");
      }
      return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name, true), EpollIoHandler.newFactory());
    }
    return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
  }

  static Class<? extends ServerChannel> serverChannel(AgentAddress a) {
    return a.kind() == AgentAddress.Kind.UNIX ? EpollServerDomainSocketChannel.class : NioServerSocketChannel.class;
  }

  static Class<? extends Channel> clientChannel(AgentAddress a) {
    return a.kind() == AgentAddress.Kind.UNIX ? EpollDomainSocketChannel.class : NioSocketChannel.class;
  }

  static SocketAddress socketAddress(AgentAddress a) {
    return a.kind() == AgentAddress.Kind.UNIX ? new DomainSocketAddress(a.path().toFile())
        : new InetSocketAddress(a.host(), a.port());
  }

  /** Lines of at most {@link AgentMessages#MAX_LINE} bytes, UTF-8, then {@code handler}. */
  static void lines(Channel ch, ChannelHandler handler) {
    ch.pipeline().addLast(new LineBasedFrameDecoder(AgentMessages.MAX_LINE),
        new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8), handler);
  }

  /** Sends one message line; safe from any thread. */
  static void send(Channel ch, String op, Object body) {
    ch.writeAndFlush(AgentMessages.encode(op, body) + "\n");
  }
}
