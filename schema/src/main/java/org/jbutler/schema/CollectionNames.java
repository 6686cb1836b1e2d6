package org.jbutler.schema;

/** The rule for collection names, shared by dataset refs and the registry. */
public final class CollectionNames {

  /** The longest allowed collection name, as in daf_butler. */
  public static final int MAX_LENGTH = 64;

  private CollectionNames() {}

  /**
   * Checks a collection name.
   *
   * @param name the name, possibly null
   * @return the name, for chaining
   * @throws InvalidNameException if it is null, blank, or longer than {@link #MAX_LENGTH}
   */
  public static String check(String name) {
    if (name == null || name.isBlank() || name.length() > MAX_LENGTH) {
      throw new InvalidNameException(
          "Invalid collection name '"
              + name
              + "'"
              + (name == null ? "" : " (" + name.length() + " characters)")
              + ": a collection name must be 1-"
              + MAX_LENGTH
              + " characters and not blank.");
    }
    return name;
  }
}
