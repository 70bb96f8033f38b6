package dev.layertrace.render;

import dev.layertrace.model.Layer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph's layers grouped for drawing: kernels holding namespaces holding layers, in order of
 * first appearance. A layer without a kernel sits in a top-level namespace group; a layer without
 * a namespace (the VMM link) sits directly in its kernel, or at the top.
 */
record LayerGroups(List<KernelGroup> kernels) {

  /** A kernel ({@code kernel == null}: layers that name none) and its namespaces. */
  record KernelGroup(String kernel, List<NetnsGroup> namespaces, List<Integer> loose) {}

  /** A namespace ({@code netns == null} never occurs here) and its layers' node numbers. */
  record NetnsGroup(String netns, List<Integer> nodes) {}

  /** Groups the graph's nodes; node numbers are positions in {@code nodes}. */
  static LayerGroups of(List<Layer> nodes) {
    Map<String, Map<String, List<Integer>>> byKernel = new LinkedHashMap<>();
    Map<String, List<Integer>> looseByKernel = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      Layer l = nodes.get(i);
      String k = l.kernel() == null ? "" : l.kernel();
      byKernel.computeIfAbsent(k, x -> new LinkedHashMap<>());
      looseByKernel.computeIfAbsent(k, x -> new ArrayList<>());
      if (l.netns() == null) {
        looseByKernel.get(k).add(i);
      } else {
        byKernel.get(k).computeIfAbsent(l.netns(), x -> new ArrayList<>()).add(i);
      }
    }
    List<KernelGroup> out = new ArrayList<>();
    // Layers that name no kernel (the VMM link, the remote) go last, after the kernels they join.
    if (byKernel.containsKey("")) {
      byKernel.put("", byKernel.remove(""));
    }
    byKernel.forEach((k, nsMap) -> {
      List<NetnsGroup> ns = new ArrayList<>();
      nsMap.forEach((name, ids) -> ns.add(new NetnsGroup(name, List.copyOf(ids))));
      out.add(new KernelGroup(k.isEmpty() ? null : k, List.copyOf(ns), List.copyOf(looseByKernel.get(k))));
    });
    return new LayerGroups(List.copyOf(out));
  }
}
