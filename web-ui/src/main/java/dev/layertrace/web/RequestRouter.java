package dev.layertrace.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.LayertraceException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Dispatches every request; the routes:
 * <pre>
 *   GET  /, /index.html, /app.js, /teaching.js, /style.css     the page
 *   GET  /api/captures                                         list (id, verdict summary, createdAt)
 *   GET  /api/captures/{id}                                    the capture JSON
 *   GET  /api/captures/{id}/path                               per-layer status ({@link PathStatus})
 *   GET  /api/captures/{id}/graph.svg                          the Graphviz drawing, inline
 *   GET  /api/captures/{id}/export.{svg,png,md,json,pcapng}    a download
 *   POST /api/live                                             a live trace as server-sent events
 * </pre>
 * Errors are {@code {"error": "..."}}: 400 bad id or JSON, 403, 404 unknown path, 405 wrong method,
 * 413 (in {@link LimitedAggregator}). Path segments are percent-decoded one by one before the id is
 * checked, so {@code %2e%2e} and {@code %2f} are refused like {@code ..} and {@code /}.
 * The page's files are answered on the event loop; everything else runs on {@code work}, since it
 * reads files and waits for Graphviz. While a request is handled the connection reads no further
 * request, and requests already read wait for the one before, so responses keep their order.
 */
