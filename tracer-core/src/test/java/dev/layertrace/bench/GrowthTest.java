package dev.layertrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class GrowthTest {

  @Test
  void linearCostHasExponentOne() {
    // 5 ms fixed plus 0.5 ms per container.
    List<Growth.Point> p = List.of(new Growth.Point(0, 5), new Growth.Point(10, 10), new Growth.Point(100, 55),
        new Growth.Point(1000, 505));
    assertThat(Growth.marginalMs(p)).containsExactly(0.5, 0.5, 0.5);
    assertThat(Growth.exponent(p, 1)).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void quadraticCostHasExponentTwo() {
    List<Growth.Point> p = List.of(new Growth.Point(0, 100), new Growth.Point(100, 100 + 0.01 * 100 * 100),
        new Growth.Point(1000, 100 + 0.01 * 1000 * 1000));
    assertThat(Growth.exponent(p, 1)).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void noExponentWhenTheMiddlePointIsWithinNoise() {
    List<Growth.Point> p = List.of(new Growth.Point(0, 800), new Growth.Point(100, 805), new Growth.Point(1000, 900));
    assertThat(Growth.exponent(p, 20)).isNull();
    assertThat(Growth.exponent(p.subList(0, 2), 0)).isNull();
  }
}
