package dev.layertrace.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the open connections of one server: the one over the cap gets a 503 and is closed at once,
 * so a flood of connections costs a bounded amount of memory and file descriptors and the server
 * goes on answering. Sits right after the HTTP codec (it writes a response before any request).
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
  /** Twice what {@code layertrace bench web} opens at most (500 clients). */
  static final int MAX_CONNECTIONS = 1024;

  private final ObjectMapper mapper;
  private final int max;
  private final AtomicInteger open = new AtomicInteger();

  ConnectionLimit(ObjectMapper mapper, int max) {
    this.mapper = mapper;
    this.max = max;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (open.incrementAndGet() > max) {
      ctx.channel().config().setAutoRead(false); // whatever it sends is never read
      ctx.writeAndFlush(Responses.error(mapper, HttpResponseStatus.SERVICE_UNAVAILABLE,
          "too many connections (more than " + max + "): try again later")).addListener(ChannelFutureListener.CLOSE);
      return; // not passed on: nothing else of this connection runs
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    open.decrementAndGet();
    ctx.fireChannelInactive();
  }

  /** Connections open now (for tests and the benchmark). */
  int open() {
    return open.get();
  }
}
