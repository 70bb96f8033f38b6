package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * Names a layer the way a verdict or finding points at it: {@code {kind, netns, interface}}.
 * {@code netns} and {@code iface} are null where they do not apply (a vmm-link has no interface).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"kind", "netns", "interface"})
public record LayerRef(
    LayerKind kind, String netns, @JsonProperty("interface") String iface) {

  public LayerRef {
    Objects.requireNonNull(kind, "kind");
  }

  public static LayerRef of(LayerKind kind, String netns, String iface) {
    return new LayerRef(kind, netns, iface);
  }

  /** {@code nat lt-guest} or {@code nic lt-guest eth0}: how the layer is named in text. */
  public String label() {
    StringBuilder b = new StringBuilder(kind.word());
    if (netns != null) {
      b.append(' ').append(netns);
    }
    if (iface != null) {
      b.append(' ').append(iface);
    }
    return b.toString();
  }
}
