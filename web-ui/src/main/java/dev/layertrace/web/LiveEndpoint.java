package dev.layertrace.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.LayertraceException;
import dev.layertrace.capture.CaptureCodec;
import dev.layertrace.model.Capture;
import dev.layertrace.model.KernelEvent;
import dev.layertrace.model.Observation;
import dev.layertrace.model.PathGraph;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /api/live}: checks, in this order, that live tracing was enabled (else 404), that the
 * {@code X-Layertrace-Token} header carries the token printed at start (403), that the server runs
 * as root (403), the body (400), that this build can trace (503) and that no other trace runs (409);
 * then streams the trace as server-sent events: {@code path}, {@code observation},
 * {@code kernel-event}, {@code status} ({@link PathStatus}), {@code capture} (the finished capture,
 * with its verdict), {@code error},
 * and finally {@code done}.
 */
final class LiveEndpoint {
  static final String TOKEN_HEADER = "X-Layertrace-Token";

  private final WebConfig config;
  private final LiveTracer tracer;
  private final ObjectMapper mapper;
  private final AtomicBoolean busy = new AtomicBoolean();

  LiveEndpoint(WebConfig config, LiveTracer tracer, ObjectMapper mapper) {
    this.config = config;
    this.tracer = tracer;
    this.mapper = mapper;
  }

  void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!config.allowLive()) {
      throw ApiError.notFound("live tracing is off: start 'layertrace serve' with --allow-live");
    }
    String given = request.headers().get(TOKEN_HEADER);
    if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
        config.token().getBytes(StandardCharsets.UTF_8))) {
      throw ApiError.forbidden("missing or wrong " + TOKEN_HEADER + " header: use the token 'layertrace serve' printed");
    }
    if (!config.root()) {
      throw ApiError.forbidden("live tracing needs root (CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_ADMIN): run 'sudo layertrace serve --allow-live'");
    }
    LiveRequest live = LiveRequest.parse(mapper, ByteBufUtil.getBytes(request.content()));
    String unavailable = tracer.unavailableReason();
    if (unavailable != null) {
      throw new ApiError(HttpResponseStatus.SERVICE_UNAVAILABLE, unavailable);
    }
    if (!busy.compareAndSet(false, true)) {
      throw new ApiError(HttpResponseStatus.CONFLICT, "another live trace is running: wait for it to finish");
    }
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    Responses.secure(head.headers());
    ctx.writeAndFlush(head);
    // setns(2) and raw sockets belong on a platform thread of their own, never on an event loop.
    Thread t = new Thread(() -> run(ctx, live), "layertrace-live");
    t.setDaemon(true);
    t.start();
  }

  private void run(ChannelHandlerContext ctx, LiveRequest live) {
    try {
      // The tracer calls these from its polling loop: only queue the event on the channel's event
      // loop (JSON and write happen there, in order), so a slow client never holds up the probing.
      Capture capture = tracer.trace(live, new LiveTracer.Events() {
        @Override
        public void path(PathGraph graph) {
          ctx.executor().execute(() -> send(ctx, "path", graph));
        }

        @Override
        public void observation(Observation observation) {
          ctx.executor().execute(() -> send(ctx, "observation", observation));
        }

        @Override
        public void kernelEvent(KernelEvent event) {
          ctx.executor().execute(() -> send(ctx, "kernel-event", event));
        }
      });
      // The same per-layer status GET /api/captures/{id}/path gives, so the page colours both alike.
      send(ctx, "status", PathStatus.of(capture));
      sendRaw(ctx, "capture", CaptureCodec.write(capture));
    } catch (LayertraceException e) {
      send(ctx, "error", Map.of("error", e.getMessage()));
    } catch (RuntimeException e) {
      send(ctx, "error", Map.of("error", "internal error: " + e.getClass().getSimpleName()));
    } finally {
      sendRaw(ctx, "done", "{}");
      ctx.writeAndFlush(new DefaultLastHttpContent()).addListener(ChannelFutureListener.CLOSE);
      busy.set(false);
    }
  }

  private void send(ChannelHandlerContext ctx, String event, Object value) {
    try {
      sendRaw(ctx, event, mapper.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      sendRaw(ctx, "error", "{\"error\":\"cannot write " + event + "\"}");
    }
  }

  /** One SSE message; JSON never holds a raw newline once compacted, so one data line is enough. */
  private static void sendRaw(ChannelHandlerContext ctx, String event, String json) {
    String compact = json.replace("\r", "").replace("\n", "");
    byte[] b = ("event: " + event + "\ndata: " + compact + "\n\n").getBytes(StandardCharsets.UTF_8);
    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(b)));
  }
}
