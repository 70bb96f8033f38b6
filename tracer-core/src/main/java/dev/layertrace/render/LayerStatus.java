package dev.layertrace.render;

/**
 * What happened to a probe at one layer of its path, as every renderer shows it. {@link TracedPath}
 * derives it from a capture; the rules are documented there.
 */
public enum LayerStatus {
  /** The packet was seen here (or passed here, for a decision layer) as expected. */
  SEEN("✓", "ok"),
  /** The packet was seen here, but not as expected: untranslated, or past the stopping layer. */
  UNEXPECTED("!", "!!"),
  /** The verdict's layer: where the request (or, for a lost reply, the translation) went wrong. */
  STOPPED("✗", "XX"),
  /** The packet never got here. */
  NOT_REACHED("·", "..");

  private final String mark;
  private final String asciiMark;

  LayerStatus(String mark, String asciiMark) {
    this.mark = mark;
    this.asciiMark = asciiMark;
  }

  /** {@code ✓ ! ✗ ·}, or {@code ok !! XX ..} in plain ASCII. */
  public String mark(boolean ascii) {
    return ascii ? asciiMark : mark;
  }

  /** Lowercase word for CSS/Mermaid classes and reports: {@code seen}, {@code not-reached}, … */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
