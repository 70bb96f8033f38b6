package dev.layertrace.web;

import java.util.regex.Pattern;

/**
 * The name of a capture in the API: its file name without {@code .json}. Only letters, digits,
 * {@code .}, {@code _} and {@code -}, not starting with a dot, so an id can never name a folder, an
 * absolute path or a parent ({@code ..}); {@link CaptureStore} still checks the resolved real path.
 */
public record CaptureId(String value) {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final String SUFFIX = ".json";

  public CaptureId {
    if (!isValid(value)) {
      throw ApiError.badRequest("invalid capture id: use letters, digits, '.', '_' and '-' only");
    }
  }

  /** True when {@code s} is a well-formed id (decoded; the check for {@code ..} is explicit). */
  public static boolean isValid(String s) {
    return s != null && SAFE.matcher(s).matches() && !s.contains("..");
  }

  /** The id of a file name, or null when the file is not a capture ({@code x.json} → {@code x}). */
  public static CaptureId ofFileName(String fileName) {
    if (!fileName.endsWith(SUFFIX)) {
      return null;
    }
    String id = fileName.substring(0, fileName.length() - SUFFIX.length());
    return isValid(id) ? new CaptureId(id) : null;
  }

  public String fileName() {
    return value + SUFFIX;
  }
}
