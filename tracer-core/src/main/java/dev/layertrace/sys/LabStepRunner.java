package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.lab.LabStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Executes {@link LabStep}s: each tool runs inside its lab namespace ({@code ip -n NS} for ip,
 * {@code ip netns exec NS} for the others). Consecutive ip commands in one namespace go through one
 * {@code ip -batch} so that building the lab spawns a few dozen processes, not a hundred.
 */
public final class LabStepRunner {
  /** The tools the lab drives, with the Debian package that provides each. */
  private static final String[][] TOOLS = {
      {"ip", "iproute2"}, {"nft", "nftables"}, {"iptables", "iptables"}, {"iptables-save", "iptables"},
      {"sysctl", "procps"}, {"kill", "procps"}, {"setsid", "util-linux"}};
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Consumer<LabStep.RelaySignal> relaySignals;

  /** {@code relaySignals} delivers {@link LabStep.SignalRelay} steps to the running relay. */
  public LabStepRunner(Consumer<LabStep.RelaySignal> relaySignals) {
    this.relaySignals = relaySignals;
  }

  /** Fails with exit 3 naming the package when a tool the lab needs is missing. */
  public static void requireTools() {
    for (String[] t : TOOLS) {
      Commands.require(t[0], t[1]);
    }
  }

  /** Runs {@code steps} in order; the first failure (of a step that may not fail) stops the run. */
  public void run(List<LabStep> steps) {
    run(steps, () -> false);
  }

  /**
   * As {@link #run(List)}, but asks {@code stop} before each command and, once it answers true, runs
   * no further command and throws (exit 1): a signal handler can so stop a build between two commands.
   */
  public void run(List<LabStep> steps, BooleanSupplier stop) {
    List<LabStep.Exec> batch = new ArrayList<>();
    for (LabStep step : steps) {
      if (step instanceof LabStep.Exec e && batchable(e)) {
        if (!batch.isEmpty() && !batch.get(0).netns().equals(e.netns())) {
          checkStop(stop);
          flush(batch);
        }
        batch.add(e);
        continue;
      }
      checkStop(stop);
      flush(batch);
      if (step instanceof LabStep.Exec e) {
        exec(e);
      } else if (step instanceof LabStep.SignalRelay s) {
        relaySignals.accept(s.signal());
      }
    }
    checkStop(stop);
    flush(batch);
  }

  private static void checkStop(BooleanSupplier stop) {
    if (stop.getAsBoolean()) {
      throw new LayertraceException(ExitCode.STOPPED, "lab: stopped by a signal before it was complete");
    }
  }

  private static boolean batchable(LabStep.Exec e) {
    return e.netns() != null && e.argv().get(0).equals("ip") && e.stdin() == null && !e.mayFail();
  }

  private static void flush(List<LabStep.Exec> batch) {
    if (batch.isEmpty()) {
      return;
    }
    if (batch.size() == 1) {
      exec(batch.get(0));
    } else {
      StringBuilder lines = new StringBuilder();
      for (LabStep.Exec e : batch) {
        lines.append(String.join(" ", e.argv().subList(1, e.argv().size()))).append('\n');
      }
      Commands.Result r = Commands.run(List.of("ip", "-n", batch.get(0).netns(), "-batch", "-"), lines.toString(),
          TIMEOUT);
      if (!r.ok()) {
        throw failed(batch.get(0).netns(), "ip -batch", r);
      }
    }
    batch.clear();
  }

  private static void exec(LabStep.Exec e) {
    Commands.Result r = Commands.run(e.command(), e.stdin(), TIMEOUT);
    if (!r.ok() && !e.mayFail()) {
      throw failed(e.netns(), e.display(), r);
    }
  }

  private static LayertraceException failed(String netns, String what, Commands.Result r) {
    String err = r.stderr().strip().lines().reduce((a, b) -> b).orElse("exit " + r.exitCode());
    return new LayertraceException(ExitCode.INTERNAL,
        "lab: '" + what + "'" + (netns == null ? "" : " in " + netns) + " failed: " + err);
  }
}
