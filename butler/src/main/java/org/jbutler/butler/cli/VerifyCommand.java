package org.jbutler.butler.cli;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.datastore.FileDatastore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code butler verify REPO [--fix]}: the datastore check. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check every recorded artifact (present, right size and checksum) and list files under the"
          + " datastore root that no record references.",
      "Exit code 1 when something is wrong; --fix removes the unreferenced files."
    })
final class VerifyCommand extends RepoCommand {

  @Option(names = "--fix", description = "Delete unreferenced files (e.g. left by a crash).")
  boolean fix;

  @Mixin FormatMixin output;

  @Override
  public Integer call() throws Exception {
    try (Butler b = open()) {
      FileDatastore.VerifyReport report = b.datastore().verify();
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
          out().println("Removed " + report.unreferenced().size() + " unreferenced file(s).");
        }
        return report.missing().isEmpty() && report.damaged().isEmpty() ? 0 : 1;
      }
      return report.ok() ? 0 : 1;
    }
  }
}
