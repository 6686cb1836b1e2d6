package org.jbutler.pipetask;

import java.util.List;
import java.util.Objects;

/**
 * One connection of a task: what the task calls it (the connection name, the key in {@code run}'s
 * inputs and outputs) and the dataset type it reads or writes, as pipe_base's connection types.
 *
 * @param name the connection name
 * @param kind input, prerequisite, output, init-input or init-output
 * @param datasetType the dataset type name; may hold {@code {template}} fields until resolved, and
 *     may name a component ({@code calexp.wcs})
 * @param storageClass the storage class the task reads or writes
 * @param dimensions the dataset type's dimensions (none for init connections)
 * @param multiple a list of datasets rather than one
 * @param minimum the fewest datasets a quantum needs (inputs: fewer means no work; prerequisites:
 *     fewer is an error, 0 makes one optional)
 * @param deferLoad the task receives a handle and reads when it wants
 * @param isCalibration the dataset type lives in CALIBRATION collections
 * @param lookup a custom search for a prerequisite, or null
 * @param doc what it is
 */
public record Connection(
    String name,
    Kind kind,
    String datasetType,
    String storageClass,
    List<String> dimensions,
    boolean multiple,
    int minimum,
    boolean deferLoad,
    boolean isCalibration,
    PrerequisiteLookup lookup,
    String doc) {

  /** The connection types of pipe_base. */
  public enum Kind {
    INPUT,
    PREREQUISITE_INPUT,
    OUTPUT,
    INIT_INPUT,
    INIT_OUTPUT;

    /** Whether datasets of this kind are read. */
    public boolean isInput() {
      return this == INPUT || this == PREREQUISITE_INPUT || this == INIT_INPUT;
    }

    /** Whether this is an init-input or init-output (no dimensions, one per run). */
    public boolean isInit() {
      return this == INIT_INPUT || this == INIT_OUTPUT;
    }
  }

  /** Checks the fields. */
  public Connection {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(datasetType, "datasetType");
    Objects.requireNonNull(storageClass, "storageClass");
    dimensions = List.copyOf(dimensions);
    doc = doc == null ? "" : doc;
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "Connection name '" + name + "' is not an identifier (letters, digits, _).");
    }
    if (minimum < 0) {
      throw new IllegalArgumentException("Connection " + name + ": minimum must be >= 0.");
    }
    if (minimum > 1 && !multiple) {
      throw new IllegalArgumentException(
          "Connection " + name + ": minimum " + minimum + " needs multiple=true.");
    }
    if (kind.isInit() && !dimensions.isEmpty()) {
      throw new IllegalArgumentException(
          "Connection " + name + ": init-inputs and init-outputs have no dimensions.");
    }
    if (lookup != null && kind != Kind.PREREQUISITE_INPUT) {
      throw new IllegalArgumentException(
          "Connection " + name + ": only a prerequisite input can have a lookup function.");
    }
    if (kind == Kind.INPUT && minimum == 0) {
      throw new IllegalArgumentException(
          "Connection " + name + ": minimum 0 is only supported for prerequisite inputs.");
    }
  }

  /** A regular input with one dataset per quantum. */
  public static Connection input(
      String name, String datasetType, String storageClass, String... dimensions) {
    return plain(name, Kind.INPUT, datasetType, storageClass, dimensions);
  }

  /** A prerequisite input: must exist before the pipeline runs (calibrations, catalogues). */
  public static Connection prerequisite(
      String name, String datasetType, String storageClass, String... dimensions) {
    return plain(name, Kind.PREREQUISITE_INPUT, datasetType, storageClass, dimensions);
  }

  /** An output. */
  public static Connection output(
      String name, String datasetType, String storageClass, String... dimensions) {
    return plain(name, Kind.OUTPUT, datasetType, storageClass, dimensions);
  }

  /** An init-input: read once when the task is made. */
  public static Connection initInput(String name, String datasetType, String storageClass) {
    return plain(name, Kind.INIT_INPUT, datasetType, storageClass);
  }

  /** An init-output: written once per run, before any quantum. */
  public static Connection initOutput(String name, String datasetType, String storageClass) {
    return plain(name, Kind.INIT_OUTPUT, datasetType, storageClass);
  }

  /**
   * A connection of a kind with the defaults: single, minimum 1, read eagerly, not a calibration.
   */
  private static Connection plain(
      String name, Kind kind, String datasetType, String storageClass, String... dimensions) {
    return new Connection(
        name,
        kind,
        datasetType,
        storageClass,
        List.of(dimensions),
        false,
        1,
        false,
        false,
        null,
        "");
  }

  /** This connection gathering a list of datasets. */
  public Connection withMultiple() {
    return new Connection(
        name,
        kind,
        datasetType,
        storageClass,
        dimensions,
        true,
        minimum,
        deferLoad,
        isCalibration,
        lookup,
        doc);
  }

  /** This connection with another minimum. */
  public Connection withMinimum(int min) {
    return new Connection(
        name,
        kind,
        datasetType,
        storageClass,
        dimensions,
        multiple,
        min,
        deferLoad,
        isCalibration,
        lookup,
        doc);
  }

  /** This connection read lazily. */
  public Connection withDeferLoad() {
    return new Connection(
        name,
        kind,
        datasetType,
        storageClass,
        dimensions,
        multiple,
        minimum,
        true,
        isCalibration,
        lookup,
        doc);
  }

  /** This connection's dataset type as a calibration. */
  public Connection asCalibration() {
    return new Connection(
        name,
        kind,
        datasetType,
        storageClass,
        dimensions,
        multiple,
        minimum,
        deferLoad,
        true,
        lookup,
        doc);
  }

  /** This prerequisite found by a custom search. */
  public Connection withLookup(PrerequisiteLookup function) {
    return new Connection(
        name,
        kind,
        datasetType,
        storageClass,
        dimensions,
        multiple,
        minimum,
        deferLoad,
        isCalibration,
        function,
        doc);
  }

  /** This connection with documentation. */
  public Connection withDoc(String text) {
    return new Connection(
        name,
        kind,
        datasetType,
        storageClass,
        dimensions,
        multiple,
        minimum,
        deferLoad,
        isCalibration,
        lookup,
        text);
  }

  /** This connection reading or writing another dataset type (after renames and templates). */
  public Connection withDatasetType(String type) {
    return new Connection(
        name,
        kind,
        type,
        storageClass,
        dimensions,
        multiple,
        minimum,
        deferLoad,
        isCalibration,
        lookup,
        doc);
  }

  /** This connection with other dimensions (config-dependent connections). */
  public Connection withDimensions(String... dims) {
    return new Connection(
        name,
        kind,
        datasetType,
        storageClass,
        List.of(dims),
        multiple,
        minimum,
        deferLoad,
        isCalibration,
        lookup,
        doc);
  }

  /** The parent dataset type: the name without a component. */
  public String parentDatasetType() {
    int dot = datasetType.indexOf('.');
    return dot < 0 ? datasetType : datasetType.substring(0, dot);
  }
}
