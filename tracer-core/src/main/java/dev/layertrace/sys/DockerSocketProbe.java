package dev.layertrace.sys;

import dev.layertrace.check.FactPaths;
import dev.layertrace.check.SystemFacts.DockerSocketFact;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the Docker daemon's socket and connects to it once (no request is sent). */
public final class DockerSocketProbe {
  private DockerSocketProbe() {}

  /** The first socket of {@link FactPaths#DOCKER_SOCKETS} that exists, and whether a daemon accepts on it. */
  public static DockerSocketFact probe() {
    for (String s : FactPaths.DOCKER_SOCKETS) {
      Path p = Path.of(s);
      if (!Files.exists(p)) {
        continue;
      }
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(UnixDomainSocketAddress.of(p));
        return new DockerSocketFact(s, true, "");
      } catch (IOException e) {
        return new DockerSocketFact(s, false, String.valueOf(e.getMessage()));
      }
    }
    return new DockerSocketFact("", false, "");
  }
}
