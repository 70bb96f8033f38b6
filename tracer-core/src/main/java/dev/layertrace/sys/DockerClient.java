package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.docker.ContainerDetails;
import dev.layertrace.docker.ContainerResolver;
import dev.layertrace.docker.ContainerSummary;
import dev.layertrace.docker.DockerHost;
import dev.layertrace.docker.DockerJson;
import dev.layertrace.docker.MalformedDockerResponse;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Docker Engine API client over the daemon's unix socket: Netty's epoll domain-socket transport
 * and its HTTP codec, one short connection per request. Blocking calls with a timeout; every failure
 * to reach or understand the daemon is one line: {@code cannot reach the Docker daemon at
 * unix:///…: why} (exit 2). Close it to stop its event-loop thread.
 */
public final class DockerClient implements AutoCloseable {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_BODY = 16 << 20;

  private final DockerHost host;
  private final Duration timeout;
  private final EventLoopGroup group;

  private DockerClient(DockerHost host, Duration timeout) {
    this.host = host;
    this.timeout = timeout;
    // One daemon thread: a forgotten close() never keeps the JVM alive.
    this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("layertrace-docker", true),
        EpollIoHandler.newFactory());
  }

  /** A client for {@code host} with a 5 s limit per request (nothing is sent yet). */
  public static DockerClient open(DockerHost host) {
    return open(host, DEFAULT_TIMEOUT);
  }

  /** A client for {@code host} with {@code timeout} per request. */
  public static DockerClient open(DockerHost host, Duration timeout) {
    if (!Epoll.isAvailable()) {
      throw LayertraceException.missingFeature("cannot talk to the Docker daemon: Netty's epoll transport is"
          + " unavailable here (" + Epoll.unavailabilityCause().getMessage() + ")");
    }
    return new DockerClient(host, timeout);
  }

  public DockerHost host() {
    return host;
  }

  /** {@code GET /_ping}: succeeds only when a Docker daemon answers {@code OK}. */
  public void ping() {
    Answer a = get("/_ping");
    if (a.status() != 200) {
      throw unreachable("not a Docker daemon (GET /_ping answered HTTP " + a.status() + ")");
    }
    try {
      DockerJson.ping(a.body());
    } catch (MalformedDockerResponse e) {
      throw unreachable("not a Docker daemon (" + e.getMessage() + ")");
    }
  }

  /** {@code GET /containers/json}: the running containers, or all of them with {@code all}. */
  public List<ContainerSummary> containers(boolean all) {
    Answer a = ok(get("/containers/json" + (all ? "?all=1" : "")), "the container list");
    return decode(() -> DockerJson.containers(a.body()), "/containers/json");
  }

  /** {@code GET /containers/{ref}/json}: a usage error when the daemon knows no such container. */
  public ContainerDetails inspect(String ref) {
    if (!ref.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw LayertraceException.usage("'" + ref + "' is not a container name or id");
    }
    Answer a = get("/containers/" + ref + "/json");
    if (a.status() == 404) {
      throw LayertraceException.usage("no container '" + ref + "' at " + host.uri() + ": "
          + DockerJson.errorMessage(a.body()));
    }
    ok(a, "container " + ref);
    return decode(() -> DockerJson.container(a.body()), "/containers/" + ref + "/json");
  }

  /**
   * The running container {@code ref} means (name, {@code /name}, id or unique id prefix, see
   * {@link ContainerResolver}); a usage error when it is unknown, ambiguous or not running.
   */
  public ContainerDetails running(String ref) {
    ContainerSummary c = ContainerResolver.resolve(ref, containers(true));
    ContainerDetails d = inspect(c.id());
    if (!d.running() || d.pid() <= 0) {
      throw LayertraceException.usage("container " + d.describe() + " is not running (state " + c.state()
          + "): start it with docker start " + d.name());
    }
    return d;
  }

  /** The raw body of {@code GET path} (any status): for recording fixtures from a real daemon. */
  String body(String path) {
    return get(path).body();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** A status and a body. */
  private record Answer(int status, String body) {}

  private Answer ok(Answer a, String what) {
    if (a.status() / 100 != 2) {
      throw new LayertraceException(ExitCode.USAGE, "the Docker daemon at " + host.uri() + " refused " + what
          + ": HTTP " + a.status() + " " + DockerJson.errorMessage(a.body()));
    }
    return a;
  }

  private <T> T decode(java.util.function.Supplier<T> parse, String path) {
    try {
      return parse.get();
    } catch (MalformedDockerResponse e) {
      throw unreachable("not a Docker Engine API answer to GET " + path + " (" + e.getMessage() + ")");
    }
  }

  private Answer get(String path) {
    requireSocketFile();
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(EpollDomainSocketChannel.class)
        .option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_BODY), new AnswerHandler(answer));
          }
        });
    Channel ch = null;
    try {
      io.netty.channel.ChannelFuture connected = b.connect(new DomainSocketAddress(host.socket().toString()));
      // awaitUninterruptibly, not sync: sync rethrows the checked ConnectException undeclared.
      if (!connected.awaitUninterruptibly(timeout.toMillis() + 1000) || !connected.isSuccess()) {
        connected.channel().close();
        throw unreachable(connected.cause() == null ? "connecting timed out" : why(connected.cause()));
      }
      ch = connected.channel();
      DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
      // The daemon ignores Host but HTTP/1.1 requires one; Docker's own client sends "docker".
      req.headers().set(HttpHeaderNames.HOST, "docker");
      req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      req.headers().set(HttpHeaderNames.USER_AGENT, "layertrace");
      ch.writeAndFlush(req);
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw unreachable("no answer to GET " + path + " within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw unreachable(why(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayertraceException(ExitCode.INTERNAL, "interrupted while asking the Docker daemon");
    } catch (LayertraceException e) {
      throw e;
    } finally {
      if (ch != null) {
        ch.close();
      }
    }
  }

  private void requireSocketFile() {
    try {
      PosixFileAttributes a = Files.readAttributes(host.socket(), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isSymbolicLink()) {
        return; // Docker Desktop and rootless setups link the socket; connect() says the rest
      }
      if (a.isRegularFile() || a.isDirectory()) {
        throw unreachable("not a socket");
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw unreachable("no such socket (is dockerd running? set --docker-host or DOCKER_HOST)");
    } catch (java.nio.file.AccessDeniedException e) {
      throw unreachable("permission denied (run as root)");
    } catch (IOException e) {
      throw unreachable(String.valueOf(e.getMessage()));
    }
  }

  /** A failure's reason in words, without Netty's "connect(..) failed:" prefixes. */
  static String why(Throwable t) {
    String m = String.valueOf(t.getMessage());
    String lower = m.toLowerCase(Locale.ROOT);
    if (lower.contains("connection refused")) {
      return "connection refused (the socket exists but no daemon listens on it)";
    }
    if (lower.contains("permission denied")) {
      return "permission denied (run as root)";
    }
    if (lower.contains("no such file")) {
      return "no such socket (is dockerd running?)";
    }
    if (t instanceof io.netty.channel.ConnectTimeoutException) {
      return "connecting timed out";
    }
    int colon = m.lastIndexOf(": ");
    return colon >= 0 && m.startsWith("connect") ? m.substring(colon + 2) : m;
  }

  private LayertraceException unreachable(String why) {
    return LayertraceException.usage("cannot reach the Docker daemon at " + host.uri() + ": " + why);
  }

  /** Completes the request's future with the aggregated response, or with why there was none. */
  private static final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final CompletableFuture<Answer> answer;

    AnswerHandler(CompletableFuture<Answer> answer) {
      this.answer = answer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
      if (r.decoderResult().isFailure()) {
        answer.completeExceptionally(new IOException("not an HTTP answer ("
            + r.decoderResult().cause().getMessage() + ")"));
      } else {
        answer.complete(new Answer(r.status().code(), r.content().toString(StandardCharsets.UTF_8)));
      }
      ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      answer.completeExceptionally(cause);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      answer.completeExceptionally(new IOException("the connection closed without an HTTP answer"));
    }
  }
}
