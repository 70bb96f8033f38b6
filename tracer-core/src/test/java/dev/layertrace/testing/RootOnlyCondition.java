package dev.layertrace.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skips {@link RootOnly} tests when not running as uid 0, and says so on stderr. */
public final class RootOnlyCondition implements ExecutionCondition {

  /** True when this process runs as uid 0 (read from /proc/self/status; no native call needed). */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (isRoot()) {
      return ConditionEvaluationResult.enabled("running as root");
    }
    String reason = "SKIPPED (needs root): " + context.getDisplayName()
        + " creates namespaces or opens raw sockets; run the suite as root (CI does)";
    System.err.println(reason);
    return ConditionEvaluationResult.disabled(reason);
  }
}
