package org.jbutler.butler.cli;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.cli.FormatMixin;
import org.jbutler.cli.OutputFormat;
import org.jbutler.cli.Results;
import org.jbutler.datastore.Datastore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code butler verify REPO [--fix]}: the datastore check. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check every recorded artifact (present, right size; with --checksums, also the checksum"
          + " recorded when it was written, which finds same-size damage) and list files under the"
          + " datastore root that no record references.",
      "Exit code 1 when something is wrong; --fix removes the unreferenced files."
    })
final class VerifyCommand extends RepoCommand {

  @Option(names = "--fix", description = "Delete unreferenced files (e.g. left by a crash).")
  boolean fix;

  @Option(
      names = "--checksums",
      description =
          "Read every artifact and compare its checksum (CRC-32C by default, recorded by put and"
              + " pipetask run) with its record.")
  boolean checksums;

  @Mixin FormatMixin output;

  @Override
  public Integer call() throws Exception {
    try (Butler b = open()) {
      Datastore.VerifyReport report = b.datastore().verify(checksums);
      List<List<Object>> rows = new ArrayList<>();
      report.missing().forEach(p -> rows.add(List.of("missing", p)));
      report.damaged().forEach(p -> rows.add(List.of("damaged", p)));
      report.unreferenced().forEach(p -> rows.add(List.of("unreferenced", p)));
      if (rows.isEmpty() && output.format() == OutputFormat.TABLE) {
        out().println("OK: every recorded artifact is present and intact; no unreferenced files.");
      } else {
        Results.print(out(), output.format(), List.of("problem", "path"), rows);
      }
      if (fix) {
        for (String p : report.unreferenced()) {
          Files.deleteIfExists(b.datastore().root().resolve(p));
        }
        if (!report.unreferenced().isEmpty()) {
          // A note, not a result: on standard error when standard output is a JSON/CSV document.
          (output.format() == OutputFormat.TABLE ? out() : spec.commandLine().getErr())
              .println("Removed " + report.unreferenced().size() + " unreferenced file(s).");
        }
        return report.missing().isEmpty() && report.damaged().isEmpty() ? 0 : 1;
      }
      return report.ok() ? 0 : 1;
    }
  }
}
