package org.jbutler.schema;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a dataset is represented in memory: a Java type, the components a composite can be read by
 * (and derived components computed on read), and the parameters a read accepts.
 *
 * @param name the storage class name, e.g. {@code ExposureF}
 * @param javaType the fully qualified name of the in-memory Java type
 * @param pythonType daf_butler's {@code pytype}, kept when a daf_butler config is read (or "")
 * @param parents the {@code inheritsFrom} chain, nearest first
 * @param components stored components: name to storage class name
 * @param derivedComponents components computed on read: name to storage class name
 * @param parameters read parameters, such as {@code bbox} or {@code columns}
 * @param converters Java types that can be converted into this storage class on put
 */
public record StorageClass(
    String name,
    String javaType,
    String pythonType,
    List<String> parents,
    Map<String, String> components,
    Map<String, String> derivedComponents,
    List<String> parameters,
    List<String> converters) {

  /** Validates and copies. */
  public StorageClass {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(javaType, "javaType");
    Objects.requireNonNull(pythonType, "pythonType");
    parents = List.copyOf(parents);
    components = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(components));
    derivedComponents =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(derivedComponents));
    parameters = List.copyOf(parameters);
    converters = List.copyOf(converters);
  }

  /** Returns whether datasets of this class can be read component by component. */
  public boolean isComposite() {
    return !components.isEmpty();
  }

  /** Returns the storage class of a stored or derived component, if there is one. */
  public Optional<String> componentStorageClass(String component) {
    String sc = components.get(component);
    return Optional.ofNullable(sc != null ? sc : derivedComponents.get(component));
  }

  /**
   * Returns whether a dataset stored with this class can be read as {@code other}: the same class,
   * one inherits from the other, they share a Java type, or {@code other} has a converter from this
   * class's Java type.
   */
  public boolean canConvertTo(StorageClass other, StorageClassFactory factory) {
    return name.equals(other.name)
        || parents.contains(other.name)
        || other.parents.contains(name)
        || javaType.equals(other.javaType)
        || other.converters.contains(javaType);
  }
}
