package dev.layertrace.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The rtattr list of one message (or of one nested attribute), indexed by type. Every read checks
 * lengths and throws {@link NetlinkParseException} on short or overlong data.
 */
final class Attributes {
  private static final HexFormat MAC = HexFormat.ofDelimiter(":");
  private final Map<Integer, ByteBuffer> byType;
  private final String where;

  private Attributes(Map<Integer, ByteBuffer> byType, String where) {
    this.byType = byType;
    this.where = where;
  }

  /** Parses the attributes from {@code buf}'s position to its limit. */
  static Attributes parse(ByteBuffer buf, String where) {
    Map<Integer, ByteBuffer> m = new HashMap<>();
    ByteBuffer b = buf.slice().order(buf.order());
    while (b.remaining() >= 4) {
      int start = b.position();
      int len = Short.toUnsignedInt(b.getShort(start));
      int type = Short.toUnsignedInt(b.getShort(start + 2)) & Rtnl.NLA_TYPE_MASK;
      if (len < 4 || len > b.remaining()) {
        throw new NetlinkParseException(where + ": attribute " + type + " has length " + len + " with "
            + b.remaining() + " bytes left");
      }
      ByteBuffer value = b.slice(start + 4, len - 4).order(buf.order());
      m.putIfAbsent(type, value);
      b.position(Math.min(b.limit(), start + align4(len)));
    }
    if (b.remaining() != 0) {
      throw new NetlinkParseException(where + ": " + b.remaining() + " trailing bytes after the attributes");
    }
    return new Attributes(m, where);
  }

  static int align4(int n) {
    return (n + 3) & ~3;
  }

  boolean has(int type) {
    return byType.containsKey(type);
  }

  Integer u32(int type) {
    ByteBuffer v = byType.get(type);
    if (v == null) {
      return null;
    }
    need(v, 4, type);
    return v.getInt(0);
  }

  Integer u8(int type) {
    ByteBuffer v = byType.get(type);
    if (v == null) {
      return null;
    }
    need(v, 1, type);
    return Byte.toUnsignedInt(v.get(0));
  }

  String string(int type) {
    ByteBuffer v = byType.get(type);
    if (v == null) {
      return null;
    }
    int n = 0;
    while (n < v.limit() && v.get(n) != 0) {
      n++;
    }
    byte[] bytes = new byte[n];
    v.get(0, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  String ip(int type) {
    ByteBuffer v = byType.get(type);
    return v == null ? null : ip(v, where, type);
  }

  String mac(int type) {
    ByteBuffer v = byType.get(type);
    if (v == null || v.limit() == 0) {
      return null;
    }
    // HexFormat, not String.format per octet: a host of a thousand namespaces has thousands to print.
    byte[] bytes = new byte[v.limit()];
    v.get(0, bytes);
    return MAC.formatHex(bytes);
  }

  Attributes nested(int type) {
    ByteBuffer v = byType.get(type);
    return v == null ? null : parse(v, where + "/" + type);
  }

  static String ip(ByteBuffer v, String where, int type) {
    int n = v.limit();
    if (n != 4 && n != 16) {
      throw new NetlinkParseException(where + ": attribute " + type + " is not an IP address (" + n + " bytes)");
    }
    byte[] bytes = new byte[n];
    v.get(0, bytes);
    try {
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      throw new NetlinkParseException(where + ": attribute " + type + ": " + e.getMessage());
    }
  }

  private void need(ByteBuffer v, int n, int type) {
    if (v.limit() < n) {
      throw new NetlinkParseException(where + ": attribute " + type + " has " + v.limit() + " bytes, needs " + n);
    }
  }
}
