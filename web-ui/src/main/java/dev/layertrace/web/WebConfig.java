package dev.layertrace.web;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What {@code layertrace serve} was asked for.
 *
 * @param bindHost address to listen on; 127.0.0.1 unless the user chose otherwise
 * @param port TCP port; 0 picks a free one (tests)
 * @param allowLive whether {@code POST /api/live} may run traces at all
 * @param root whether the process runs as root (live traces need it)
 * @param token the secret a live request must carry in {@code X-Layertrace-Token}
 */
public record WebConfig(Path capturesDir, String bindHost, int port, boolean allowLive, boolean root, String token) {
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_PORT = 8479;

  public WebConfig {
    Objects.requireNonNull(capturesDir, "capturesDir");
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(token, "token");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    if (token.length() < 16) {
      throw new IllegalArgumentException("a live token must be at least 16 characters");
    }
  }

  /** 128 random bits as hex: the live token printed at start. */
  public static String randomToken() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** True when {@code bindHost} is a loopback address (only then is no warning printed). */
  public boolean loopbackOnly() {
    return bindHost.equals("127.0.0.1") || bindHost.equals("::1") || bindHost.equals("localhost")
        || bindHost.startsWith("127.");
  }
}
