package dev.layertrace.capture;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.layertrace.LayertraceException;
import dev.layertrace.model.Capture;
import java.io.IOException;

/** Decides from a capture's top level whether this build may read it at all. */
final class SchemaVersionCheck {
  private SchemaVersionCheck() {}

  /**
   * One streaming pass over the document: checks it is well-formed JSON holding one object, and
   * judges its {@code schemaVersion} before any field is mapped, so a future major's changed
   * layout is refused for its version rather than reported as a confusing type error.
   */
  static SchemaVersion check(String name, JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw MalformedCapture.at(name, p.currentLocation(), "empty file", null);
    }
    JsonLocation start = p.currentTokenLocation();
    if (t != JsonToken.START_OBJECT) {
      throw MalformedCapture.at(name, start, "expected a JSON object, found " + MalformedCapture.describe(t), null);
    }
    String version = null;
    JsonToken versionToken = null;
    JsonLocation versionFound = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("schemaVersion".equals(field)) {
        versionToken = value;
        versionFound = p.currentTokenLocation();
        version = value == JsonToken.VALUE_STRING ? p.getText() : null;
      }
      p.skipChildren();
    }
    JsonToken after = p.nextToken();
    if (after != null) {
      throw MalformedCapture.at(name, p.currentTokenLocation(), "unexpected content after the capture's closing '}'", null);
    }
    if (versionToken == null) {
      throw MalformedCapture.at(name, start, "no schemaVersion (is this a layertrace capture?)", null);
    }
    if (versionToken != JsonToken.VALUE_STRING) {
      throw MalformedCapture.at(name, versionFound,
          "schemaVersion must be a string like \"" + Capture.SCHEMA_VERSION + "\", found "
              + MalformedCapture.describe(versionToken), null);
    }
    String text = version;
    JsonLocation versionAt = versionFound;
    SchemaVersion v = SchemaVersion.parse(text).orElseThrow(() -> MalformedCapture.at(name, versionAt,
        "schemaVersion '" + text + "' is not MAJOR.MINOR (e.g. \"" + Capture.SCHEMA_VERSION + "\")", null));
    if (!v.sameMajor(SchemaVersion.CURRENT)) {
      String reads = SchemaVersion.CURRENT.major() + ".x";
      if (v.compareTo(SchemaVersion.CURRENT) > 0) {
        throw LayertraceException.usage("capture " + name + " has schema version " + v
            + ", but this layertrace reads " + reads + ": upgrade layertrace");
      }
      throw LayertraceException.usage("capture " + name + " has schema version " + v
          + ", older than this layertrace reads (" + reads + "): record it again");
    }
    return v;
  }
}
