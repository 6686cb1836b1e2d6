package org.jbutler.butler.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jbutler.butler.Butler;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code butler query-collections REPO [GLOB]}. */
@Command(
    name = "query-collections",
    mixinStandardHelpOptions = true,
    description = "List collections whose names match GLOB (default: all).")
final class QueryCollectionsCommand extends RepoCommand {

  /** How chains are shown. */
  enum ChainView {
    TABLE,
    TREE,
    FLATTEN
  }

  @Parameters(index = "1", arity = "0..1", paramLabel = "GLOB")
  String glob;

  @Option(
      names = "--collection-type",
      paramLabel = "TYPE",
      description = "Only these types (RUN, TAGGED, CHAINED, CALIBRATION).")
  List<CollectionType> types = List.of();

  @Option(
      names = "--chains",
      defaultValue = "TABLE",
      description =
          "TABLE: chains with their children; TREE: nested; FLATTEN: chains replaced by what they contain.")
  ChainView chains;

  @Mixin FormatMixin output;

  @Override
  public Integer call() {
    try (Butler b = open()) {
      Registry r = b.registry();
      Set<CollectionType> wanted = types.isEmpty() ? Set.of() : EnumSet.copyOf(types);
      List<List<Object>> rows = new ArrayList<>();
      if (chains == ChainView.FLATTEN) {
        for (String c : r.queryCollections(glob, wanted, true, false)) {
          rows.add(List.of(c, r.collectionType(c).name(), ""));
        }
      } else if (chains == ChainView.TREE) {
        for (String c : r.queryCollections(glob, wanted, false, true)) {
          tree(r, c, 0, rows);
        }
      } else {
        for (String c : r.queryCollections(glob, wanted, false, true)) {
          CollectionType t = r.collectionType(c);
          rows.add(
              List.of(
                  c, t.name(), t == CollectionType.CHAINED ? String.join(", ", r.chain(c)) : ""));
        }
      }
      Results.print(out(), output.format(), List.of("name", "type", "children"), rows);
    }
    return 0;
  }

  private static void tree(Registry r, String c, int depth, List<List<Object>> rows) {
    CollectionType t = r.collectionType(c);
    rows.add(List.of("  ".repeat(depth) + c, t.name(), ""));
    if (t == CollectionType.CHAINED) {
      for (String child : r.chain(c)) {
        tree(r, child, depth + 1, rows);
      }
    }
  }
}
