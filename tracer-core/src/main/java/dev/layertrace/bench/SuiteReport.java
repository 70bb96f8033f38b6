package dev.layertrace.bench;

import java.util.List;

/**
 * One run of {@code layertrace bench all}: where and when it ran, how it was started, how long it
 * took, every figure, and notes (sections that could not run and why, facts behind the figures).
 */
public record SuiteReport(MachineFacts machine, String date, String command, double seconds, List<Figure> figures,
    List<String> notes) {
  public SuiteReport {
    figures = List.copyOf(figures);
    notes = List.copyOf(notes);
  }

  /** Figures with a target that is not met. */
  public List<Figure> missed() {
    return figures.stream().filter(f -> Boolean.FALSE.equals(f.met())).toList();
  }
}
