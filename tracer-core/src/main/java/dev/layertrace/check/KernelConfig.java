package dev.layertrace.check;

import java.util.HashMap;
import java.util.Map;

/**
 * A kernel build configuration ({@code CONFIG_X=y|m|value}, {@code # CONFIG_X is not set}).
 *
 * @param source where it was read, e.g. {@code /proc/config.gz}
 * @param values symbol (without {@code CONFIG_}) to value; {@code n} for {@code # CONFIG_X is not set}
 */
public record KernelConfig(String source, Map<String, String> values) {

  /** How a symbol is configured. */
  public enum State {
    BUILTIN,
    MODULE,
    NOT_SET
  }

  public KernelConfig {
    values = Map.copyOf(values);
  }

  /** Parses the text of a config file. */
  public static KernelConfig parse(String text, String source) {
    Map<String, String> v = new HashMap<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("# CONFIG_") && line.endsWith(" is not set")) {
        v.put(line.substring(9, line.length() - 11), "n");
        continue;
      }
      if (!line.startsWith("CONFIG_")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq > 7) {
        v.put(line.substring(7, eq), line.substring(eq + 1));
      }
    }
    return new KernelConfig(source, v);
  }

  /** The state of {@code symbol} (given without {@code CONFIG_}). */
  public State state(String symbol) {
    String v = values.get(symbol);
    if (v == null || v.equals("n")) {
      return State.NOT_SET;
    }
    return v.equals("m") ? State.MODULE : State.BUILTIN;
  }

  public boolean enabled(String symbol) {
    return state(symbol) != State.NOT_SET;
  }

  /** True when the config has a line for {@code symbol}, set or not (the symbol exists in this kernel). */
  public boolean mentions(String symbol) {
    return values.containsKey(symbol);
  }

  /** Evidence: {@code CONFIG_NF_NAT=y in /proc/config.gz} or {@code CONFIG_NF_NAT is not set in ...}. */
  public String evidence(String symbol) {
    String v = values.get(symbol);
    return (v == null || v.equals("n") ? "CONFIG_" + symbol + " is not set" : "CONFIG_" + symbol + "=" + v) + " in " + source;
  }
}
