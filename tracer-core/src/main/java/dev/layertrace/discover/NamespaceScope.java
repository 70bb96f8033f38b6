package dev.layertrace.discover;

import dev.layertrace.LayertraceException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The network namespaces one process may look at. A tracer or agent that serves one kernel's half of
 * a path is given the namespaces of that kernel ({@code --scope lt-ctr,lt-guest}); every namespace it
 * enters or reads is checked here first, so a half cannot peek at the other half even when both run
 * on one machine (the lab's split mode). {@link #ALL} is the ordinary, unrestricted view.
 *
 * @param names the namespaces in scope; empty means all
 * @param seesVmm whether this half sees the VMM processes (the host's half does, a guest's does not)
 */
public record NamespaceScope(Set<String> names, boolean seesVmm) {
  /** Everything this process can reach: the single-kernel trace. */
  public static final NamespaceScope ALL = new NamespaceScope(Set.of(), true);

  public NamespaceScope {
    names = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(names));
  }

  /** {@code lt-ctr,lt-guest} → a scope of those names; blank → {@link #ALL}. */
  public static NamespaceScope parse(String csv, boolean seesVmm) {
    if (csv == null || csv.isBlank()) {
      return ALL;
    }
    Set<String> out = new LinkedHashSet<>();
    for (String n : csv.split(",")) {
      String name = n.strip();
      if (name.isEmpty() || !name.matches("[A-Za-z0-9_.:@-]+")) {
        throw LayertraceException.usage("--scope takes namespace names separated by commas, not '" + csv + "'");
      }
      out.add(name);
    }
    return new NamespaceScope(out, seesVmm);
  }

  public boolean restricted() {
    return !names.isEmpty();
  }

  public boolean allows(String netns) {
    return names.isEmpty() || names.contains(netns);
  }

  /** The same namespaces, with the VMM visible or not. */
  public NamespaceScope withVmm(boolean visible) {
    return new NamespaceScope(names, visible);
  }

  /** Throws the one-line error a user sees when a path or request leaves this process's namespaces. */
  public void require(String netns) {
    if (!allows(netns)) {
      throw LayertraceException.usage("namespace '" + netns + "' is outside this process's scope (--scope "
          + String.join(",", names) + ")");
    }
  }

  /** The inventory without the namespaces out of scope: what a scoped process can enumerate. */
  public NamespaceInventory restrict(NamespaceInventory inventory) {
    if (names.isEmpty()) {
      return inventory;
    }
    List<NamespaceInventory.Entry> kept = inventory.entries().stream().filter(e -> names.contains(e.name())).toList();
    return new NamespaceInventory(kept);
  }
}
