package dev.layertrace.check;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one check.
 *
 * @param id stable identifier, e.g. {@code sysctl.ip_forward}
 * @param evidence what was read and the value found, e.g. {@code /proc/sys/net/ipv4/ip_forward = 0}
 * @param why one sentence naming what breaks when the assumption does not hold
 * @param fix what to do; empty when the status is ok
 */
public record CheckResult(String id, CheckLayer layer, CheckStatus status, List<String> evidence, String why,
    String fix) {

  public CheckResult {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(status, "status");
    evidence = List.copyOf(evidence);
    why = why == null ? "" : why;
    fix = fix == null ? "" : fix;
  }
}
