package dev.layertrace.lab;

import java.util.List;

/** Renders the fault catalog for {@code lab faults} (text) and {@code docs/faults.md} (Markdown). */
public final class FaultTable {
  private FaultTable() {}

  /** One block per fault: name, expected verdict, probe, then the change and the steps. */
  public static String text(LabTopology t) {
    StringBuilder b = new StringBuilder();
    int width = List.of(LabFault.values()).stream().mapToInt(f -> f.word().length()).max().orElse(10) + 2;
    b.append(pad("FAULT", width)).append(pad("EXPECTED VERDICT", 48)).append("PROBE\n");
    for (LabFault f : LabFault.values()) {
      b.append(pad(f.word(), width)).append(pad(f.expectedVerdict(t).describe(), 48))
          .append(f.probe().describe()).append('\n');
      b.append(" ".repeat(width)).append("change: ").append(f.change()).append('\n');
    }
    b.append("\nlayertrace lab break FAULT · layertrace lab heal FAULT · layertrace lab heal --all\n");
    return b.toString();
  }

  /** The catalog as Markdown: a summary table, then one section per fault with its commands. */
  public static String markdown(LabTopology t) {
    StringBuilder b = new StringBuilder();
    b.append("| fault | what it changes | probe that shows it | expected verdict |\n");
    b.append("|---|---|---|---|\n");
    for (LabFault f : LabFault.values()) {
      b.append("| `").append(f.word()).append("` | ").append(f.change()).append(" | ")
          .append(f.probe().describe()).append(" | ").append(f.expectedVerdict(t).describe()).append(" |\n");
    }
    for (LabFault f : LabFault.values()) {
      b.append("\n### `").append(f.word()).append("`\n\n");
      b.append(f.teaches()).append("\n\n");
      b.append("- expected verdict: **").append(f.expectedVerdict(t).describe()).append("**\n");
      b.append("- probe: ").append(f.probe().describe()).append(" from ").append(t.ctr()).append(" to ")
          .append(LabTopology.REMOTE).append('\n');
      b.append("- break: ").append(commands(f.breakSteps(t))).append('\n');
      b.append("- heal: ").append(commands(f.healSteps(t))).append('\n');
    }
    return b.toString();
  }

  private static String commands(List<LabStep> steps) {
    return String.join(" ; ", steps.stream().map(s -> "`" + describe(s) + "`").toList());
  }

  /** How a person would do the step by hand. */
  public static String describe(LabStep s) {
    if (s instanceof LabStep.Exec e) {
      return e.display();
    }
    LabStep.SignalRelay r = (LabStep.SignalRelay) s;
    return "kill -s " + r.signal().name() + " $(cat /run/layertrace/lab/vmm.pid)";
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s + "  " : s + " ".repeat(width - s.length());
  }
}
