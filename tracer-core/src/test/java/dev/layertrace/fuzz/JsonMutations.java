package dev.layertrace.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Structure-aware mutations of a JSON document: byte flips mostly break the syntax and stop at the
 * tokenizer, so these keep the JSON well-formed and change what a reader maps: a value replaced by
 * one of another type (null, a huge number, a string, an empty array or object), a key removed, an
 * array element duplicated or dropped, a subtree moved elsewhere.
 */
final class JsonMutations {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int KINDS = 10;

  private JsonMutations() {}

  static String apply(String json, List<Integer> ops) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("seed is not JSON", e);
    }
    for (int op : ops) {
      root = applyOne(root, op);
    }
    return root.toString();
  }

  /** Every container node with the parent it hangs from, in document order. */
  private static List<JsonNode> containers(JsonNode root) {
    List<JsonNode> out = new ArrayList<>();
    collect(root, out);
    return out;
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      n.elements().forEachRemaining(c -> collect(c, out));
    }
  }

  private static JsonNode applyOne(JsonNode root, int op) {
    List<JsonNode> cs = containers(root);
    if (cs.isEmpty()) {
      return root;
    }
    int kind = Math.floorMod(op, KINDS);
    int arg = op >>> 4;
    JsonNode target = cs.get(Math.floorMod(arg, cs.size()));
    int slot = arg >>> 12;
    JsonNode donor = cs.get(Math.floorMod(slot * 31, cs.size()));
    JsonNode replacement = switch (kind) {
      case 0 -> F.nullNode();
      case 1 -> F.numberNode(slot % 2 == 0 ? Long.MAX_VALUE : -1L);
      case 2 -> F.textNode(slot % 2 == 0 ? "" : "\u0000ü→" + "x".repeat(slot % 300));
      case 3 -> F.arrayNode();
      case 4 -> F.objectNode();
      case 5 -> F.booleanNode(true);
      case 6 -> donor.deepCopy();
      case 7 -> F.numberNode(1e308 * (slot % 3 - 1));
      default -> null; // remove (8) or duplicate (9)
    };
    if (target instanceof ObjectNode o && o.size() > 0) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      String name = names.get(Math.floorMod(slot, names.size()));
      if (kind == 8) {
        o.remove(name);
      } else if (kind == 9) {
        o.set(name + "_", o.get(name).deepCopy());
      } else {
        o.set(name, replacement);
      }
    } else if (target instanceof ArrayNode a && a.size() > 0) {
      int i = Math.floorMod(slot, a.size());
      if (kind == 8) {
        a.remove(i);
      } else if (kind == 9) {
        a.insert(i, a.get(i).deepCopy());
      } else {
        a.set(i, replacement);
      }
    }
    return root;
  }

  /** Counts nodes, so a property can check the mutation did not blow the document up. */
  static int size(JsonNode n) {
    int s = 1;
    for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
      s += size(it.next());
    }
    return s;
  }
}
