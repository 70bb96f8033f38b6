package dev.layertrace.lab.qemu;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The line protocol of the guest control channel (a virtio-serial port served by the guest's init).
 * A request is {@code ID SECONDS BASE64(script)}: the guest runs the script with {@code sh} under
 * {@code timeout -s KILL SECONDS}; the answer is {@code ID EXIT BASE64(stdout and stderr)}. Base64
 * keeps every message on one line whatever the script or its output contain.
 */
public final class GuestControlProtocol {
  private GuestControlProtocol() {}

  /** What the guest answered to one request. */
  public record Answer(long id, int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** The request line (with its newline). */
  public static String request(long id, int limitSeconds, String script) {
    if (limitSeconds < 1) {
      throw new IllegalArgumentException("a time limit of at least 1 s");
    }
    return id + " " + limitSeconds + " " + Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8))
        + "\n";
  }

  /**
   * Parses an answer line; a line that is not one (console noise, a truncated line) gives null. An
   * empty output has no third field: busybox's {@code base64} prints nothing for nothing.
   */
  public static Answer parse(String line) {
    String[] f = line.strip().split(" ", -1);
    if (f.length < 2 || f.length > 3) {
      return null;
    }
    try {
      long id = Long.parseLong(f[0]);
      int rc = Integer.parseInt(f[1]);
      String out = f.length == 3 ? new String(Base64.getDecoder().decode(f[2]), StandardCharsets.UTF_8) : "";
      return new Answer(id, rc, out);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
