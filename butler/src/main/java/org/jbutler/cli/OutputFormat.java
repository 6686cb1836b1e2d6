package org.jbutler.cli;

import java.util.Locale;
import picocli.CommandLine;

/** How commands print results: aligned tables for people, JSON or CSV for scripts. */
public enum OutputFormat {
  /** An aligned text table. */
  TABLE,
  /** One JSON document on standard output. */
  JSON,
  /** Comma-separated values with a header line. */
  CSV;

  /** Parses {@code --format table|json}, ignoring case, for every command that prints results. */
  public static final class Converter implements CommandLine.ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      try {
        return OutputFormat.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a format; use table, json or csv");
      }
    }
  }
}
