package org.jbutler.schema.region;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The union of regions (sphgeom's {@code UnionRegion}); the union of none is empty. daf_butler
 * writes a union to its registry as the operands' base64 joined by {@code :}.
 *
 * @param operands the regions
 */
public record UnionRegion(List<Region> operands) implements Region {

  /** sphgeom's type code. */
  public static final byte TYPE_CODE = 'u';

  /** Copies. */
  public UnionRegion {
    operands = List.copyOf(operands);
  }

  @Override
  public boolean isEmpty() {
    return operands.stream().allMatch(Region::isEmpty);
  }

  @Override
  public boolean contains(UnitVector3d v) {
    for (Region r : operands) {
      if (r.contains(v)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Circle boundingCircle() {
    return Relations.circleAround(operands.stream().map(Region::boundingCircle).toList());
  }

  @Override
  public Relationship relate(Region other) {
    boolean disjoint = true;
    boolean within = true;
    boolean contains = false;
    for (Region r : operands) {
      Relationship x = r.relate(other);
      disjoint &= x.disjoint();
      within &= x.within();
      contains |= x.contains();
    }
    if (disjoint) {
      return Relationship.DISJOINT;
    }
    return new Relationship(false, contains, within && !operands.isEmpty());
  }

  @Override
  public byte[] encode() {
    return encodeCompound(TYPE_CODE, operands);
  }

  /** The union's registry form: the operands' base64 joined by {@code :}. */
  @Override
  public String encodeBase64() {
    if (operands.size() == 1) {
      return operands.get(0).encodeBase64();
    }
    return String.join(":", operands.stream().map(Region::encodeBase64).toList());
  }

  static byte[] encodeCompound(byte code, List<Region> operands) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(code);
    for (Region r : operands) {
      byte[] e = r.encode();
      out.writeBytes(
          ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(e.length).array());
      out.writeBytes(e);
    }
    return out.toByteArray();
  }
}
