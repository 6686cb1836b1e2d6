package org.jbutler.butler;

import java.util.List;
import java.util.Map;
import org.jbutler.datastore.Datastore;
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

  /**
   * Writes a dataset's artifact, complete and durable under its final name, without recording it:
   * the first half of a put whose second half, {@link #registerWritten}, makes several datasets
   * appear at once (a quantum's outputs). Nothing reads a staged artifact until it is recorded.
   *
   * @param ref the dataset, with the data ID expanded where the file template needs records
   */
  Datastore.Written stage(Object object, DatasetRef ref);

  /**
   * Records staged datasets together, all or none (in one transaction for a registry; in one file
   * for a worker that writes records for a later bulk registration). Their runs are registered if
   * new. If this fails, nothing is recorded and the staged artifacts are left where they are: the
   * caller deletes them (their {@link Datastore.Written#file()}s).
   */
  void registerWritten(List<Datastore.Written> written);

  /**
   * Removes datasets completely: from every collection, the records and the datastore (an earlier
   * failed attempt's log, replaced by this attempt's).
   */
  void purge(List<DatasetRef> refs);
}
