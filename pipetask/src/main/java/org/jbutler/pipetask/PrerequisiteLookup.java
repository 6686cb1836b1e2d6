package org.jbutler.pipetask;

import java.util.List;
import org.jbutler.registry.Registry;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.dimensions.DataCoordinate;

/**
 * A custom search for a prerequisite input (pipe_base's {@code lookupFunction}): given the dataset
 * type, the registry, the quantum's data ID and the input collections, the datasets to use.
 */
@FunctionalInterface
public interface PrerequisiteLookup {

  /** Finds the datasets for one quantum. */
  List<DatasetRef> lookup(
      DatasetType datasetType,
      Registry registry,
      DataCoordinate quantumDataId,
      List<String> collections);
}