@ChannelHandler.Sharable
final class RequestRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final CaptureStore store;
  private final CaptureExports exports;
  private final StaticAssets assets;
  private final LiveEndpoint live;
  private final ObjectMapper mapper;
  private final Executor work;
  private static final String CAPTURES = "/api/captures/";
  private static final AttributeKey<CompletableFuture<Void>> IN_FLIGHT = AttributeKey.valueOf("layertrace-in-flight");

  RequestRouter(CaptureStore store, CaptureExports exports, LiveEndpoint live, ObjectMapper mapper, Executor work) {
    this.work = work;
    this.store = store;
    this.exports = exports;
    this.assets = new StaticAssets();
    this.live = live;
    this.mapper = mapper;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    DecoderResult dr = request.decoderResult();
    if (!dr.isSuccess()) {
      HttpResponseStatus s = dr.cause() instanceof TooLongFrameException
          ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
      send(ctx, Responses.error(mapper, s, "malformed HTTP request"), false);
      return;
    }
    // Requests of one connection are answered in order: each waits for the one before it.
    CompletableFuture<Void> before = ctx.channel().attr(IN_FLIGHT).get();
    boolean idle = before == null || before.isDone();
    if (idle && request.method().equals(HttpMethod.GET)
        && (assets.get(request.uri()).isPresent() || cachedCapture(request))) {
      handle(ctx, request); // no file to read: answer on the event loop
      return;
    }
    ctx.channel().config().setAutoRead(false);
    request.retain();
    CompletableFuture<Void> next = (idle ? CompletableFuture.<Void>completedFuture(null) : before)
        .thenRunAsync(() -> {
          try {
            handle(ctx, request);
          } finally {
            request.release();
            ctx.channel().config().setAutoRead(true);
          }
        }, work)
        .exceptionally(e -> {
          // handle() answers every error itself; what is left is a submission refused at shutdown.
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof RejectedExecutionException) {
            request.release();
            send(ctx, Responses.error(mapper, HttpResponseStatus.SERVICE_UNAVAILABLE, "server is shutting down"), false);
          }
          return null;
        });
    ctx.channel().attr(IN_FLIGHT).set(next);
  }

  /** {@code GET /api/captures/ID} of a capture already parsed and unchanged (one lstat to tell). */
  private boolean cachedCapture(FullHttpRequest request) {
    String uri = request.uri();
    if (!uri.startsWith(CAPTURES)) {
      return false;
    }
    String id = uri.substring(CAPTURES.length());
    return CaptureId.isValid(id) && store.cached(new CaptureId(id)).isPresent();
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    FullHttpResponse response;
    try {
      response = route(ctx, request);
      if (response == null) {
        return; // streaming: the live endpoint owns the channel now
      }
    } catch (ApiError e) {
      response = Responses.error(mapper, e.status(), e.getMessage());
      if (e instanceof MethodNotAllowed m) {
        response.headers().set(HttpHeaderNames.ALLOW, m.allow);
      }
    } catch (LayertraceException e) {
      // A capture the core refuses (e.g. a probe it cannot follow): the data's fault, said in one line.
      response = Responses.error(mapper, HttpResponseStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    } catch (RuntimeException e) {
      // Never leave a connection without an answer (it stops reading while a request is handled).
      response = Responses.error(mapper, HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "internal error: " + e.getClass().getSimpleName());
      keepAlive = false;
    }
    send(ctx, response, keepAlive);
  }

  private FullHttpResponse route(ChannelHandlerContext ctx, FullHttpRequest request) {
    List<String> seg = segments(request.uri());
    String path = "/" + String.join("/", seg);
    if (assets.get(path).isPresent() && !(seg.size() > 0 && seg.get(0).equals("api"))) {
      requireMethod(request, HttpMethod.GET);
      StaticAssets.Asset a = assets.get(path).get();
      return Responses.bytes(HttpResponseStatus.OK, a.contentType(), a.body());
    }
    if (seg.size() < 2 || !seg.get(0).equals("api")) {
      throw ApiError.notFound("no such path");
    }
    if (seg.size() == 2 && seg.get(1).equals("live")) {
      requireMethod(request, HttpMethod.POST);
      live.handle(ctx, request);
      return null;
    }
    if (!seg.get(1).equals("captures") || seg.size() > 4) {
      throw ApiError.notFound("no such path");
    }
    requireMethod(request, HttpMethod.GET);
    if (seg.size() == 2) {
      return Responses.json(mapper, HttpResponseStatus.OK, Map.of("captures", store.list()));
    }
    CaptureId id = new CaptureId(seg.get(2));
    CaptureStore.Loaded loaded = store.cached(id).orElseGet(() -> store.load(id));
    if (seg.size() == 3) {
      return Responses.bytes(HttpResponseStatus.OK, "application/json; charset=utf-8", loaded.json());
    }
    String leaf = seg.get(3);
    if (leaf.equals("path")) {
      return Responses.json(mapper, HttpResponseStatus.OK, PathStatus.of(loaded.capture()));
    }
    if (leaf.equals("graph.svg")) {
      return Responses.bytes(HttpResponseStatus.OK, ExportFormat.SVG.contentType(),
          exports.export(loaded, ExportFormat.SVG));
    }
    if (leaf.startsWith("export.")) {
      ExportFormat f = ExportFormat.ofExtension(leaf.substring("export.".length()))
          .orElseThrow(() -> ApiError.notFound("no such export: use export.svg, .png, .md, .json or .pcapng"));
      FullHttpResponse r = Responses.bytes(HttpResponseStatus.OK, f.contentType(), exports.export(loaded, f));
      r.headers().set(HttpHeaderNames.CONTENT_DISPOSITION,
          "attachment; filename=\"" + loaded.id().value() + "." + f.extension() + "\"");
      return r;
    }
    throw ApiError.notFound("no such path");
  }

  /** The path's segments, each percent-decoded; empty segments (a trailing slash) dropped. */
  static List<String> segments(String uri) {
    String raw = uri;
    int q = raw.indexOf('?');
    if (q >= 0) {
      raw = raw.substring(0, q);
    }
    int h = raw.indexOf('#');
    if (h >= 0) {
      raw = raw.substring(0, h);
    }
    if (!raw.startsWith("/")) {
      throw ApiError.badRequest("the request path must be absolute");
    }
    List<String> out = new ArrayList<>();
    for (String s : raw.substring(1).split("/", -1)) {
      String d;
      try {
        d = QueryStringDecoder.decodeComponent(s.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("malformed percent-encoding in the path");
      }
      if (d.indexOf('\0') >= 0 || d.indexOf('\\') >= 0) {
        throw ApiError.badRequest("invalid character in the path");
      }
      if (!d.isEmpty()) {
        out.add(d);
      }
    }
    return out;
  }

  private static void requireMethod(FullHttpRequest request, HttpMethod allowed) {
    if (!request.method().equals(allowed)) {
      throw new MethodNotAllowed(allowed.name());
    }
  }

  /** 405 with the {@code Allow} header naming the one method the path takes. */
  private static final class MethodNotAllowed extends ApiError {
    private static final long serialVersionUID = 1L;
    final String allow;

    MethodNotAllowed(String allow) {
      super(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: use " + allow);
      this.allow = allow;
    }
  }

  private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ChannelFuture f = ctx.writeAndFlush(response);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (ctx.channel().isActive()) {
      send(ctx, Responses.error(mapper, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error"), false);
    } else {
      ctx.close();
    }
  }
}
