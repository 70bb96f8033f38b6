package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether an observation is of the probe itself or of the answer to it. */
public enum Direction {
  REQUEST,
  REPLY;

  @JsonValue
  public String word() {
    return Vocabulary.wordOf(this);
  }

  @JsonCreator
  public static Direction of(String word) {
    return Vocabulary.parse(Direction.class, word);
  }
}
