package org.jbutler.butler.cli;

import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.schema.DatasetType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code butler register-dataset-type REPO NAME STORAGE_CLASS DIMENSIONS...}. */
@Command(
    name = "register-dataset-type",
    mixinStandardHelpOptions = true,
    description = "Register a dataset type (idempotent; a different definition is an error).")
final class RegisterDatasetTypeCommand extends RepoCommand {

  @Parameters(
      index = "1",
      paramLabel = "NAME",
      description = "The dataset type's name (e.g. calexp, or a component such as calexp.wcs).")
  String name;

  @Parameters(
      index = "2",
      paramLabel = "STORAGE_CLASS",
      description =
          "Its storage class (ExposureF, ImageF, DataFrame, StructuredDataDict, Bytes, ...).")
  String storageClass;

  @Parameters(
      index = "3..*",
      paramLabel = "DIMENSIONS",
      arity = "0..*",
      description =
          "Its dimensions (e.g. instrument visit detector); none for a dimensionless type.")
  List<String> dimensions = List.of();

  @Option(names = "--is-calibration", description = "Datasets of this type can be certified.")
  boolean calibration;

  @Override
  public Integer call() {
    try (Butler b = open()) {
      DatasetType t =
          DatasetType.of(
              name, b.registry().universe().group(dimensions), storageClass, calibration);
      boolean added = b.registry().registerDatasetType(t);
      out().println(added ? "Registered " + t : t + " was already registered.");
    }
    return 0;
  }
}
