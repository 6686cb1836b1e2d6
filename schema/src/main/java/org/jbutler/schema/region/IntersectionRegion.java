package org.jbutler.schema.region;

import java.util.List;

/**
 * The intersection of regions (sphgeom's {@code IntersectionRegion}); the intersection of none is
 * the whole sphere.
 *
 * @param operands the regions
 */
public record IntersectionRegion(List<Region> operands) implements Region {

  /** sphgeom's type code. */
  public static final byte TYPE_CODE = 'i';

  /** Copies. */
  public IntersectionRegion {
    operands = List.copyOf(operands);
  }

  @Override
  public boolean isEmpty() {
    return operands.stream().anyMatch(Region::isEmpty); // conservative: disjoint operands also are
  }

  @Override
  public boolean contains(UnitVector3d v) {
    for (Region r : operands) {
      if (!r.contains(v)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Circle boundingCircle() {
    Circle best = new Circle(UnitVector3d.Z, 4, Math.PI);
    for (Region r : operands) {
      Circle c = r.boundingCircle();
      if (c.openingAngle() < best.openingAngle()) {
        best = c;
      }
    }
    return best;
  }

  @Override
  public Relationship relate(Region other) {
    boolean disjoint = false;
    boolean within = false;
    boolean contains = !operands.isEmpty();
    for (Region r : operands) {
      Relationship x = r.relate(other);
      disjoint |= x.disjoint();
      within |= x.within();
      contains &= x.contains();
    }
    if (disjoint) {
      return Relationship.DISJOINT;
    }
    return new Relationship(false, contains, within);
  }

  @Override
  public byte[] encode() {
    return UnionRegion.encodeCompound(TYPE_CODE, operands);
  }
}
