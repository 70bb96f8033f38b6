package dev.layertrace.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks Mermaid output against the grammar subset the renderer emits: every line must be one of
 * these statements, quoted labels hold no quote, and subgraphs open and close in pairs.
 */
final class MermaidSyntax {
  private static final List<Pattern> STATEMENTS = List.of(
      Pattern.compile("flowchart LR"),
      Pattern.compile(" *subgraph k\\d+(_ns\\d+)?\\[\"[^\"]*\"]"),
      Pattern.compile(" *end"),
      Pattern.compile(" *n\\d+\\[\"[^\"]*\"]"),
      Pattern.compile(" *n\\d+ (-->|-\\.->|==>)(\\|\"[^\"|]*\"\\|)? n\\d+"),
      Pattern.compile(" *classDef (seen|unexpected|stopped|notreached) [a-z-]+:[^ ]+( [^ ]+)?"),
      Pattern.compile(" *class n\\d+(,n\\d+)* (seen|unexpected|stopped|notreached)"));

  private MermaidSyntax() {}

  static void assertWellFormed(String mermaid) {
    int depth = 0;
    for (String line : mermaid.split("\n")) {
      assertThat(STATEMENTS).as("not a statement the renderer should emit: %s", line)
          .anyMatch(p -> p.matcher(line).matches());
      if (line.strip().startsWith("subgraph ")) {
        depth++;
      } else if (line.strip().equals("end")) {
        depth--;
        assertThat(depth).as("unbalanced end").isNotNegative();
      }
    }
    assertThat(depth).as("unclosed subgraph").isZero();
  }
}
