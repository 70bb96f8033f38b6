package dev.layertrace.check;

import java.util.List;

/**
 * What running one tool returned.
 *
 * @param exitCode the tool's exit code, -1 when it could not be started
 * @param error why it could not be started (not installed), else empty
 */
public record CommandFact(List<String> argv, int exitCode, String stdout, String stderr, String error) {

  public CommandFact {
    argv = List.copyOf(argv);
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
    error = error == null ? "" : error;
  }

  public static CommandFact notRun(List<String> argv, String why) {
    return new CommandFact(argv, -1, "", "", why);
  }

  public boolean ran() {
    return error.isEmpty();
  }

  public boolean ok() {
    return ran() && exitCode == 0;
  }

  public String commandLine() {
    return String.join(" ", argv);
  }

  /** One line of evidence: the command and the first line of what it said. */
  public String evidence() {
    if (!ran()) {
      return commandLine() + ": " + error;
    }
    String said = (stdout.isBlank() ? stderr : stdout).strip().lines().findFirst().orElse("");
    return commandLine() + " (exit " + exitCode + ")" + (said.isEmpty() ? "" : ": " + said);
  }
}
