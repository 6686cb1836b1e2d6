/**
 * API: regions of the sky as sphgeom has them — {@link org.jbutler.schema.region.ConvexPolygon},
 * {@link org.jbutler.schema.region.Circle}, {@link org.jbutler.schema.region.Box}, unions and
 * intersections and {@link org.jbutler.schema.region.Ellipse} — with sphgeom's exact byte encoding
 * (base64 in registry columns, hex in export YAML), point containment, conservative relationships,
 * bounding circles and boxes; and the pixelizations behind {@link
 * org.jbutler.schema.region.Pixelization}: HTM ({@link org.jbutler.schema.region.HtmPixelization})
 * and nested HEALPix ({@link org.jbutler.schema.region.HealpixPixelization}), each with index,
 * pixel and envelope. Orientation tests are exact ({@link org.jbutler.schema.region.Orientation}).
 */
package org.jbutler.schema.region;
