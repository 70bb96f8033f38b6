package dev.layertrace.model;

import java.util.Locale;

/** Helpers shared by the model's enums, whose JSON form is a lowercase, hyphenated word. */
final class Vocabulary {
  private Vocabulary() {}

  static String wordOf(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static <E extends Enum<E>> E parse(Class<E> type, String word) {
    if (word == null) {
      throw new IllegalArgumentException("missing " + type.getSimpleName());
    }
    for (E e : type.getEnumConstants()) {
      if (wordOf(e).equals(word)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + word + "'");
  }
}
