package org.jbutler.butler;

import java.util.Map;
import org.jbutler.schema.DatasetRef;

/**
 * What running one quantum needs of a repository: read, write and check the datasets it is given,
 * by their refs, with no queries. A worker that never touches the registry (reading the graph's
 * records, writing artifacts for a later bulk registration) implements this as well as a {@link
 * Butler} does.
 */
public interface LimitedButler {

  /**
   * Reads a dataset (or the component its type names).
   *
   * @param parameters read parameters of its storage class ({@code bbox}, {@code columns}, ...)
   */
  Object get(DatasetRef ref, Map<String, Object> parameters);

  /** Writes a dataset whose ref (ID, run, data ID) is already decided, and records it. */
  DatasetRef put(Object object, DatasetRef ref);

  /** Whether the dataset is recorded and its artifact present. */
  boolean exists(DatasetRef ref);
}
