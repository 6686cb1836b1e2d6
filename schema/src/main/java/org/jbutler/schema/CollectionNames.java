package org.jbutler.schema;

import org.jbutler.schema.exceptions.InvalidNameException;

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

  /**
   * Checks the name of a collection about to be registered: {@link #check}, and a name that can be
   * written on a command line, used in a search path and laid out as a directory by file templates:
   * no leading or trailing white space, no control characters, no glob characters ({@code * ? [ ]},
   * which would make it a pattern) or commas (which separate collections on the command line), and,
   * read as a path, not absolute and without empty, {@code .} or {@code ..} parts.
   *
   * @throws InvalidNameException naming the rule the name breaks
   */
  public static String checkNew(String name) {
    check(name);
    String why = null;
    if (!name.equals(name.strip())) {
      why = "it begins or ends with white space";
    } else if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      why = "it holds a control character";
    } else if (name.chars().anyMatch(c -> "*?[],".indexOf(c) >= 0)) {
      why = "it holds one of * ? [ ] , (glob characters, and the command line's separator)";
    } else if (name.startsWith("/") || name.endsWith("/")) {
      why = "it begins or ends with '/'";
    } else {
      for (String part : name.split("/", -1)) {
        if (part.isEmpty() || part.equals(".") || part.equals("..")) {
          why = "its '/'-separated parts include '" + part + "'";
          break;
        }
      }
    }
    if (why != null) {
      throw new InvalidNameException(
          "Invalid collection name '"
              + name
              + "': "
              + why
              + ". Use letters, digits, '_', '-', '.', '@', '+', ':' and '/' between parts, as in"
              + " 'u/someone/run-1'.");
    }
    return name;
  }
}
