package org.jbutler.butler.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jbutler.butler.Butler;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The removal commands: remove-runs, remove-collections, prune-datasets. */
final class RemoveCommands {

  private RemoveCommands() {}

  /** {@code butler remove-runs REPO GLOB}. */
  @Command(
      name = "remove-runs",
      mixinStandardHelpOptions = true,
      description = "Remove RUN collections (GLOB) with all their datasets and artifacts.")
  static final class RemoveRuns extends RepoCommand {

    @Parameters(
        index = "1",
        paramLabel = "COLLECTION",
        description = "A RUN's name, or a glob (e.g. 'u/me/*') of RUNs to remove.")
    String glob;

    @Option(names = "--force", description = "Also remove the runs from chains that hold them.")
    boolean force;

    @Option(names = "--dry-run", description = "Only list what would be removed.")
    boolean dryRun;

    @Override
    public Integer call() {
      try (Butler b = open()) {
        List<String> runs =
            b.registry().queryCollections(glob, Set.of(CollectionType.RUN), false, false);
        if (runs.isEmpty()) {
          if (!org.jbutler.registry.Globs.isPattern(glob)) {
            // An exact name: it is missing, or it is not a RUN.
            org.jbutler.schema.CollectionType type = b.registry().collectionType(glob);
            throw new org.jbutler.schema.exceptions.CollectionTypeException(
                "'" + glob + "' is a " + type + " collection, not a RUN; use remove-collections.");
          }
          out().println("No RUN collections match '" + glob + "'.");
          return 0;
        }
        if (dryRun) {
          runs.forEach(r -> out().println("Would remove " + r));
          return 0;
        }
        int n = b.removeRuns(runs, force);
        out()
            .println(
                "Removed "
                    + runs.size()
                    + " run(s) and "
                    + n
                    + " dataset(s): "
                    + String.join(", ", runs));
      }
      return 0;
    }
  }

  /** {@code butler remove-collections REPO COLLECTION} (not RUNs). */
  @Command(
      name = "remove-collections",
      mixinStandardHelpOptions = true,
      description =
          "Remove TAGGED, CHAINED or CALIBRATION collections (GLOB); their datasets stay.")
  static final class RemoveCollections extends RepoCommand {

    @Parameters(
        index = "1",
        paramLabel = "COLLECTION",
        description = "A collection's name, or a glob of TAGGED, CHAINED or CALIBRATION ones.")
    String glob;

    @Option(
        names = "--remove-from-parents",
        description = "Also remove them from chains that hold them.")
    boolean fromParents;

    @Override
    public Integer call() {
      try (Butler b = open()) {
        List<String> names =
            b.registry()
                .queryCollections(
                    glob,
                    Set.of(
                        CollectionType.TAGGED, CollectionType.CHAINED, CollectionType.CALIBRATION),
                    false,
                    true);
        for (String c : names) {
          b.registry().removeCollection(c, fromParents);
          out().println("Removed " + c);
        }
        if (names.isEmpty()) {
          if (!org.jbutler.registry.Globs.isPattern(glob)) {
            org.jbutler.schema.CollectionType type = b.registry().collectionType(glob);
            throw new org.jbutler.schema.exceptions.CollectionTypeException(
                "'" + glob + "' is a " + type + " collection; use remove-runs for runs.");
          }
          out().println("No non-RUN collections match '" + glob + "' (use remove-runs for runs).");
        }
      }
      return 0;
    }
  }

  /** {@code butler prune-datasets REPO [COLLECTIONS...]}. */
  @Command(
      name = "prune-datasets",
      mixinStandardHelpOptions = true,
      description = "Disassociate, unstore or purge the datasets a query finds.")
  static final class PruneDatasets extends RepoCommand {

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "COLLECTIONS",
        description = "The collections (or globs) to search for the datasets to prune.")
    List<String> collections;

    @Option(names = "--datasets", defaultValue = "*", description = "Dataset type name or glob.")
    String datasets;

    @Option(names = "--where", defaultValue = "")
    String where;

    @Option(names = "--find-all", description = "Every match, not only the first per data ID.")
    boolean findAll;

    @Option(
        names = "--disassociate",
        description = "Remove them from the TAGGED collections given.")
    boolean disassociate;

    @Option(names = "--unstore", description = "Delete their artifacts, keep the registry entries.")
    boolean unstore;

    @Option(names = "--purge", description = "Remove them entirely (registry and artifacts).")
    boolean purge;

    @Option(names = "--dry-run")
    boolean dryRun;

    @Override
    public Integer call() {
      if (!disassociate && !unstore && !purge) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "Say what to do: --disassociate, --unstore or --purge.");
      }
      try (Butler b = open()) {
        List<DatasetRef> refs =
            b.registry()
                .queryDatasets(
                    datasets,
                    collections,
                    findAll ? DataQuery.where(where) : DataQuery.where(where).withFindFirst())
                .toList();
        if (dryRun) {
          refs.forEach(r -> out().println("Would prune " + r));
          return 0;
        }
        List<String> tagged = new ArrayList<>();
        if (disassociate) {
          for (String c : collections) {
            if (b.registry().collectionType(c) == CollectionType.TAGGED) {
              tagged.add(c);
            }
          }
        }
        b.pruneDatasets(refs, tagged, unstore, purge);
        out().println("Pruned " + refs.size() + " dataset(s).");
      }
      return 0;
    }
  }
}
