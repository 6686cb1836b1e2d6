package org.jbutler.schema.region;

/**
 * How region A relates to region B, as far as it is known (sphgeom's {@code Relationship}).
 * Relations are conservative: {@code disjoint}, {@code contains} and {@code within} are claimed
 * only when they are certain; when in doubt the answer is "intersects" with neither containment,
 * never a false disjoint or containment. Spatial queries therefore filter candidates with the exact
 * regions afterwards.
 *
 * @param disjoint A and B share no point
 * @param contains A contains B
 * @param within A is within B
 */
public record Relationship(boolean disjoint, boolean contains, boolean within) {

  /** The regions share no point. */
  public static final Relationship DISJOINT = new Relationship(true, false, false);

  /** They may share points; no containment is known. */
  public static final Relationship INTERSECTS = new Relationship(false, false, false);

  /** A contains B. */
  public static final Relationship CONTAINS = new Relationship(false, true, false);

  /** A is within B. */
  public static final Relationship WITHIN = new Relationship(false, false, true);

  /** Whether the regions may share a point (the complement of {@link #disjoint}). */
  public boolean intersects() {
    return !disjoint;
  }

  /** The relationship of B to A. */
  public Relationship inverse() {
    return new Relationship(disjoint, within, contains);
  }
}
