package org.jbutler.schema;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.exceptions.DatasetTypeException;

/**
 * A named kind of dataset: its dimensions, storage class, and whether it is a calibration.
 *
 * <p>A name with a dot is a component of a parent ({@code calexp.wcs}); component types carry the
 * parent's storage class. Dimensions are conformed to a closed {@link DimensionGroup}, so {@code
 * [instrument, detector, physical_filter]} and the same plus {@code band} define the same type.
 */
public final class DatasetType {

  /** The longest allowed name, as in daf_butler's {@code dataset_type.name} column. */
  public static final int MAX_NAME_LENGTH = 128;

  private static final Pattern NAME =
      Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*(\\.[a-zA-Z_][a-zA-Z0-9_]*)*");

  private final String name;
  private final DimensionGroup dimensions;
  private final String storageClass;
  private final boolean calibration;
  private final String parentStorageClass;

  private DatasetType(
      String name,
      DimensionGroup dimensions,
      String storageClass,
      boolean calibration,
      String parentStorageClass) {
    this.name = Objects.requireNonNull(name, "name");
    this.dimensions = Objects.requireNonNull(dimensions, "dimensions");
    this.storageClass = Objects.requireNonNull(storageClass, "storageClass");
    this.calibration = calibration;
    this.parentStorageClass = parentStorageClass;
    checkName(name);
    if (storageClass.isBlank()) {
      throw new DatasetTypeException("Dataset type '" + name + "' needs a storage class.");
    }
    if (isComponent() && parentStorageClass == null) {
      throw new DatasetTypeException(
          "Component dataset type '" + name + "' needs its parent's storage class.");
    }
    if (!isComponent() && parentStorageClass != null) {
      throw new DatasetTypeException(
          "Dataset type '" + name + "' is not a component and cannot have a parent storage class.");
    }
  }

  /**
   * Checks a dataset type name.
   *
   * @throws DatasetTypeException if it is empty, too long, or not dotted identifiers
   */
  public static void checkName(String name) {
    if (name.length() > MAX_NAME_LENGTH) {
      throw new DatasetTypeException(
          "Dataset type name '"
              + name
              + "' is "
              + name.length()
              + " characters long; the limit is "
              + MAX_NAME_LENGTH
              + ".");
    }
    if (!NAME.matcher(name).matches()) {
      throw new DatasetTypeException(
          "Invalid dataset type name '"
              + name
              + "': use letters, digits and underscores, not starting with a digit, with a dot"
              + " only before a component name.");
    }
  }

  /** Returns a non-calibration dataset type. */
  public static DatasetType of(String name, DimensionGroup dimensions, String storageClass) {
    return new DatasetType(name, dimensions, storageClass, false, null);
  }

  /** Returns a calibration dataset type, which may be certified into CALIBRATION collections. */
  public static DatasetType calibration(
      String name, DimensionGroup dimensions, String storageClass) {
    return new DatasetType(name, dimensions, storageClass, true, null);
  }

  /** Returns a dataset type; {@code isCalibration} chooses between the two factories. */
  public static DatasetType of(
      String name, DimensionGroup dimensions, String storageClass, boolean isCalibration) {
    return new DatasetType(name, dimensions, storageClass, isCalibration, null);
  }

  /**
   * Returns the component dataset type {@code name.component}.
   *
   * @param component the component name
   * @param componentStorageClass the component's storage class
   * @throws DatasetTypeException if this is already a component or the name is invalid
   */
  public DatasetType makeComponent(String component, String componentStorageClass) {
    if (isComponent()) {
      throw new DatasetTypeException(
          "'" + name + "' is already a component; components cannot have components.");
    }
    return new DatasetType(
        name + "." + component, dimensions, componentStorageClass, calibration, storageClass);
  }

  /** Returns the full name, including any component. */
  public String name() {
    return name;
  }

  /** Returns the dimensions. */
  public DimensionGroup dimensions() {
    return dimensions;
  }

  /** Returns the storage class name. */
  public String storageClass() {
    return storageClass;
  }

  /** Returns whether datasets of this type may be certified with validity ranges. */
  public boolean isCalibration() {
    return calibration;
  }

  /** Returns whether this is a component type ({@code parent.component}). */
  public boolean isComponent() {
    return name.indexOf('.') >= 0;
  }

  /** Returns the parent name: the name without its component. */
  public String parentName() {
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  /** Returns the component name, if this is a component type. */
  public Optional<String> component() {
    int dot = name.indexOf('.');
    return dot < 0 ? Optional.empty() : Optional.of(name.substring(dot + 1));
  }

  /** Returns the parent's storage class for a component type. */
  public Optional<String> parentStorageClass() {
    return Optional.ofNullable(parentStorageClass);
  }

  /**
   * Returns whether datasets of {@code other} can stand for datasets of this type: the same name,
   * dimensions and calibration flag, and storage classes that convert into each other.
   */
  public boolean isCompatibleWith(DatasetType other, StorageClassFactory storageClasses) {
    if (!name.equals(other.name)
        || !dimensions.equals(other.dimensions)
        || calibration != other.calibration) {
      return false;
    }
    if (storageClass.equals(other.storageClass)) {
      return true;
    }
    StorageClass mine = storageClasses.storageClass(storageClass);
    StorageClass theirs = storageClasses.storageClass(other.storageClass);
    return theirs.canConvertTo(mine, storageClasses);
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof DatasetType t
            && t.name.equals(name)
            && t.dimensions.equals(dimensions)
            && t.storageClass.equals(storageClass)
            && t.calibration == calibration
            && Objects.equals(t.parentStorageClass, parentStorageClass));
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dimensions, storageClass, calibration);
  }

  /** Returns {@code DatasetType('bias', {instrument, detector}, ExposureF, isCalibration=true)}. */
  @Override
  public String toString() {
    return "DatasetType('"
        + name
        + "', "
        + dimensions
        + ", "
        + storageClass
        + (calibration ? ", isCalibration=true" : "")
        + ")";
  }
}
