package dev.layertrace.lab;

import java.util.List;
import java.util.Objects;

/** One thing to do to the system while building, breaking or healing the lab. */
public sealed interface LabStep {

  /**
   * Runs a tool inside a lab namespace ({@code ip -n NS …} for {@code ip}, {@code ip netns exec NS …}
   * for the others), or outside any namespace when {@code netns} is null ({@code ip netns add}).
   *
   * @param stdin fed to the tool, or null
   * @param mayFail true when a non-zero exit means "already done" (deleting what is already gone)
   */
  record Exec(String netns, List<String> argv, String stdin, boolean mayFail) implements LabStep {
    public Exec {
      argv = List.copyOf(argv);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("empty command");
      }
    }

    /**
     * The whole command, run from outside the namespace: {@code ip -n NS …} for ip itself,
     * {@code ip netns exec NS …} for any other tool, the tool alone without a namespace.
     */
    public List<String> command() {
      if (netns == null) {
        return argv;
      }
      List<String> out = new java.util.ArrayList<>();
      if (argv.get(0).equals("ip")) {
        out.addAll(List.of("ip", "-n", netns));
        out.addAll(argv.subList(1, argv.size()));
      } else {
        out.addAll(List.of("ip", "netns", "exec", netns));
        out.addAll(argv);
      }
      return List.copyOf(out);
    }

    /** The command as a person would type it, for messages and {@code lab faults}. */
    public String display() {
      String line = String.join(" ", command().stream().map(Exec::quote).toList());
      return stdin == null ? line : line + " <<< '" + stdin.strip().replace('\n', ' ') + "'";
    }

    private static String quote(String arg) {
      return arg.isEmpty() || arg.chars().anyMatch(c -> " {};\"'".indexOf(c) >= 0) ? "'" + arg + "'" : arg;
    }
  }

  /** Sends a signal to the running VMM relay (stall it, resume it). */
  record SignalRelay(RelaySignal signal) implements LabStep {
    public SignalRelay {
      Objects.requireNonNull(signal, "signal");
    }
  }

  /** The signals the lab sends its relay. */
  enum RelaySignal { STOP, CONT }

  /** {@code tool args…} in {@code netns}; fails the operation when it exits non-zero. */
  static Exec run(String netns, String... argv) {
    return new Exec(netns, List.of(argv), null, false);
  }

  /** Like {@link #run} but a failure means the change was already made. */
  static Exec tolerant(String netns, String... argv) {
    return new Exec(netns, List.of(argv), null, true);
  }

  /** {@code nft -f -} in {@code netns} with {@code script} on stdin. */
  static Exec nft(String netns, String script) {
    return new Exec(netns, List.of("nft", "-f", "-"), script, false);
  }
}
