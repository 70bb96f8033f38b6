package dev.layertrace.model;

import java.util.List;

/** The ordered hops of an expected path: the layers a request crosses, source first. */
public record Path(List<Layer> hops) {
  public Path {
    hops = List.copyOf(hops);
  }

  public int size() {
    return hops.size();
  }

  /** Position of a layer on the path, or -1. */
  public int indexOf(String layerId) {
    for (int i = 0; i < hops.size(); i++) {
      if (hops.get(i).id().equals(layerId)) {
        return i;
      }
    }
    return -1;
  }
}
