package org.jbutler.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.butler.transfer.RepoTransfer;
import org.jbutler.datastore.Datastore;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;

/**
 * Export and import of 100,000 datasets (small files, 1,000 exposures x 100 detectors): datasets/s
 * each way, against copying the same files with {@code Files.copy} in the same run (an export and
 * an import with transfer=copy move every file once).
 */
final class TransferBenchmark implements Benchmark {

  static final int EXPOSURES = SimCamRegistry.EXPOSURES;

  @Override
  public String name() {
    return "transfer";
  }

  @Override
  public String description() {
    return "export and import of 100,000 datasets vs copying their files";
  }

  @Override
  public void run(Reporter reporter) throws Exception {
    Harness.inTempDir(
        dir -> {
          int n = EXPOSURES * SimCamRegistry.DETECTORS;
          List<Path> files = new ArrayList<>(n);
          List<Map<String, ?>> dataIds = new ArrayList<>(n);
          byte[] payload = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
          for (int e = 0; e < EXPOSURES; e++) {
            Path sub = Files.createDirectories(dir.resolve("files/" + e));
            for (int d = 0; d < SimCamRegistry.DETECTORS; d++) {
              Path f = sub.resolve(d + ".bin");
              Files.write(f, payload);
              files.add(f);
              dataIds.add(Map.of("instrument", "SimCam", "exposure", 1000 + e, "detector", d));
            }
          }
          // Baseline: copy every file once, as an export (and an import with copy) does;
          // measured again right before each operation, as the disk's speed drifts.
          int[] round = {0};
          java.util.concurrent.Callable<Double> copyAll =
              () -> {
                Path into = dir.resolve("copy" + round[0]++);
                long c0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                  Path target = into.resolve(files.get(i).getParent().getFileName());
                  if (i % SimCamRegistry.DETECTORS == 0) {
                    Files.createDirectories(target);
                  }
                  Files.copy(files.get(i), target.resolve(files.get(i).getFileName()));
                }
                return (System.nanoTime() - c0) / 1e9;
              };
          try (Butler source = Butler.create(dir.resolve("source"), Map.of(), null)) {
            var u = source.registry().universe();
            SimCamRegistry.populate(source.registry(), u, EXPOSURES);
            source
                .registry()
                .registerDatasetType(
                    DatasetType.of("blob", u.group("exposure", "detector"), "Bytes"));
            long i0 = System.nanoTime();
            source.ingest(
                "blob",
                dataIds,
                files,
                "bench/run",
                Datastore.Transfer.DIRECT,
                DatasetIdGenerationMode.UNIQUE);
            double ingest = (System.nanoTime() - i0) / 1e9;
            List<DatasetRef> refs =
                source
                    .registry()
                    .queryDatasets("blob", List.of("bench/run"), DataQuery.all())
                    .toList();
            double copyBeforeExport = copyAll.call();
            long e0 = System.nanoTime();
            RepoTransfer.export(source, refs, List.of(), dir.resolve("export"));
            double export = (System.nanoTime() - e0) / 1e9;
            try (Butler target = Butler.create(dir.resolve("target"), Map.of(), null)) {
              double copyBeforeImport = copyAll.call();
              long m0 = System.nanoTime();
              RepoTransfer.ImportSummary s =
                  RepoTransfer.importFrom(
                      target, dir.resolve("export"), null, Datastore.Transfer.COPY, false);
              double imported = (System.nanoTime() - m0) / 1e9;
              if (s.datasets() != n) {
                throw new IllegalStateException("imported " + s.datasets() + " of " + n);
              }
              reporter.rate(
                  "transfer.ingest_100k_direct",
                  n / ingest,
                  "datasets/s",
                  "file_copy",
                  n / copyBeforeExport);
              reporter.rate(
                  "transfer.export_100k",
                  n / export,
                  "datasets/s",
                  "file_copy",
                  n / copyBeforeExport);
              reporter.rate(
                  "transfer.import_100k_copy",
                  n / imported,
                  "datasets/s",
                  "file_copy",
                  n / copyBeforeImport);
            }
          }
        });
  }
}
