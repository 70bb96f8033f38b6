package dev.layertrace.agent;

import dev.layertrace.LayertraceException;
import java.nio.file.Path;

/**
 * Where an agent listens: {@code unix:/run/layertrace/agent.sock} or {@code tcp:HOST:PORT}. A VMM's
 * vsock reaches the host as a unix socket (Firecracker) or can be bridged to one; TCP is for an
 * agent reached over a management network.
 */
public record AgentAddress(Kind kind, Path path, String host, int port) {
  /** The transport. */
  public enum Kind { UNIX, TCP }

  public static AgentAddress parse(String s) {
    if (s == null || s.isBlank()) {
      throw LayertraceException.usage("an agent address is unix:PATH or tcp:HOST:PORT");
    }
    if (s.startsWith("unix:")) {
      String p = s.substring("unix:".length()).replaceFirst("^//", "");
      if (!p.startsWith("/")) {
        throw LayertraceException.usage("a unix agent address needs an absolute path: unix:/run/layertrace/agent.sock,"
            + " not '" + s + "'");
      }
      return new AgentAddress(Kind.UNIX, Path.of(p), null, 0);
    }
    if (s.startsWith("tcp:")) {
      String rest = s.substring("tcp:".length()).replaceFirst("^//", "");
      int colon = rest.lastIndexOf(':');
      if (colon <= 0) {
        throw LayertraceException.usage("a TCP agent address is tcp:HOST:PORT, not '" + s + "'");
      }
      int port;
      try {
        port = Integer.parseInt(rest.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw LayertraceException.usage("'" + rest.substring(colon + 1) + "' is not a port (1..65535) in '" + s + "'");
      }
      return new AgentAddress(Kind.TCP, null, rest.substring(0, colon), port);
    }
    throw LayertraceException.usage("an agent address is unix:PATH or tcp:HOST:PORT, not '" + s + "'");
  }

  @Override
  public String toString() {
    return kind == Kind.UNIX ? "unix:" + path : "tcp:" + host + ":" + port;
  }
}
