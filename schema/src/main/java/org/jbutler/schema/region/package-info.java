/**
 * API: regions of the sky as sphgeom has them — {@link org.jbutler.schema.region.ConvexPolygon},
 * {@link org.jbutler.schema.region.Circle}, {@link org.jbutler.schema.region.Box}, unions and
 * intersections (and {@link org.jbutler.schema.region.Ellipse}, read and written only) — with
 * sphgeom's exact byte encoding (base64 in registry columns, hex in export YAML), point
 * containment, conservative relationships, bounding circles and boxes; and the HTM pixelization
 * ({@link org.jbutler.schema.region.HtmPixelization}: index, trixel, envelope). Orientation tests
 * are exact ({@link org.jbutler.schema.region.Orientation}).
 */
package org.jbutler.schema.region;
