package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How much a static finding matters: an error will stop packets, a warning may. */
public enum Severity {
  ERROR,
  WARNING,
  INFO;

  @JsonValue
  public String word() {
    return Vocabulary.wordOf(this);
  }

  @JsonCreator
  public static Severity of(String word) {
    return Vocabulary.parse(Severity.class, word);
  }
}
