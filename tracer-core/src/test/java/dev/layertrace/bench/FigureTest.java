package dev.layertrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FigureTest {

  @ParameterizedTest(name = "{0} {1} vs {2}: {3}")
  @CsvSource({
      "AT_MOST, 800, 790, yes",
      "AT_MOST, 800, 800, yes",
      "AT_MOST, 800, 801, NO",
      "AT_LEAST, 20, 19.9, NO",
      "AT_LEAST, 20, 35, yes",
  })
  void targetsOnTheFigure(Target.Bound bound, double value, double ours, String met) {
    Figure f = Figure.of("s", "n", ours, "ms", new Target(bound, value, false));
    assertThat(f.metText()).isEqualTo(met);
  }

  @ParameterizedTest(name = "ours {0} vs baseline {1}")
  @CsvSource({"500, 11000, yes", "600, 11000, NO"})
  void timesFasterIsATargetOnTheRatio(double ours, double baseline, String met) {
    Figure f = new Figure("discovery", "full", ours, baseline, "ms", Target.timesFaster(20), "ip");
    assertThat(f.metText()).isEqualTo(met);
    assertThat(f.targetText()).isEqualTo(">= 20x faster");
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = ';', value = {
      "812.4; ms; 812 ms",
      "12345; ms; 12.3 s",
      "41.25; traces/s; 41.3 traces/s",
      "0.0512; ms; 0.051 ms",
      "1000; ''; 1000",
      "7.38; Gbit/s; 7.38 Gbit/s",
  })
  void valuesKeepThreeFiguresAndTheirUnit(double v, String unit, String text) {
    assertThat(Figure.of("s", "n", v, unit, null).oursText()).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({"769, 1004, 0.77x", "32, 1004, 0.032x"})
  void ratioIsOursOverBaseline(double ours, double baseline, String ratio) {
    assertThat(new Figure("s", "n", ours, baseline, "ms", null, null).ratioText()).isEqualTo(ratio);
  }

  @org.junit.jupiter.api.Test
  void withoutTargetOrBaselineTheCellsStayEmpty() {
    Figure f = Figure.of("s", "n", 3, "ms", null);
    assertThat(f.met()).isNull();
    assertThat(f.ratio()).isNull();
    assertThat(f.metText() + f.targetText() + f.baselineText() + f.ratioText()).isEmpty();
  }
}
