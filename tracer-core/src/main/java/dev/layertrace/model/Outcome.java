package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a probe ended: the stable {@code outcome} words of DESIGN.md. */
public enum Outcome {
  /** The reply came back to the source. */
  REACHED,
  /** The request stopped on its way out. */
  STOPPED,
  /** The request arrived, but the reply never made it back. */
  REPLY_LOST,
  /** The tracer could not tell (it failed, or could not send). */
  ERROR;

  @JsonValue
  public String word() {
    return Vocabulary.wordOf(this);
  }

  @JsonCreator
  public static Outcome of(String word) {
    return Vocabulary.parse(Outcome.class, word);
  }
}
