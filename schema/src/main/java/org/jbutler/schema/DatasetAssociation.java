package org.jbutler.schema;

import java.util.Objects;

/**
 * A dataset's membership in one collection: its RUN, a TAGGED collection, or a CALIBRATION
 * collection with the validity range it is certified for.
 *
 * @param ref the dataset
 * @param collection the collection's name
 * @param timespan the validity range in a CALIBRATION collection, else null
 */
public record DatasetAssociation(DatasetRef ref, String collection, Timespan timespan) {

  /** Checks the required parts. */
  public DatasetAssociation {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(collection, "collection");
  }
}
