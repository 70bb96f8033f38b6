package dev.layertrace.verdict;

import dev.layertrace.model.LayerRef;
import java.util.List;

/**
 * What a netfilter evaluation (static model or {@code --rule-trace}) says decided the probe at one
 * layer: the rule (or chain policy), whether it stops the packet, the backends holding rules on that
 * hook, and a fix if one is known.
 */
public record RuleDecision(LayerRef layer, boolean stops, String rule, List<String> backends, String fix) {
  public RuleDecision {
    backends = backends == null ? List.of() : List.copyOf(backends);
  }

  public String cite() {
    return "rule " + layer.label() + ": " + rule + (backends.isEmpty() ? "" : " [backends: "
        + String.join(", ", backends) + "]");
  }
}
