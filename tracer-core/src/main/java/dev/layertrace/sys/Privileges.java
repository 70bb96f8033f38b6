package dev.layertrace.sys;

import dev.layertrace.LayertraceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The capabilities this process really holds ({@code CapEff} of {@code /proc/self/status}), checked
 * before a command changes anything. Checking the uid is not enough: uid 0 with only CAP_NET_RAW
 * (a container, {@code setpriv}) can still signal and unlink its own files, so a lab command that
 * trusted the uid half-removed a lab and reported success.
 */
public final class Privileges {
  /** The capabilities layertrace needs, with their bit in CapEff. */
  public enum Capability {
    NET_ADMIN(12), NET_RAW(13), SYS_ADMIN(21);

    private final int bit;

    Capability(int bit) {
      this.bit = bit;
    }

    /** The kernel's name, e.g. {@code CAP_NET_ADMIN}. */
    public String capName() {
      return "CAP_" + name();
    }
  }

  private static final Path STATUS = Path.of("/proc/self/status");

  private Privileges() {}

  /**
   * Fails with exit 3 and one line naming each of {@code needed} that this process lacks, and
   * {@code what} it was needed for. Does nothing when /proc cannot be read: the tools then say
   * what is missing.
   */
  public static void require(String what, Capability... needed) {
    List<String> missing = missing(needed);
    if (!missing.isEmpty()) {
      throw LayertraceException.missingPrivilege(String.join(" and ", missing), what);
    }
  }

  /** The capabilities of {@code wanted} this process lacks, by name (none when /proc cannot be read). */
  public static List<String> missing(Capability... wanted) {
    OptionalLong eff = effective();
    List<String> missing = new ArrayList<>();
    for (Capability c : wanted) {
      if (eff.isPresent() && (eff.getAsLong() & (1L << c.bit)) == 0) {
        missing.add(c.capName());
      }
    }
    return missing;
  }

  /** The CapEff mask, if /proc/self/status can be read. */
  static OptionalLong effective() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("CapEff:")) {
          return OptionalLong.of(Long.parseUnsignedLong(line.substring(7).strip(), 16));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // unknown: the caller goes on and the tools report what is missing
    }
    return OptionalLong.empty();
  }
}
