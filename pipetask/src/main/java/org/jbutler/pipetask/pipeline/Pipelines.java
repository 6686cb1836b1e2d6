package org.jbutler.pipetask.pipeline;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jbutler.schema.exceptions.InvalidConfigException;

/** Small helpers shared by pipeline loading. */
final class Pipelines {

  private static final Pattern ENV = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

  private Pipelines() {}

  /**
   * Expands {@code $NAME} and {@code ${NAME}} from the environment.
   *
   * @throws InvalidConfigException naming an unset variable
   */
  static String expandEnv(String s) {
    Matcher m = ENV.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = System.getenv(m.group(1));
      if (v == null) {
        throw new InvalidConfigException(
            "'" + s + "' uses $" + m.group(1) + ", which is not set in the environment.");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }
}
