package org.jbutler.butler.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jbutler.cli.FormatMixin;
import org.jbutler.schema.dimensions.DimensionUniverse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code butler describe-dimensions [FILE]}: load, check and print a dimension universe. */
@Command(
    name = "describe-dimensions",
    mixinStandardHelpOptions = true,
    description = {
      "Load a dimension configuration in daf_butler's dimensions.yaml format, check it, and print"
          + " its elements.",
      "Without FILE, prints the default universe (equivalent to daf_butler's version 8)."
    })
public final class DescribeDimensionsCommand implements Callable<Integer> {

  @Parameters(arity = "0..1", paramLabel = "FILE", description = "A dimensions.yaml to load.")
  Path file;

  @Mixin FormatMixin output;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    DimensionUniverse universe =
        file == null ? DimensionUniverse.defaultUniverse() : DimensionUniverse.load(file);
    UniversePrinter.print(universe, output.format(), spec.commandLine().getOut());
    return 0;
  }
}
