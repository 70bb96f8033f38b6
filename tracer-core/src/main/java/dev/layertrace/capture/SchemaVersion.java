package dev.layertrace.capture;

import dev.layertrace.model.Capture;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A capture's {@code MAJOR.MINOR} schema version. Minor versions only add fields, so a reader
 * accepts every minor of its own major; a new major may change anything, so it is refused.
 * Numbers are kept as BigInteger so an absurd {@code 99999999999.0} is still "a newer major",
 * not an overflow.
 */
record SchemaVersion(BigInteger major, BigInteger minor) implements Comparable<SchemaVersion> {
  private static final Pattern FORM = Pattern.compile("(0|[1-9][0-9]{0,17})\\.(0|[1-9][0-9]{0,17})");

  /** The version this build writes and reads. */
  static final SchemaVersion CURRENT = parse(Capture.SCHEMA_VERSION).orElseThrow();

  /** The version, or empty when the text is not {@code MAJOR.MINOR} in plain decimal. */
  static Optional<SchemaVersion> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new SchemaVersion(new BigInteger(m.group(1)), new BigInteger(m.group(2))));
  }

  boolean sameMajor(SchemaVersion other) {
    return major.equals(other.major);
  }

  @Override
  public int compareTo(SchemaVersion o) {
    int c = major.compareTo(o.major);
    return c != 0 ? c : minor.compareTo(o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
