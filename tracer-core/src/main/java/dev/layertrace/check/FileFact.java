package dev.layertrace.check;

import java.util.Arrays;
import java.util.List;

/**
 * What reading one path returned. For a directory {@code content} holds the sorted entry names, one
 * per line; for a device node it holds {@code char MAJOR:MINOR} or {@code block MAJOR:MINOR}.
 *
 * @param detail the error when not {@link Presence#PRESENT} (e.g. {@code Permission denied})
 */
public record FileFact(String path, Presence presence, String content, String detail) {

  /** Whether the read found something. */
  public enum Presence {
    PRESENT,
    ABSENT,
    DENIED,
    ERROR,
    /** The collector did not read this path (not applicable in this run). */
    NOT_READ
  }

  public FileFact {
    content = content == null ? "" : content;
    detail = detail == null ? "" : detail;
  }

  public static FileFact present(String path, String content) {
    return new FileFact(path, Presence.PRESENT, content, "");
  }

  public static FileFact absent(String path) {
    return new FileFact(path, Presence.ABSENT, "", "No such file or directory");
  }

  public static FileFact notRead(String path) {
    return new FileFact(path, Presence.NOT_READ, "", "not read");
  }

  public boolean present() {
    return presence == Presence.PRESENT;
  }

  public boolean absent() {
    return presence == Presence.ABSENT;
  }

  /** The content with surrounding whitespace removed (sysctl values end in a newline). */
  public String value() {
    return content.strip();
  }

  /** Directory entries or content lines, without blanks. */
  public List<String> lines() {
    return Arrays.stream(content.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** One line of evidence: {@code PATH = VALUE}, {@code PATH absent}, {@code permission denied reading PATH}. */
  public String evidence() {
    return switch (presence) {
      case PRESENT -> path + " = " + abbreviate(value());
      case ABSENT -> path + " absent";
      case DENIED -> "permission denied reading " + path;
      case ERROR -> "cannot read " + path + ": " + detail;
      case NOT_READ -> path + " not read";
    };
  }

  private static String abbreviate(String v) {
    String oneLine = v.replace('\n', ' ');
    return oneLine.length() > 160 ? oneLine.substring(0, 157) + "..." : oneLine;
  }
}
