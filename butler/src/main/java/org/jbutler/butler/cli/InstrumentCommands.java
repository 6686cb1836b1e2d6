package org.jbutler.butler.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.butler.instrument.Instrument;
import org.jbutler.datastore.Datastore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** register-instrument and ingest-raws. */
final class InstrumentCommands {

  private InstrumentCommands() {}

  /** {@code butler register-instrument REPO INSTRUMENT}. */
  @Command(
      name = "register-instrument",
      mixinStandardHelpOptions = true,
      description =
          "Insert an instrument's records (instrument, detectors, filters); idempotent. INSTRUMENT is SimCam or a YAML definition.")
  static final class Register extends RepoCommand {

    @Parameters(
        index = "1",
        paramLabel = "INSTRUMENT",
        description = "An instrument: SimCam, a YAML definition file, or a Java class name.")
    String instrument;

    @Override
    public Integer call() {
      Instrument inst = Instrument.load(instrument);
      try (Butler b = open()) {
        inst.register(b.registry());
        out().println("Registered instrument " + inst.name() + ".");
      }
      return 0;
    }
  }

  /** {@code butler ingest-raws REPO FILES-OR-DIRS... --instrument I}. */
  @Command(
      name = "ingest-raws",
      mixinStandardHelpOptions = true,
      description = {
        "Ingest raw files: read their headers (in parallel), create exposure, day_obs and group"
            + " records, and register 'raw' datasets in <instrument>/raw/all (or --run).",
        "A file that cannot be described is reported and skipped; nothing of it is registered."
            + " Exit code 1 if any file failed."
      })
  static final class IngestRaws extends RepoCommand {

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "FILES-OR-DIRS",
        description = "Raw FITS files, or directories searched for *.fits, *.fit and *.fits.gz.")
    List<Path> inputs;

    @Option(
        names = "--instrument",
        required = true,
        description = "SimCam, or an instrument YAML definition.")
    String instrument;

    @Option(names = "--run", description = "The RUN to ingest into (default <instrument>/raw/all).")
    String run;

    @Option(
        names = "--transfer",
        defaultValue = "AUTO",
        description = "auto (default), copy, move, symlink, relsymlink, hardlink, link, direct.")
    Datastore.Transfer transfer;

    @Option(
        names = {"-j", "--processes"},
        defaultValue = "4",
        description = "Header-reading threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(
        names = "--fail-fast",
        description =
            "Ingest nothing if any file fails (damaged, not FITS, unknown detector or filter);"
                + " by default such files are reported and the rest are ingested.")
    boolean failFast;

    @Override
    public Integer call() {
      Instrument inst = Instrument.load(instrument);
      try (Butler b = open()) {
        Butler.RawIngestReport report =
            b.ingestRaws(inst, inputs, run, transfer, threads, failFast);
        for (Map.Entry<Path, String> f : report.alreadyIngested().entrySet()) {
          spec.commandLine().getErr().println("Skipped " + f.getKey() + ": " + f.getValue());
        }
        for (Map.Entry<Path, String> f : report.failures().entrySet()) {
          spec.commandLine().getErr().println("Failed " + f.getKey() + ": " + f.getValue());
        }
        out()
            .println(
                "Ingested "
                    + report.ingested().size()
                    + " raw dataset(s)"
                    + (report.alreadyIngested().isEmpty()
                        ? ""
                        : "; " + report.alreadyIngested().size() + " file(s) already ingested")
                    + (report.failures().isEmpty()
                        ? "."
                        : "; "
                            + report.failures().size()
                            + " file(s) failed"
                            + (failFast ? ", so nothing was ingested (--fail-fast)." : ".")));
        return report.failures().isEmpty() ? 0 : 1;
      }
    }
  }

  /** {@code butler define-visits REPO INSTRUMENT [--where]}. */
  @Command(
      name = "define-visits",
      mixinStandardHelpOptions = true,
      description =
          "Define one visit per science exposure (visit, visit_definition, visit_system_membership); idempotent.")
  static final class DefineVisits extends RepoCommand {

    @Parameters(
        index = "1",
        paramLabel = "INSTRUMENT",
        description = "An instrument: SimCam, a YAML definition file, or a Java class name.")
    String instrument;

    @Option(
        names = "--where",
        defaultValue = "",
        description = "Only exposures matching this expression.")
    String where;

    @Override
    public Integer call() {
      try (Butler b = open()) {
        var definition = org.jbutler.butler.instrument.Instrument.load(instrument);
        int n = b.defineVisits(definition, where);
        out().println("Defined " + n + " new visit(s) for " + definition.name() + ".");
      }
      return 0;
    }
  }
}
