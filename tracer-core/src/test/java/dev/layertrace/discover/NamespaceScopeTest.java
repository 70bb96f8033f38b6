package dev.layertrace.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.LayertraceException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespaceScopeTest {
  static final NamespaceInventory INVENTORY = NamespaceInventory.of(List.of(
      new NamespaceInventory.Reference(NamespaceInventory.Origin.NAMED, "/run/netns/lt-ctr", 11, "lt-ctr", 0),
      new NamespaceInventory.Reference(NamespaceInventory.Origin.NAMED, "/run/netns/lt-guest", 12, "lt-guest", 0),
      new NamespaceInventory.Reference(NamespaceInventory.Origin.NAMED, "/run/netns/lt-host", 13, "lt-host", 0)));

  @Test
  void aScopeKeepsOnlyItsNamespacesAndRefusesTheOthersInOneLine() {
    NamespaceScope s = NamespaceScope.parse(" lt-ctr,lt-guest ", false);
    assertThat(s.restricted()).isTrue();
    assertThat(s.seesVmm()).isFalse();
    assertThat(s.restrict(INVENTORY).names()).containsExactly("lt-ctr", "lt-guest");
    s.require("lt-guest");
    assertThatThrownBy(() -> s.require("lt-host")).isInstanceOf(LayertraceException.class)
        .hasMessage("namespace 'lt-host' is outside this process's scope (--scope lt-ctr,lt-guest)");
  }

  @Test
  void noScopeIsEverything() {
    assertThat(NamespaceScope.parse(null, true)).isEqualTo(NamespaceScope.ALL);
    assertThat(NamespaceScope.ALL.restrict(INVENTORY)).isEqualTo(INVENTORY);
    NamespaceScope.ALL.require("anything");
  }

  @Test
  void badNamesAreAUsageError() {
    assertThatThrownBy(() -> NamespaceScope.parse("lt-ctr,,x", true)).isInstanceOf(LayertraceException.class)
        .hasMessageContaining("--scope takes namespace names");
    assertThatThrownBy(() -> NamespaceScope.parse("a b", true)).isInstanceOf(LayertraceException.class);
  }
}
