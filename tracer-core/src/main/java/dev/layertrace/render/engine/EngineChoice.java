package dev.layertrace.render.engine;

import java.util.Locale;

/** Which Graphviz engine lays out SVG and PNG output. */
public enum EngineChoice {
  /** The command-line {@code dot} when it is on the PATH, else the embedded V8 engine. */
  AUTO,
  /** Graphviz's {@code dot} program (Debian package {@code graphviz}). */
  CMDLINE,
  /** graphviz-java's embedded V8 engine running viz.js; needs no system package. */
  V8;

  /** {@code auto}, {@code cmdline}, {@code v8}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
