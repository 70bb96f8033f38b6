package dev.layertrace.check;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A kernel feature as the build configuration names it.
 *
 * @param id the check id, e.g. {@code kernel.veth}
 * @param layer {@link CheckLayer#KERNEL}, or {@link CheckLayer#LAYERTRACE} for what layertrace needs
 * @param symbols config symbols without {@code CONFIG_}; any one enabled is enough. Symbols the config
 *     does not mention at all (not in this kernel version) are ignored unless none is mentioned.
 * @param indicator the sign to look for when no config can be read
 * @param why what breaks without it
 * @param fix what to do
 */
public record KernelFeature(String id, CheckLayer layer, List<String> symbols,
    Function<SystemFacts, Optional<String>> indicator, String why, String fix) {

  public KernelFeature {
    symbols = List.copyOf(symbols);
  }

  /** The symbols this kernel's config knows, or all of them when it knows none. */
  List<String> relevantSymbols(KernelConfig config) {
    List<String> known = symbols.stream().filter(s -> config.mentions(s)).toList();
    return known.isEmpty() ? symbols : known;
  }
}
