package dev.layertrace.lab.qemu;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kernel's {@code modules.dep} (as {@code depmod} writes it): which module file each module name
 * is, and which files it needs loaded first. Used to pick the guest's modules with everything they
 * depend on, in an order in which {@code insmod} would succeed.
 */
public final class KernelModules {
  private final Map<String, String> pathByName;
  private final Map<String, List<String>> depsByPath;

  private KernelModules(Map<String, String> pathByName, Map<String, List<String>> depsByPath) {
    this.pathByName = pathByName;
    this.depsByPath = depsByPath;
  }

  /** Parses {@code modules.dep}: lines {@code kernel/a/b.ko: kernel/c.ko kernel/d.ko}. */
  public static KernelModules parse(String modulesDep) {
    Map<String, String> byName = new LinkedHashMap<>();
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (String line : modulesDep.split("\n")) {
      int colon = line.indexOf(':');
      if (line.isBlank() || colon < 0) {
        continue;
      }
      String path = line.substring(0, colon).strip();
      String rest = line.substring(colon + 1).strip();
      deps.put(path, rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
      byName.put(name(path), path);
    }
    return new KernelModules(byName, deps);
  }

  /** The module name of a file: {@code kernel/net/9p/9pnet_virtio.ko.xz} → {@code 9pnet_virtio}. */
  public static String name(String path) {
    String base = path.substring(path.lastIndexOf('/') + 1);
    int ko = base.indexOf(".ko");
    return (ko < 0 ? base : base.substring(0, ko)).replace('-', '_');
  }

  /** True when {@code name} is a loadable module of this kernel (not built in, not absent). */
  public boolean has(String name) {
    return pathByName.containsKey(name.replace('-', '_'));
  }

  /**
   * The files of {@code names} and of everything they depend on, each after its dependencies. Names
   * this kernel has no module for are skipped (they are built in or absent: {@link #has} tells).
   */
  public List<String> loadOrder(Collection<String> names) {
    Set<String> done = new LinkedHashSet<>();
    for (String n : names) {
      String path = pathByName.get(n.replace('-', '_'));
      if (path != null) {
        visit(path, done, new LinkedHashSet<>());
      }
    }
    return List.copyOf(done);
  }

  private void visit(String path, Set<String> done, Set<String> onStack) {
    if (done.contains(path) || !onStack.add(path)) {
      return; // a cycle cannot be loaded by any order; depmod refuses to write one anyway
    }
    for (String dep : depsByPath.getOrDefault(path, List.of())) {
      visit(dep, done, onStack);
    }
    done.add(path);
  }

  /** The lines of {@code modules.dep} for {@code paths} only (a closed set: their dependencies are in it). */
  public String depFileFor(Collection<String> paths) {
    StringBuilder b = new StringBuilder();
    for (String p : paths) {
      List<String> deps = depsByPath.get(p);
      if (deps == null) {
        throw new IllegalArgumentException("not in modules.dep: " + p);
      }
      b.append(p).append(':');
      deps.forEach(d -> b.append(' ').append(d));
      b.append('\n');
    }
    return b.toString();
  }

  /** The lines of {@code modules.alias} whose module is among {@code paths}. */
  public static String aliasFileFor(String modulesAlias, Collection<String> paths) {
    Set<String> names = new LinkedHashSet<>();
    paths.forEach(p -> names.add(name(p)));
    List<String> kept = new ArrayList<>();
    for (String line : modulesAlias.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 3 && f[0].equals("alias") && names.contains(f[2].replace('-', '_'))) {
        kept.add(line.strip());
      }
    }
    return kept.isEmpty() ? "" : String.join("\n", kept) + "\n";
  }
}
