package org.jbutler.butler.cli;

import java.util.ArrayList;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code butler collection-chain REPO PARENT [CHILDREN...] --mode ...}. */
@Command(
    name = "collection-chain",
    mixinStandardHelpOptions = true,
    description = "Define or edit a CHAINED collection (created if new); prints the new chain.")
final class CollectionChainCommand extends RepoCommand {

  /** daf_butler's modes. */
  enum Mode {
    REDEFINE,
    EXTEND,
    PREPEND,
    REMOVE,
    POP
  }

  @Parameters(
      index = "1",
      paramLabel = "PARENT",
      description = "The CHAINED collection (created by redefine if missing).")
  String parent;

  @Parameters(
      index = "2..*",
      arity = "0..*",
      paramLabel = "CHILDREN",
      description = "Child collections, in search order (a comma-separated list is split).")
  List<String> children = List.of();

  @Option(
      names = "--mode",
      defaultValue = "REDEFINE",
      description =
          "redefine (default), extend, prepend, remove, or pop (by position; default the first).")
  Mode mode;

  @Option(names = "--doc", description = "Documentation for a new chain.")
  String doc;

  @Option(
      names = "--flatten",
      description = "Store the children's flattened contents instead of the children.")
  boolean flatten;

  @Override
  public Integer call() {
    try (Butler b = open()) {
      Registry r = b.registry();
      r.registerCollection(parent, CollectionType.CHAINED, doc);
      List<String> kids = flatten ? r.flatten(children) : children;
      switch (mode) {
        case EXTEND -> r.extendChain(parent, kids);
        case PREPEND -> r.prependChain(parent, kids);
        case REMOVE -> r.removeFromChain(parent, kids);
        case POP -> {
          List<String> now = new ArrayList<>(r.chain(parent));
          List<Integer> positions = new ArrayList<>();
          for (String c : kids) {
            positions.add(Integer.parseInt(c));
          }
          if (positions.isEmpty()) {
            positions.add(0);
          }
          List<String> gone = new ArrayList<>();
          for (int p : positions) {
            int i = p < 0 ? now.size() + p : p;
            if (i < 0 || i >= now.size()) {
              throw new picocli.CommandLine.ParameterException(
                  spec.commandLine(), "No position " + p + " in chain " + now + ".");
            }
            gone.add(now.get(i));
          }
          r.removeFromChain(parent, gone);
        }
        default -> r.setChain(parent, kids);
      }
      out().println("[" + String.join(", ", r.chain(parent)) + "]");
    }
    return 0;
  }
}
