package dev.layertrace.discover;

import dev.layertrace.LayertraceException;
import java.util.Locale;

/**
 * A {@code --from} value: {@code netns:NAME}, {@code pid:N}, {@code ip:ADDR} or {@code container:NAME|ID}.
 * A bare word is taken as a namespace name.
 */
public record SourceSpec(Kind kind, String value) {

  /** What the value names. */
  public enum Kind { NETNS, PID, IP, CONTAINER }

  /** Parses a {@code --from} value; a usage error (exit 2) for anything else. */
  public static SourceSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw LayertraceException.usage("--from needs a source: netns:NAME, pid:N, ip:ADDR or container:NAME");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      return new SourceSpec(Kind.NETNS, text);
    }
    String prefix = text.substring(0, colon).toLowerCase(Locale.ROOT);
    String value = text.substring(colon + 1);
    if (value.isEmpty()) {
      throw LayertraceException.usage("'" + text + "' names no " + prefix);
    }
    return switch (prefix) {
      case "netns" -> new SourceSpec(Kind.NETNS, value);
      case "container" -> new SourceSpec(Kind.CONTAINER, value);
      case "pid" -> {
        try {
          int pid = Integer.parseInt(value);
          if (pid <= 0) {
            throw new NumberFormatException();
          }
          yield new SourceSpec(Kind.PID, Integer.toString(pid));
        } catch (NumberFormatException e) {
          throw LayertraceException.usage("'" + value + "' is not a process id");
        }
      }
      case "ip" -> {
        if (!Cidrs.isLiteral(value)) {
          throw LayertraceException.usage("'" + value + "' is not an IP address");
        }
        yield new SourceSpec(Kind.IP, value);
      }
      default -> throw LayertraceException.usage("unknown source '" + text
          + "': use netns:NAME, pid:N, ip:ADDR or container:NAME");
    };
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT) + ":" + value;
  }
}
