package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.LayertraceException;
import dev.layertrace.docker.DockerHost;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The client against what is not a healthy Docker daemon: real unix sockets in a scratch folder —
 * none, one nobody listens on, and small servers that answer like something else. Each failure is
 * one line, exit 2, naming the socket.
 */
class DockerClientErrorsTest {
  Path dir;
  Path socket;
  ServerSocketChannel server;
  Thread serving;

  @BeforeEach
  void scratch() throws IOException {
    dir = Files.createTempDirectory("lt-tdock-");
    socket = dir.resolve("docker.sock");
  }

  @AfterEach
  void clean() throws Exception {
    if (server != null) {
      server.close();
    }
    if (serving != null) {
      serving.interrupt();
      serving.join(2000);
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void noSocketFile() {
    assertOneLine(() -> ping(), "cannot reach the Docker daemon at unix://" + socket
        + ": no such socket (is dockerd running? set --docker-host or DOCKER_HOST)");
  }

  @Test
  void aRegularFileIsNotASocket() throws IOException {
    Files.writeString(socket, "");
    assertOneLine(() -> ping(), "cannot reach the Docker daemon at unix://" + socket + ": not a socket");
  }

  @Test
  void aSocketNobodyListensOn() throws IOException {
    // A daemon that died leaves its socket file behind: binding and closing makes exactly that.
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists();
    assertOneLine(() -> ping(), "cannot reach the Docker daemon at unix://" + socket
        + ": connection refused (the socket exists but no daemon listens on it)");
  }

  @Test
  void anHttpServerThatIsNotDocker() throws IOException {
    serve(request -> "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n"
        + "Connection: close\r\n\r\nnot here\r\n");
    assertOneLine(() -> ping(), "cannot reach the Docker daemon at unix://" + socket
        + ": not a Docker daemon (GET /_ping answered HTTP 404)");
  }

  @Test
  void aServerThatAnswersOkButNotWithTheEngineApi() throws IOException {
    serve(request -> http(request.startsWith("GET /_ping") ? "OK" : "<html>hello</html>"));
    try (DockerClient c = DockerClient.open(new DockerHost(socket))) {
      c.ping();
      assertOneLine(() -> c.containers(true), "cannot reach the Docker daemon at unix://" + socket
          + ": not a Docker Engine API answer to GET /containers/json (not JSON: '<html>hello</html>')");
    }
  }

  @Test
  void aServerThatDoesNotSpeakHttp() throws IOException {
    serve(request -> "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
    assertThatThrownBy(this::ping)
        .isInstanceOf(LayertraceException.class)
        .hasMessageStartingWith("cannot reach the Docker daemon at unix://" + socket + ": ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("Exception"));
  }

  @Test
  void aServerThatNeverAnswers() throws IOException {
    serve(request -> null);
    try (DockerClient c = DockerClient.open(new DockerHost(socket), Duration.ofMillis(300))) {
      assertOneLine(c::ping, "cannot reach the Docker daemon at unix://" + socket
          + ": no answer to GET /_ping within 300 ms");
    }
  }

  @Test
  void aContainerReferenceIsNeverPutIntoThePathUnchecked() throws IOException {
    serve(request -> http("OK"));
    try (DockerClient c = DockerClient.open(new DockerHost(socket))) {
      assertOneLine(() -> c.inspect("../../images/json"), "'../../images/json' is not a container name or id");
      assertOneLine(() -> c.inspect(".."), "'..' is not a container name or id");
      assertOneLine(() -> c.inspect(""), "'' is not a container name or id");
    }
  }

  private void ping() {
    try (DockerClient c = DockerClient.open(new DockerHost(socket))) {
      c.ping();
    }
  }

  private static void assertOneLine(Executable call, String message) {
    assertThatThrownBy(call::execute)
        .isInstanceOf(LayertraceException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((LayertraceException) e).exitCode()).isEqualTo(2));
  }

  private static String http(String body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
        + "\r\nConnection: close\r\n\r\n" + body;
  }

  /** Answers each connection's first request with {@code reply.apply(request)}; null: read and stay silent. */
  private void serve(Function<String, String> reply) throws IOException {
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    serving = new Thread(() -> {
      while (server.isOpen()) {
        try (SocketChannel ch = server.accept()) {
          ByteBuffer buf = ByteBuffer.allocate(4096);
          ch.read(buf);
          String answer = reply.apply(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
          if (answer == null) {
            Thread.sleep(1000);
            continue;
          }
          ch.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
          return;
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "lt-tdock-fake-server");
    serving.setDaemon(true);
    serving.start();
  }
}
