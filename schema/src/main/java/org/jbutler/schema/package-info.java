/**
 * The vocabulary of jbutler: dimensions and their universe, data IDs, dimension records, dataset
 * types, storage classes, dataset references and IDs, timespans in TAI, collection types, and the
 * exception hierarchy rooted at {@link org.jbutler.schema.exceptions.ButlerException}.
 *
 * <p>Everything here is an immutable value with no I/O beyond reading configuration, so it can be
 * shared freely between threads and used by every other module.
 */
package org.jbutler.schema;
