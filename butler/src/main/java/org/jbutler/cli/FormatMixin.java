package org.jbutler.cli;

import picocli.CommandLine.Option;

/** The {@code --format table|json|csv} option of every command that prints results. */
public final class FormatMixin {

  @Option(
      names = "--format",
      paramLabel = "table|json|csv",
      defaultValue = "table",
      description = "Output format: table (default) for people, or json or csv for scripts.",
      converter = OutputFormat.Converter.class)
  OutputFormat format;

  /** Returns the chosen format. */
  public OutputFormat format() {
    return format;
  }
}
