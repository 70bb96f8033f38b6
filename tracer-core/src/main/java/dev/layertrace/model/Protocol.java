package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a probe is made of. */
public enum Protocol {
  ICMP,
  UDP,
  TCP;

  @JsonValue
  public String word() {
    return Vocabulary.wordOf(this);
  }

  @JsonCreator
  public static Protocol of(String word) {
    return Vocabulary.parse(Protocol.class, word);
  }
}
