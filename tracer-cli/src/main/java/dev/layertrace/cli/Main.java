package dev.layertrace.cli;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point of the {@code layertrace} command. Turns user errors into one line on stderr and an
 * exit code; only {@code --debug} shows a stack trace.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && ENTERS_NAMESPACES.contains(args[0])) {
      // Their first namespace entry would wait ~0.2 s for the libc binding: made while picocli starts.
      dev.layertrace.sys.NativeWarmUp.start();
    }
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** The commands whose work starts by entering network namespaces. */
  private static final java.util.Set<String> ENTERS_NAMESPACES = java.util.Set.of("path", "trace", "agent");

  /** Runs the command line and returns its exit code; used by tests too. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cmd = commandLine(out, err);
    return cmd.execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new LayertraceCommand());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExitCodeExceptionMapper(t -> t instanceof LayertraceException le ? le.exitCode() : ExitCode.INTERNAL);
    cmd.setParameterExceptionHandler((ex, a) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("layertrace: " + ex.getMessage());
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
      return ExitCode.USAGE;
    });
    cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
      boolean debug = parsed.originalArgs().contains("--debug");
      PrintWriter e = c.getErr();
      if (ex instanceof LayertraceException le) {
        e.println("layertrace: " + le.getMessage());
        if (debug) {
          ex.printStackTrace(e);
        }
        return le.exitCode();
      }
      e.println("layertrace: internal error: " + ex + (debug ? "" : " (run with --debug for details)"));
      if (debug) {
        ex.printStackTrace(e);
      }
      return ExitCode.INTERNAL;
    });
    return cmd;
  }
}
