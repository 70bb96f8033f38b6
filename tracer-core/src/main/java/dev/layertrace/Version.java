package dev.layertrace;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The tool's version, written into captures and printed by {@code --version}. */
public final class Version {
  /** From the build ({@code layertrace-version.properties}), or {@code dev} when run from sources. */
  public static final String TOOL = load();

  private Version() {}

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("/layertrace-version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
