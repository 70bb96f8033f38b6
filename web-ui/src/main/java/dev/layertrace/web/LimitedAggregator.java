package dev.layertrace.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Aggregates a request body up to {@link #MAX_BODY} bytes; anything bigger gets the API's JSON
 * 413 (Netty's own answer has no body and none of our security headers) and the connection closes.
 */
final class LimitedAggregator extends HttpObjectAggregator {
  /** The largest body any endpoint takes (a live request is about 100 bytes). */
  static final int MAX_BODY = 64 * 1024;
  private final ObjectMapper mapper;

  LimitedAggregator(ObjectMapper mapper) {
    super(MAX_BODY);
    this.mapper = mapper;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    ctx.writeAndFlush(Responses.error(mapper, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            "request body larger than " + MAX_BODY / 1024 + " KiB"))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
