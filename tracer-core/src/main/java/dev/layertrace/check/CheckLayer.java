package dev.layertrace.check;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The layer of the container network stack an assumption belongs to; doctor groups checks by it. */
public enum CheckLayer {
  MOUNTS,
  KERNEL,
  NETFILTER,
  SYSCTLS,
  DEVICES,
  DNS,
  DOCKER,
  LAYERTRACE;

  @JsonValue
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
