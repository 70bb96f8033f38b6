package dev.layertrace.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.LayertraceException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Resolution over a container list recorded from a real daemon (lt-web and 16 created containers). */
class ContainerResolverTest {
  static final List<ContainerSummary> ALL = DockerJson.containers(DockerFixtures.read("containers-all.json"));
  static final ContainerSummary WEB = ALL.stream().filter(c -> c.name().equals("lt-web")).findFirst().orElseThrow();

  @Test
  void byNameWithOrWithoutTheLeadingSlash() {
    assertThat(ContainerResolver.resolve("lt-web", ALL)).isEqualTo(WEB);
    assertThat(ContainerResolver.resolve("/lt-web", ALL)).isEqualTo(WEB);
    assertThat(ContainerResolver.resolve(" lt-web ", ALL)).isEqualTo(WEB);
  }

  @Test
  void byFullIdAndByAUniqueIdPrefixInAnyCase() {
    assertThat(ContainerResolver.resolve(WEB.id(), ALL)).isEqualTo(WEB);
    String unique = shortestUniquePrefix(WEB.id());
    assertThat(ContainerResolver.resolve(unique, ALL)).isEqualTo(WEB);
    assertThat(ContainerResolver.resolve(WEB.id().substring(0, 12).toUpperCase(), ALL)).isEqualTo(WEB);
  }

  @Test
  void anAmbiguousIdPrefixListsTheCandidates() {
    // 17 ids and 16 hex digits: at least two share their first digit.
    Map<Character, List<ContainerSummary>> byFirst = ALL.stream().collect(Collectors.groupingBy(c -> c.id().charAt(0)));
    Map.Entry<Character, List<ContainerSummary>> shared = byFirst.entrySet().stream()
        .filter(e -> e.getValue().size() > 1).findFirst().orElseThrow();
    String prefix = String.valueOf(shared.getKey());
    assertThatThrownBy(() -> ContainerResolver.resolve(prefix, ALL))
        .isInstanceOf(LayertraceException.class)
        .hasMessageStartingWith("container '" + prefix + "' is ambiguous: " + shared.getValue().size() + " containers")
        .hasMessageContaining(shared.getValue().get(0).id().substring(0, 12))
        .hasMessageContaining(shared.getValue().get(1).name())
        .satisfies(e -> assertThat(((LayertraceException) e).exitCode()).isEqualTo(2));
  }

  @Test
  void anExactNameWinsOverAnIdPrefixLikeDockerInspect() {
    // A container named like another's id prefix: the name decides.
    ContainerSummary other = ALL.stream().filter(c -> c != WEB).findFirst().orElseThrow();
    String prefix = WEB.id().substring(0, 4);
    ContainerSummary namedLikePrefix = new ContainerSummary(other.id(), List.of("/" + prefix), other.image(),
        other.state());
    List<ContainerSummary> list = new java.util.ArrayList<>(ALL);
    list.set(ALL.indexOf(other), namedLikePrefix);
    assertThat(ContainerResolver.resolve(prefix, list)).isEqualTo(namedLikePrefix);
  }

  @Test
  void unknownNamesListWhatThereIs() {
    assertThatThrownBy(() -> ContainerResolver.resolve("lt-nobody", ALL))
        .isInstanceOf(LayertraceException.class)
        .hasMessageStartingWith("no container named 'lt-nobody' or with an id starting with it (there are: ")
        .hasMessageContaining("… 12 more");
    assertThatThrownBy(() -> ContainerResolver.resolve("web", List.of()))
        .hasMessageContaining("the daemon has no containers");
    assertThatThrownBy(() -> ContainerResolver.resolve("/", ALL)).hasMessage("container: give a name or an id");
    // Names are not prefixes: "lt-we" is nobody.
    assertThatThrownBy(() -> ContainerResolver.resolve("lt-we", ALL)).hasMessageStartingWith("no container named");
  }

  static String shortestUniquePrefix(String id) {
    for (int n = 1; n <= id.length(); n++) {
      String p = id.substring(0, n);
      if (ALL.stream().filter(c -> c.id().startsWith(p)).count() == 1) {
        return p;
      }
    }
    throw new IllegalStateException(id);
  }
}
