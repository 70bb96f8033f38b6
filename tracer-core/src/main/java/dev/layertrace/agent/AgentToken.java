package dev.layertrace.agent;

import dev.layertrace.LayertraceException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The secret a tracer proves it knows before an agent serves it. Compared in constant time. */
public record AgentToken(String value) {
  public AgentToken {
    if (value == null || value.strip().length() < 16) {
      throw LayertraceException.usage("an agent token needs at least 16 characters");
    }
    value = value.strip();
  }

  /** 32 random bytes, hex: what {@code layertrace agent} writes when its token file does not exist yet. */
  public static AgentToken random() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return new AgentToken(HexFormat.of().formatHex(b));
  }

  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
        presented.strip().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "AgentToken[…]"; // never print the secret
  }
}
