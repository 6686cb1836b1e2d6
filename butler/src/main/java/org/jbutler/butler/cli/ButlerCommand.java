package org.jbutler.butler.cli;

import org.jbutler.cli.CommandGroup;
import org.jbutler.cli.Versions;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code butler} command. Subcommands (create, ingest, query-*, export/import, ...) follow
 * daf_butler's names and options and arrive with the modules that implement them.
 */
@Command(
    name = "butler",
    mixinStandardHelpOptions = true,
    versionProvider = Versions.class,
    description = "Manage a jbutler data repository.",
    subcommands = {
      CommandLine.HelpCommand.class,
      AssociateCommand.class,
      CertifyCalibrationsCommand.class,
      CollectionChainCommand.class,
      ConfigCommands.Dump.class,
      ConfigCommands.Validate.class,
      CreateCommand.class,
      DescribeDimensionsCommand.class,
      InstrumentCommands.DefineVisits.class,
      TransferCommands.Export.class,
      TransferCommands.Import.class,
      IngestFilesCommand.class,
      InstrumentCommands.IngestRaws.class,
      RegisterDatasetTypeCommand.class,
      InstrumentCommands.Register.class,
      RegisterSkyMapCommand.class,
      RemoveCommands.PruneDatasets.class,
      RemoveCommands.RemoveCollections.class,
      RemoveCommands.RemoveRuns.class,
      RemoveDatasetTypeCommand.class,
      RetrieveArtifactsCommand.class,
      ConfigCommands.Transfer.class,
      QueryCollectionsCommand.class,
      QueryDatasetTypesCommand.class,
      QueryDatasetsCommand.class,
      QueryDataIdsCommand.class,
      QueryDimensionRecordsCommand.class,
      RebuildOverlapsCommand.class,
      VerifyCommand.class
    })
public final class ButlerCommand extends CommandGroup {

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    runAndExit(new ButlerCommand(), args);
  }
}
