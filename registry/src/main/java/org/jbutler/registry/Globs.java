package org.jbutler.registry;

import java.util.regex.Pattern;

/** fnmatch-style patterns for collection and dataset type names: {@code * ? [...]}. */
public final class Globs {

  private Globs() {}

  /** Whether a name matches a pattern ({@code *} crosses {@code /}, as in daf_butler). */
  public static boolean matches(String glob, String name) {
    return toRegex(glob).matcher(name).matches();
  }

  /** Whether a collection or dataset type expression is a glob rather than one exact name. */
  public static boolean isPattern(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  /** The pattern as an anchored regular expression; null or "*" matches everything. */
  static Pattern toRegex(String glob) {
    if (glob == null || glob.equals("*") || glob.isEmpty()) {
      return Pattern.compile(".*", Pattern.DOTALL);
    }
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '[') {
        int end = glob.indexOf(']', i + 2);
        if (end < 0) {
          re.append("\\[");
        } else {
          String set = glob.substring(i + 1, end);
          if (set.startsWith("!")) {
            set = "^" + set.substring(1);
          }
          re.append('[').append(set.replace("\\", "\\\\")).append(']');
          i = end;
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
