package dev.layertrace.netfilter;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;

/**
 * Output of {@code nft -j list ruleset} or {@code iptables-save} that could not be parsed; says which
 * source and where (a line, a character offset or a JSON element path).
 */
public final class NetfilterParseException extends LayertraceException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final String position;

  public NetfilterParseException(String source, String position, String problem) {
    super(ExitCode.USAGE, "cannot parse " + source + " at " + position + ": " + problem);
    this.source = source;
    this.position = position;
  }

  public NetfilterParseException(String source, String position, String problem, Throwable cause) {
    super(ExitCode.USAGE, "cannot parse " + source + " at " + position + ": " + problem, cause);
    this.source = source;
    this.position = position;
  }

  /** The tool output that failed, e.g. {@code "nft -j list ruleset"}. */
  public String source() {
    return source;
  }

  /** Where it failed, e.g. {@code "line 7"} or {@code "nftables[4].rule.expr[1]"}. */
  public String position() {
    return position;
  }
}
