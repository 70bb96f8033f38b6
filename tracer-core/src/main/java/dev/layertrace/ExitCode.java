package dev.layertrace;

/** The command's exit codes, documented in {@code --help} and the README. */
public final class ExitCode {
  /** The packet reached its destination and came back, or a check found nothing wrong. */
  public static final int OK = 0;
  /** The packet stopped or its reply was lost; a check found something missing or wrong. */
  public static final int STOPPED = 1;
  /** Bad usage or bad input: an unknown name, a malformed file. */
  public static final int USAGE = 2;
  /** A missing privilege (capability) or kernel feature. */
  public static final int PRIVILEGE = 3;
  /** A bug in layertrace. */
  public static final int INTERNAL = 4;

  private ExitCode() {}
}
