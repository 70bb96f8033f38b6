package dev.layertrace.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the kernel was built with a {@link KernelFeature}: from the config when it can be read,
 * else from the feature's indicator.
 */
public record KernelFeatureCheck(KernelFeature feature) implements Check {

  @Override
  public String id() {
    return feature.id();
  }

  @Override
  public CheckLayer layer() {
    return feature.layer();
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    Optional<KernelConfig> config = facts.parsedKernelConfig();
    if (config.isPresent()) {
      KernelConfig c = config.get();
      List<String> evidence = new ArrayList<>();
      for (String s : feature.relevantSymbols(c)) {
        evidence.add(c.evidence(s));
        if (c.enabled(s)) {
          return result(CheckStatus.OK, List.of(c.evidence(s)), feature.why(), feature.fix());
        }
      }
      return result(CheckStatus.MISSING, evidence, feature.why(), feature.fix());
    }
    Optional<String> sign = feature.indicator().apply(facts);
    if (sign.isPresent()) {
      return result(CheckStatus.OK, List.of(sign.get()), feature.why(), feature.fix());
    }
    return result(CheckStatus.UNKNOWN, List.of(facts.kernelConfig().evidence(),
        "no sign of CONFIG_" + feature.symbols().get(0) + " without it (it may be a module loaded on demand)"),
        feature.why(), feature.fix());
  }
}
