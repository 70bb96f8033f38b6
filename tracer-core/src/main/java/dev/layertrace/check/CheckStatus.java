package dev.layertrace.check;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a check found: the assumption holds, its object is absent, it is present but wrong, or unreadable. */
public enum CheckStatus {
  OK,
  MISSING,
  WRONG,
  UNKNOWN;

  @JsonValue
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for missing and wrong: the statuses that make doctor exit 1. */
  public boolean failed() {
    return this == MISSING || this == WRONG;
  }
}
