package org.jbutler.pipetask.execution;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jbutler.schema.exceptions.MissingCollectionException;

/**
 * pipetask's collection conventions (ctrl_mpexec's butler factory), resolved against a registry
 * without changing it: the search path, the output RUN, the output chain, and what {@link
 * #apply(Registry)} will create or edit when the graph runs.
 *
 * <ul>
 *   <li>{@code -i C1,C2}: the inputs, chains flattened.
 *   <li>{@code -o NAME} new: a CHAINED collection {@code [new RUN] + inputs}; needs {@code -i}.
 *   <li>{@code -o NAME} existing: read through it; {@code -i}, if given, must appear in it as a
 *       contiguous run of collections; a new RUN goes in front.
 *   <li>{@code --output-run RUN}: where outputs go (default {@code NAME/YYYYMMDDTHHMMSSZ}); it must
 *       not exist unless {@code --extend-run}.
 *   <li>{@code --extend-run}: reuse the RUN ({@code --output-run}, else the chain's first child);
 *       implies {@code --skip-existing}.
 *   <li>{@code --replace-run}: take the chain's first RUN out and put a new one in front ({@code
 *       --prune-replaced unstore|purge} also removes the old one's files or the whole run).
 * </ul>
 *
 * @param readPath the collections the graph reads, in search order
 * @param inputs the flattened {@code -i} collections
 * @param outputRun the RUN that receives the outputs
 * @param outputChain the {@code -o} chain, or null
 * @param chainExists whether the chain exists already
 * @param replacedRun with {@code --replace-run}, the RUN taken out of the chain
 * @param pruneReplaced null, {@code unstore} or {@code purge}
 * @param skipExistingIn the collections whose {@code <label>_metadata} marks a quantum done
 * @param extendRun whether the RUN exists and is extended
 */
