package dev.layertrace.check;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code iptables --version} says: {@code iptables v1.8.9 (nf_tables)} or
 * {@code iptables v1.8.9 (legacy)}.
 *
 * @param backend {@code nf_tables} or {@code legacy}
 */
public record IptablesVersion(String version, String backend) {
  private static final Pattern LINE = Pattern.compile("iptables v([0-9][0-9.]*)(?: \\(([a-z_]+)\\))?");

  /** Parses the tool's output; empty when it is not iptables' version line. */
  public static Optional<IptablesVersion> parse(String output) {
    Matcher m = LINE.matcher(output);
    if (!m.find()) {
      return Optional.empty();
    }
    // iptables before 1.8 printed no backend: it was legacy.
    return Optional.of(new IptablesVersion(m.group(1), m.group(2) == null ? "legacy" : m.group(2)));
  }

  /** From the snapshot's {@code iptables --version} run. */
  public static Optional<IptablesVersion> of(SystemFacts facts) {
    return facts.command(FactPaths.CMD_IPTABLES_VERSION).filter(CommandFact::ran)
        .flatMap(c -> parse(c.stdout() + c.stderr()));
  }

  public boolean nfTables() {
    return backend.equals("nf_tables");
  }

  /** The prefix iptables puts before its errors: {@code iptables v1.8.9 (nf_tables)}. */
  public String errorPrefix() {
    return "iptables v" + version + " (" + backend + ")";
  }
}
