package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * What a static look at one layer's configuration found, before any packet was sent.
 *
 * @param code a cause code from the verdict vocabulary where one applies ({@code forwarding-disabled})
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Finding(
    LayerRef layer, String code, Severity severity, String message, String fix, List<String> evidence) {
  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
  }
}
