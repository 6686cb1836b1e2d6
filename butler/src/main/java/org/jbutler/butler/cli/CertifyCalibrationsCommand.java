package org.jbutler.butler.cli;

import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.Times;
import org.jbutler.schema.Timespan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code butler certify-calibrations REPO INPUT OUTPUT DATASET_TYPE --begin-date --end-date}. */
@Command(
    name = "certify-calibrations",
    mixinStandardHelpOptions = true,
    description =
        "Certify the calibrations of a type found in INPUT into the CALIBRATION collection OUTPUT for a validity range.")
final class CertifyCalibrationsCommand extends RepoCommand {

  @Parameters(
      index = "1",
      paramLabel = "INPUT_COLLECTION",
      description = "The RUN (or other collection) holding the calibration datasets.")
  String input;

  @Parameters(
      index = "2",
      paramLabel = "OUTPUT_COLLECTION",
      description = "The CALIBRATION collection to certify them in (created if missing).")
  String output;

  @Parameters(
      index = "3",
      paramLabel = "DATASET_TYPE",
      description = "The calibration dataset type (bias, dark, flat, ...).")
  String datasetType;

  @Option(names = "--begin-date", description = "Start of validity (ISO, TAI); default unbounded.")
  String begin;

  @Option(
      names = "--end-date",
      description = "End of validity, exclusive (ISO, TAI); default unbounded.")
  String end;

  @Option(
      names = "--search-all-inputs",
      description = "Search every child of a CHAINED input, not only the first.")
  boolean searchAll;

  @Override
  public Integer call() {
    try (Butler b = open()) {
      long from = begin == null ? Timespan.MIN_NSEC : Times.parseLiteral(begin + "/tai");
      long to = end == null ? Timespan.MAX_NSEC : Times.parseLiteral(end + "/tai");
      List<String> search = List.of(input);
      if (!searchAll && b.registry().collectionType(input) == CollectionType.CHAINED) {
        List<String> kids = b.registry().chain(input);
        search = kids.isEmpty() ? List.of() : List.of(kids.get(0));
      }
      List<DatasetRef> refs =
          b.registry().queryDatasets(datasetType, search, DataQuery.all().withFindFirst()).toList();
      b.registry().registerCollection(output, CollectionType.CALIBRATION, null);
      Timespan validity = Timespan.of(from, to);
      b.registry().certify(output, refs, validity);
      out()
          .println(
              "Certified "
                  + refs.size()
                  + " '"
                  + datasetType
                  + "' dataset(s) in "
                  + output
                  + " for "
                  + validity
                  + ".");
    }
    return 0;
  }
}
