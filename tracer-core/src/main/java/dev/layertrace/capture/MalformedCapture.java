package dev.layertrace.capture;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.layertrace.LayertraceException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns whatever went wrong while parsing a capture into the one line a user sees:
 * {@code FILE:LINE:COLUMN: malformed capture: REASON}. Jackson's own messages name Java types and
 * span lines, so the reason is rebuilt from the exception's parts where Jackson gives them.
 */
final class MalformedCapture {
  private static final int MAX_REASON = 200;

  private MalformedCapture() {}

  /** A problem found at a known place (location may be null when none is known). */
  static LayertraceException at(String source, JsonLocation where, String reason, Throwable cause) {
    return LayertraceException.input(source + position(where) + ": malformed capture: " + oneLine(reason), cause);
  }

  /** Any Jackson parse or mapping failure. */
  static LayertraceException from(String source, JsonProcessingException e) {
    String reason = reason(e);
    if (e instanceof JsonMappingException m) {
      String path = path(m.getPath());
      if (!path.isEmpty()) {
        reason = path + ": " + reason;
      }
    }
    return at(source, e.getLocation(), reason, e);
  }

  private static String position(JsonLocation where) {
    if (where == null || where.getLineNr() < 1) {
      return "";
    }
    return ":" + where.getLineNr() + ":" + Math.max(1, where.getColumnNr());
  }

  private static String reason(JsonProcessingException e) {
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return modelViolation(v.getCause());
    }
    if (e instanceof InvalidFormatException f) {
      Object v = f.getValue();
      String found = v instanceof Number || v instanceof Boolean ? "the value " + v : "'" + v + "'";
      return "expected " + expected(f.getTargetType()) + ", found " + found;
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      String found = found(m.getProcessor());
      return "expected " + expected(m.getTargetType()) + (found.isEmpty() ? "" : ", found " + found);
    }
    if (e instanceof JsonMappingException && e.getCause() instanceof IllegalArgumentException iae) {
      return modelViolation(iae);
    }
    return jacksonText(e.getOriginalMessage());
  }

  /** A record constructor refused the values: its message is already meant for people. */
  private static String modelViolation(Throwable t) {
    if (t instanceof NullPointerException && t.getMessage() != null) {
      return "missing required field '" + t.getMessage() + "'";
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "another value";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type.isEnum()) {
      return "a " + type.getSimpleName() + " word";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return "a " + type.getSimpleName();
  }

  private static String found(Object processor) {
    if (!(processor instanceof JsonParser p)) {
      return "";
    }
    JsonToken t = p.currentToken();
    return t == null ? "" : describe(t);
  }

  /** How a token is named in messages: "an object", "a number", "null". */
  static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT, END_OBJECT -> "an object";
      case START_ARRAY, END_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a number with a fraction";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case FIELD_NAME -> "a field name";
      default -> "a " + t.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** {@code graph.nodes[3].kind} from Jackson's reference chain. */
  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  /** Jackson's parser messages, minus their Java type names and the location they repeat. */
  private static String jacksonText(String message) {
    if (message == null) {
      return "unreadable JSON";
    }
    String s = message;
    int src = s.indexOf(" (start marker at");
    if (src >= 0) {
      s = s.substring(0, src);
    }
    s = s.replaceAll("`(?:[a-zA-Z_$][\\w$]*\\.)+([\\w$]+)(?:<[^`]*>)?`", "$1");
    s = s.replaceAll(" \\(code \\d+(?: / 0x\\p{XDigit}+)?\\)", "");
    s = s.replace("in VALUE_STRING", "in a string");
    return s;
  }

  /** One line, printable, not too long: the reason may echo bytes from a garbled file. */
  static String oneLine(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_REASON + 1));
    boolean space = false;
    for (int i = 0; i < s.length() && b.length() < MAX_REASON; i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        space = true;
      } else {
        if (space && b.length() > 0) {
          b.append(' ');
        }
        space = false;
        b.append(c);
      }
    }
    return b.length() >= MAX_REASON ? b + "…" : b.toString();
  }
}
