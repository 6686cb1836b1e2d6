package org.jbutler.butler.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.cli.FormatMixin;
import org.jbutler.cli.Results;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code butler rebuild-skypix-overlaps REPO}: overlap rows for repositories made before them. */
@Command(
    name = "rebuild-skypix-overlaps",
    mixinStandardHelpOptions = true,
    description = {
      "Recompute the common-skypix (htm7) overlap rows of every spatial dimension element (visit,"
          + " visit_detector_region, tract, patch) from the regions of its records, in one"
          + " transaction, creating the <element>_skypix_overlap tables a repository made before"
          + " them lacks.",
      "Spatial queries work without the rows (every candidate region is tested), but with them"
          + " they read only the candidates sharing a pixel. Safe to run again: the rows are"
          + " replaced, never duplicated."
    })
final class RebuildOverlapsCommand extends RepoCommand {

  @Mixin FormatMixin output;

  @Override
  public Integer call() {
    try (Butler b = open()) {
      Map<String, Long> written = b.registry().rebuildSkyPixOverlaps();
      List<List<Object>> rows = new ArrayList<>();
      written.forEach((element, n) -> rows.add(List.of(element, n)));
      Results.print(out(), output.format(), List.of("element", "overlap_rows"), rows);
    }
    return 0;
  }
}
