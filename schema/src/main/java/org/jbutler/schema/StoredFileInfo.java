package org.jbutler.schema;

import java.util.Objects;
import java.util.UUID;

/**
 * One artifact of a dataset in a file datastore: a row of {@code file_datastore_records}.
 *
 * @param datasetId the dataset
 * @param component "" for the whole dataset, else the component stored separately
 * @param path relative to the datastore root, or an absolute path for {@code direct} ingest
 * @param formatter the formatter that wrote (or reads) it
 * @param storageClass the storage class written
 * @param checksum a checksum of the file ({@code algorithm:hex}), or null
 * @param fileSize bytes
 */
public record StoredFileInfo(
    UUID datasetId,
    String component,
    String path,
    String formatter,
    String storageClass,
    String checksum,
    long fileSize) {

  /** Checks the parts. */
  public StoredFileInfo {
    Objects.requireNonNull(datasetId, "datasetId");
    component = component == null ? "" : component;
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(formatter, "formatter");
    Objects.requireNonNull(storageClass, "storageClass");
  }
}