public record OutputCollections(
    List<String> readPath,
    List<String> inputs,
    String outputRun,
    String outputChain,
    boolean chainExists,
    String replacedRun,
    String pruneReplaced,
    List<String> skipExistingIn,
    boolean extendRun) {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  /** A collection timestamp as pipetask writes them: {@code YYYYMMDDTHHMMSSZ}, UTC. */
  public static String timestamp() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
  }

  /**
   * Resolves the options.
   *
   * @param inputs {@code -i}, possibly empty
   * @param output {@code -o}, or null
   * @param outputRun {@code --output-run}, or null
   * @param skipExistingIn {@code --skip-existing-in}
   * @param skipExisting {@code --skip-existing}: also skip what the output RUN holds
   * @throws InvalidConfigException for a combination that cannot work, saying which to change
   */
  public static OutputCollections resolve(
      Registry registry,
      List<String> inputs,
      String output,
      String outputRun,
      boolean extendRun,
      boolean replaceRun,
      String pruneReplaced,
      List<String> skipExistingIn,
      boolean skipExisting) {
    List<String> flatInputs = inputs.isEmpty() ? List.of() : flatten(registry, inputs, "-i");
    if (pruneReplaced != null) {
      if (!pruneReplaced.equals("unstore") && !pruneReplaced.equals("purge")) {
        throw new InvalidConfigException(
            "--prune-replaced " + pruneReplaced + ": give unstore or purge.");
      }
      if (!replaceRun) {
        throw new InvalidConfigException("--prune-replaced needs --replace-run.");
      }
    }
    if (replaceRun && extendRun) {
      throw new InvalidConfigException("--replace-run and --extend-run cannot be used together.");
    }
    if (output == null && outputRun == null) {
      throw new InvalidConfigException(
          "Give an output: -o CHAIN (a new RUN is made in it) or --output-run RUN.");
    }
    boolean chainExists = false;
    List<String> chain = List.of();
    if (output != null) {
      chainExists = exists(registry, output);
      if (chainExists) {
        if (registry.collectionType(output) != CollectionType.CHAINED) {
          throw new ConflictingDefinitionException(
              "-o "
                  + output
                  + ": it exists and is a "
                  + registry.collectionType(output)
                  + " collection, not a CHAINED one; give a new name, or --output-run "
                  + output
                  + " --extend-run to add to that run.");
        }
        chain = registry.chain(output);
        List<String> flatChain = registry.flatten(List.of(output));
        if (!flatInputs.isEmpty() && Collections.indexOfSubList(flatChain, flatInputs) < 0) {
          throw new ConflictingDefinitionException(
              "-i "
                  + String.join(",", inputs)
                  + " is not consistent with the existing output chain "
                  + output
                  + " "
                  + flatChain
                  + ": give the inputs it already has, omit -i, or choose a new -o.");
        }
      } else if (flatInputs.isEmpty()) {
        throw new InvalidConfigException(
            "-o " + output + " is a new collection: give its inputs with -i.");
      }
    }
    if (replaceRun && !chainExists) {
      throw new InvalidConfigException("--replace-run needs an existing -o chain.");
    }
    String replaced = null;
    String run = outputRun;
    if (replaceRun) {
      replaced = chain.get(0);
      if (registry.collectionType(replaced) != CollectionType.RUN) {
        throw new InvalidConfigException(
            "--replace-run: the first collection of " + output + " is not a RUN: " + replaced);
      }
    }
    if (run == null) {
      if (extendRun) {
        if (!chainExists) {
          throw new InvalidConfigException(
              "--extend-run needs --output-run RUN or an existing -o chain whose first collection"
                  + " is the RUN to extend.");
        }
        run = chain.get(0);
        if (registry.collectionType(run) != CollectionType.RUN) {
          throw new InvalidConfigException(
              "--extend-run: the first collection of " + output + " is not a RUN: " + run);
        }
      } else {
        run = output + "/" + timestamp();
      }
    }
    boolean runExists = exists(registry, run);
    if (runExists && !extendRun) {
      throw new ConflictingDefinitionException(
          "Output run '"
              + run
              + "' already exists, but --extend-run was not given (add it to resume the run, or"
              + " --replace-run to start a new one in the chain).");
    }
    if (!runExists && extendRun) {
      throw new MissingCollectionException(
          "--extend-run: the output run '" + run + "' does not exist.");
    }
    if (runExists && registry.collectionType(run) != CollectionType.RUN) {
      throw new ConflictingDefinitionException(
          "Output run '" + run + "' is a " + registry.collectionType(run) + " collection.");
    }
    List<String> readPath = new ArrayList<>();
    if (chainExists) {
      List<String> children = new ArrayList<>(chain);
      if (replaced != null) {
        children.remove(replaced);
      }
      readPath.addAll(children.isEmpty() ? List.of() : flatten(registry, children, "-o"));
      if (extendRun && !readPath.contains(run)) {
        readPath.add(0, run);
      }
    } else {
      if (extendRun) {
        readPath.add(run);
      }
      for (String c : flatInputs) {
        if (!readPath.contains(c)) {
          readPath.add(c);
        }
      }
    }
    if (readPath.isEmpty()) {
      throw new InvalidConfigException("Nothing to read from: give input collections with -i.");
    }
    List<String> skip = new ArrayList<>(flatten(registry, skipExistingIn, "--skip-existing-in"));
    if ((skipExisting || extendRun) && runExists && !skip.contains(run)) {
      skip.add(run);
    }
    return new OutputCollections(
        List.copyOf(readPath),
        flatInputs,
        run,
        output,
        chainExists,
        replaced,
        pruneReplaced,
        List.copyOf(skip),
        extendRun);
  }

  /**
   * Creates the output RUN and the chain, or edits the chain, for a run of the graph: a new chain
   * is {@code [run] + inputs}; an existing one gets the run in front (a replaced run is taken out
   * and, with {@code --prune-replaced purge}, removed with its datasets).
   */
  public void apply(Registry registry) {
    registry.transaction(
        () -> {
          registry.registerCollection(outputRun, CollectionType.RUN, null);
          if (outputChain != null) {
            if (!chainExists) {
              registry.registerCollection(outputChain, CollectionType.CHAINED, null);
              List<String> children = new ArrayList<>();
              children.add(outputRun);
              children.addAll(inputs);
              registry.setChain(outputChain, children);
            } else {
              if (replacedRun != null) {
                registry.removeFromChain(outputChain, List.of(replacedRun));
              }
              registry.prependChain(outputChain, List.of(outputRun));
            }
          }
          return null;
        });
  }

  /** Whether a collection exists. */
  public static boolean exists(Registry registry, String name) {
    return registry.findCollection(name).isPresent();
  }

  private static List<String> flatten(Registry registry, List<String> names, String option) {
    try {
      return registry.flatten(names);
    } catch (MissingCollectionException e) {
      throw new MissingCollectionException(option + ": " + e.getMessage());
    }
  }
}
