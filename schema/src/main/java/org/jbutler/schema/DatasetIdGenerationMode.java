package org.jbutler.schema;

/** How a dataset's UUID is chosen when it is inserted, with daf_butler's codes. */
public enum DatasetIdGenerationMode {
  /** A fresh, time-ordered random UUID (version 7). */
  UNIQUE,
  /** A UUIDv5 of the dataset type and data ID: the same in every run. */
  DATAID_TYPE,
  /** A UUIDv5 of the dataset type, run and data ID. */
  DATAID_TYPE_RUN
}
