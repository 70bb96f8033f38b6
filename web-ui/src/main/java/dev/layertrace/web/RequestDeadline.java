package dev.layertrace.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gives a connection {@link #SECONDS} to send one whole request (headers and body), counted from
 * its start and from each finished response; then it gets a 408 and is closed. A read timeout alone
 * does not do this: a client that trickles one header byte every few seconds (slowloris) resets it
 * for ever. Sits after the aggregator, so it sees whole requests, and before the router, so it sees
 * the end of each response (a live stream runs as long as it needs: its request has arrived).
 */
final class RequestDeadline extends ChannelDuplexHandler {
  /** Far more than any client on a real link needs for a request of at most 64 KiB. */
  static final int SECONDS = 10;

  private final ObjectMapper mapper;
  private final long timeoutMillis;
  private ScheduledFuture<?> timer;
  private int inFlight; // requests read whose response has not ended yet

  RequestDeadline(ObjectMapper mapper) {
    this(mapper, TimeUnit.SECONDS.toMillis(SECONDS));
  }

  RequestDeadline(ObjectMapper mapper, long timeoutMillis) {
    this.mapper = mapper;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      arm(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    arm(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest) {
      inFlight++;
      cancel();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof LastHttpContent) { // a FullHttpResponse is one too
      ChannelPromise p = promise.unvoid();
      p.addListener(f -> {
        if (inFlight > 0) {
          inFlight--;
        }
        if (inFlight == 0) {
          arm(ctx);
        }
      });
      ctx.write(msg, p);
      return;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  private void arm(ChannelHandlerContext ctx) {
    if (timer != null || !ctx.channel().isActive()) {
      return;
    }
    timer = ctx.executor().schedule(() -> {
      timer = null;
      if (inFlight == 0 && ctx.channel().isActive()) {
        ctx.writeAndFlush(Responses.error(mapper, HttpResponseStatus.REQUEST_TIMEOUT,
            "no whole request within " + timeoutMillis / 1000 + " s")).addListener(ChannelFutureListener.CLOSE);
      }
    }, timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
