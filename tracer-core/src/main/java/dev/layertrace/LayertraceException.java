package dev.layertrace;

/**
 * An error the user can act on: its message is one line that says what is wrong and, where it can,
 * what to do. The command prints the message (no stack trace) and exits with {@link #exitCode()}.
 */
public class LayertraceException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public LayertraceException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public LayertraceException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Bad usage or input (exit 2). */
  public static LayertraceException usage(String message) {
    return new LayertraceException(ExitCode.USAGE, message);
  }

  /** Bad input with its cause kept for {@code --debug} (exit 2). */
  public static LayertraceException input(String message, Throwable cause) {
    return new LayertraceException(ExitCode.USAGE, message, cause);
  }

  /** A missing capability, e.g. {@code missingPrivilege("CAP_NET_ADMIN", "to enter lt-ctr")} (exit 3). */
  public static LayertraceException missingPrivilege(String capability, String what) {
    return new LayertraceException(ExitCode.PRIVILEGE, "missing privilege " + capability + ": needed " + what
        + " (run as root, e.g. with sudo)");
  }

  /** A missing kernel feature or system tool (exit 3). */
  public static LayertraceException missingFeature(String message) {
    return new LayertraceException(ExitCode.PRIVILEGE, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
