package org.jbutler.butler.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jbutler.butler.Butler;
import org.jbutler.cli.FormatMixin;
import org.jbutler.cli.Results;
import org.jbutler.registry.Globs;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code butler query-collections REPO [GLOB]}: daf_butler's views of chains (TREE by default,
 * TABLE, INVERSE-TREE, INVERSE-TABLE, FLATTEN, NO-CHILDREN) and optionally the dataset types each
 * collection holds.
 */
@Command(
    name = "query-collections",
    mixinStandardHelpOptions = true,
    description = "List collections whose names match GLOB (default: all).")
final class QueryCollectionsCommand extends RepoCommand {

  /** How chains are shown. */
  enum ChainView {
    TABLE,
    INVERSE_TABLE,
    TREE,
    INVERSE_TREE,
    FLATTEN,
    NO_CHILDREN;

    static ChainView parse(String s) {
      return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
  }

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "GLOB",
      description = "A collection name or glob (default: all).")
  String glob;

  @Option(
      names = "--collection-type",
      paramLabel = "TYPE",
      split = ",",
      description = "Only these types (RUN, TAGGED, CHAINED, CALIBRATION).")
  List<CollectionType> types = List.of();

  @Option(
      names = "--chains",
      defaultValue = "TREE",
      converter = ChainViewConverter.class,
      description =
          "TREE (default): chains with their children nested below; INVERSE-TREE: each collection"
              + " with the chains that hold it nested below; TABLE: chains with their children in"
              + " a column; INVERSE-TABLE: each collection with its parent chains in a column;"
              + " FLATTEN: chains replaced by what they contain; NO-CHILDREN: names and types"
              + " only.")
  ChainView chains;

  @Option(
      names = "--show-dataset-types",
      description = "Also list the dataset types each collection holds.")
  boolean showDatasetTypes;

  @Option(
      names = "--exclude-dataset-types",
      paramLabel = "GLOB",
      split = ",",
      description = "With --show-dataset-types, leave out types matching these globs.")
  List<String> excludeDatasetTypes = List.of();

  @Mixin FormatMixin output;

  /** Parses {@code INVERSE-TREE} as well as {@code inverse_tree}. */
  static final class ChainViewConverter implements picocli.CommandLine.ITypeConverter<ChainView> {
    @Override
    public ChainView convert(String value) {
      try {
        return ChainView.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'"
                + value
                + "' is not a chain view; use TREE, INVERSE-TREE, TABLE, INVERSE-TABLE, FLATTEN or"
                + " NO-CHILDREN.");
      }
    }
  }

  @Override
  public Integer call() {
    try (Butler b = open()) {
      Registry r = b.registry();
      Set<CollectionType> wanted = types.isEmpty() ? Set.of() : EnumSet.copyOf(types);
      List<List<Object>> rows = new ArrayList<>();
      List<String> columns = new ArrayList<>(List.of("name", "type"));
      switch (chains) {
        case FLATTEN -> {
          for (String c : r.queryCollections(glob, wanted, true, false)) {
            rows.add(row(r, "", c, null));
          }
        }
        case NO_CHILDREN -> {
          for (String c : r.queryCollections(glob, wanted, false, true)) {
            rows.add(row(r, "", c, null));
          }
        }
        case TREE, INVERSE_TREE -> {
          for (String c : r.queryCollections(glob, wanted, false, true)) {
            tree(r, c, 0, chains == ChainView.INVERSE_TREE, rows, new java.util.HashSet<>());
          }
        }
        case TABLE, INVERSE_TABLE -> {
          boolean inverse = chains == ChainView.INVERSE_TABLE;
          columns.add(inverse ? "parents" : "children");
          for (String c : r.queryCollections(glob, wanted, false, true)) {
            List<String> related =
                inverse
                    ? r.parentChains(c)
                    : r.collectionType(c) == CollectionType.CHAINED ? r.chain(c) : List.of();
            rows.add(row(r, "", c, String.join(", ", related)));
          }
        }
        default -> throw new IllegalStateException(chains.name());
      }
      if (showDatasetTypes) {
        columns.add("dataset_types");
        for (List<Object> row : rows) {
          String name = String.valueOf(row.get(0)).strip();
          row.add(String.join(", ", datasetTypes(r, name)));
        }
      }
      Results.print(out(), output.format(), columns, rows);
    }
    return 0;
  }

  private List<String> datasetTypes(Registry r, String collection) {
    List<String> out = new ArrayList<>();
    for (String t : r.collectionSummary(collection).datasetTypes()) {
      if (excludeDatasetTypes.stream().noneMatch(g -> Globs.matches(g, t))) {
        out.add(t);
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  private static List<Object> row(Registry r, String indent, String c, String related) {
    List<Object> row = new ArrayList<>(List.of(indent + c, r.collectionType(c).name()));
    if (related != null) {
      row.add(related);
    }
    return row;
  }

  private static void tree(
      Registry r,
      String c,
      int depth,
      boolean inverse,
      List<List<Object>> rows,
      Set<String> onPath) {
    rows.add(row(r, "  ".repeat(depth), c, null));
    if (!onPath.add(c)) {
      return; // chains cannot cycle, but parents of a collection reached twice are shown once
    }
    List<String> next =
        inverse
            ? r.parentChains(c)
            : r.collectionType(c) == CollectionType.CHAINED ? r.chain(c) : List.of();
    for (String n : next) {
      tree(r, n, depth + 1, inverse, rows, onPath);
    }
    onPath.remove(c);
  }
}
