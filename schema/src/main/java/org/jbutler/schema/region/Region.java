package org.jbutler.schema.region;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A region of the sky, encoded exactly as sphgeom encodes it (a type code byte, then little-endian
 * doubles): daf_butler's registry columns hold the base64 of these bytes (several regions joined by
 * {@code :} mean their union), its export YAML the lowercase hex.
 */
public sealed interface Region
    permits ConvexPolygon, Circle, Box, Ellipse, UnionRegion, IntersectionRegion {

  /** Whether the region contains a point (boundary points included). */
  boolean contains(UnitVector3d v);

  /** A circle that contains the region. */
  Circle boundingCircle();

  /** A longitude/latitude box that contains the region. */
  default Box boundingBox() {
    return boundingCircle().boundingBox();
  }

  /** Whether the region has no points. */
  boolean isEmpty();

  /** How this region relates to another, conservatively (see {@link Relationship}). */
  Relationship relate(Region other);

  /** sphgeom's binary encoding. */
  byte[] encode();

  /** The base64 of {@link #encode()}, as daf_butler's registry stores regions. */
  default String encodeBase64() {
    return Base64.getEncoder().encodeToString(encode());
  }

  /** The lowercase hex of {@link #encode()}, as daf_butler's export YAML holds regions. */
  default String encodeHex() {
    return HexFormat.of().formatHex(encode());
  }

  /**
   * Decodes sphgeom's encoding.
   *
   * @throws IllegalArgumentException naming the problem, for an unknown type code or bytes of the
   *     wrong length
   */
  static Region decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new IllegalArgumentException("Cannot decode a region from no bytes.");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte code = b.get();
    return switch (code) {
      case ConvexPolygon.TYPE_CODE -> ConvexPolygon.decode(b, bytes.length);
      case Circle.TYPE_CODE -> Circle.decode(b, bytes.length);
      case Box.TYPE_CODE -> Box.decode(b, bytes.length);
      case Ellipse.TYPE_CODE -> Ellipse.decode(b, bytes.length);
      case UnionRegion.TYPE_CODE -> new UnionRegion(decodeOperands(b));
      case IntersectionRegion.TYPE_CODE -> new IntersectionRegion(decodeOperands(b));
      default ->
          throw new IllegalArgumentException(
              String.format(
                  "Unknown region type code 0x%02x (known: 'p' polygon, 'c' circle, 'b' box,"
                      + " 'e' ellipse, 'u' union, 'i' intersection).",
                  code & 0xff));
    };
  }

  /** Decodes lowercase or uppercase hex (export YAML, JSON). */
  static Region decodeHex(String hex) {
    return decode(HexFormat.of().parseHex(hex.strip()));
  }

  /**
   * Decodes a registry column: base64, where {@code a:b:c} is the union of the parts and the empty
   * string the empty union (which overlaps nothing), as sphgeom's {@code decodeBase64}.
   */
  static Region decodeBase64(String text) {
    String s = text.strip();
    if (s.isEmpty()) {
      return new UnionRegion(List.of());
    }
    if (s.indexOf(':') < 0) {
      return decode(Base64.getDecoder().decode(s));
    }
    List<Region> parts = new ArrayList<>();
    for (String p : s.split(":", -1)) {
      parts.add(decode(Base64.getDecoder().decode(p)));
    }
    return new UnionRegion(parts);
  }

  private static List<Region> decodeOperands(ByteBuffer b) {
    List<Region> out = new ArrayList<>();
    while (b.hasRemaining()) {
      if (b.remaining() < 8) {
        throw new IllegalArgumentException("A compound region ends inside an operand's length.");
      }
      long n = b.getLong();
      if (n <= 0 || n > b.remaining()) {
        throw new IllegalArgumentException(
            "A compound region's operand says it has " + n + " bytes; " + b.remaining() + " left.");
      }
      byte[] part = new byte[(int) n];
      b.get(part);
      out.add(decode(part));
    }
    return out;
  }

  /** Checks the length of a fixed-size encoding. */
  static void requireLength(String what, int length, int expected) {
    if (length != expected) {
      throw new IllegalArgumentException(
          "A " + what + " is encoded in " + expected + " bytes, not " + length + ".");
    }
  }
}
