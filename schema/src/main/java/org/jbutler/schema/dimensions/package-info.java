/**
 * API: dimensions and data IDs. A {@link org.jbutler.schema.dimensions.DimensionUniverse} (loaded
 * from daf_butler's {@code dimensions.yaml} format) defines the elements; a {@link
 * org.jbutler.schema.dimensions.DimensionGroup} is a closed set of them; a {@link
 * org.jbutler.schema.dimensions.DataCoordinate} is a data ID over a group, with its {@link
 * org.jbutler.schema.dimensions.DimensionRecord}s once expanded. All immutable values.
 */
package org.jbutler.schema.dimensions;
