package dev.layertrace.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layertrace.LayertraceException;
import dev.layertrace.render.Renderers;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code layertrace serve} HTTP server. {@link #start} binds and returns at once;
 * {@link #close} stops it and releases the event loops and the Graphviz engine.
 */
public final class WebServer implements AutoCloseable {
  /** A request line longer than this is not one this API would ever receive. */
  private static final int MAX_INITIAL_LINE = 4096;
  private static final int MAX_HEADERS = 8192;
  /** Drops idle keep-alive connections; the live stream only writes, so this does not touch it. */
  private static final int READ_TIMEOUT_S = 120;
  /** Every thread of the server is named so (the benchmark adds up their CPU time). */
  public static final String THREAD_PREFIX = "layertrace-web-";

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ExecutorService blocking;
  private final Renderers renderers;
  private final Channel channel;

  private WebServer(EventLoopGroup boss, EventLoopGroup workers, ExecutorService blocking, Renderers renderers,
      Channel channel) {
    this.boss = boss;
    this.workers = workers;
    this.blocking = blocking;
    this.renderers = renderers;
    this.channel = channel;
  }

  /**
   * Binds {@code config.bindHost():config.port()} and serves {@code config.capturesDir()}.
   *
   * @throws LayertraceException (exit 2) when the folder is missing or the address cannot be bound
   */
  public static WebServer start(WebConfig config, LiveTracer tracer) {
    ObjectMapper mapper = new ObjectMapper();
    CaptureStore store = new CaptureStore(config.capturesDir());
    Renderers renderers = Renderers.standard();
    ExecutorService blocking = Executors.newFixedThreadPool(
        Math.max(4, Runtime.getRuntime().availableProcessors() * 2), daemonThreads(THREAD_PREFIX + "work-"));
    RequestRouter router = router(config, store, tracer, renderers, mapper, blocking);
    ConnectionLimit limit = new ConnectionLimit(mapper, ConnectionLimit.MAX_CONNECTIONS);
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(THREAD_PREFIX + "accept", true),
        NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory(THREAD_PREFIX + "io", true),
        NioIoHandler.newFactory());
    try {
      Channel ch = new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel c) {
              configure(c.pipeline(), router, mapper);
              c.pipeline().addFirst("timeout", new ReadTimeoutHandler(READ_TIMEOUT_S));
              c.pipeline().addAfter("http", "limit", limit);
              c.pipeline().addBefore("router", "deadline", new RequestDeadline(mapper));
            }
          })
          .bind(config.bindHost(), config.port()).sync().channel();
      return new WebServer(boss, workers, blocking, renderers, ch);
    } catch (Exception e) {
      boss.shutdownGracefully();
      workers.shutdownGracefully();
      blocking.shutdownNow();
      renderers.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw LayertraceException.usage("cannot listen on " + config.bindHost() + ":" + config.port() + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  /**
   * The request handler, shared by all connections; {@code work} runs the handling that may block
   * (tests pass {@code Runnable::run} to handle on the calling thread).
   */
  static RequestRouter router(WebConfig config, CaptureStore store, LiveTracer tracer, Renderers renderers,
      ObjectMapper mapper, Executor work) {
    return new RequestRouter(store, new CaptureExports(renderers), new LiveEndpoint(config, tracer, mapper), mapper,
        work);
  }

  /** The handlers of one connection. */
  static void configure(ChannelPipeline p, RequestRouter router, ObjectMapper mapper) {
    p.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 8192));
    p.addLast("aggregate", new LimitedAggregator(mapper));
    p.addLast("router", router);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Where the server listens (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Blocks until the server channel closes (Ctrl-C ends the JVM, and with it the server). */
  public void awaitClose() throws InterruptedException {
    channel.closeFuture().sync();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    boss.shutdownGracefully();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    blocking.shutdownNow();
    renderers.close();
  }
}
