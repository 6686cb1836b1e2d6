package org.jbutler.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.butler.instrument.Instrument;
import org.jbutler.datastore.Datastore;
import org.jbutler.testdata.SimCam;

/**
 * {@code ingest-raws} of 2,000 generated SimCam raw files with {@code --transfer direct}: files/s,
 * against merely reading the same primary headers with nom-tam-fits in the same run.
 */
final class IngestBenchmark implements Benchmark {

  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public String description() {
    return "ingest-raws of 2,000 SimCam files (direct) vs reading their headers";
  }

  @Override
  public void run(Reporter reporter) throws Exception {
    Harness.inTempDir(
        dir -> {
          // 10 nights x (4 bias/dark + 6 flats + 40 science) x 4 detectors = 2,000 files.
          SimCam.Result data =
              SimCam.generate(new SimCam.Config(11, 10, 40, 4, 16, 16, 0, 0), dir.resolve("data"));
          List<Path> files = data.raws();
          long t0 = System.nanoTime();
          for (Path f : files) {
            try (nom.tam.fits.Fits fits = new nom.tam.fits.Fits(f.toFile())) {
              fits.getHDU(0).getHeader();
            }
          }
          double headers = (System.nanoTime() - t0) / 1e9;
          Instrument simcam = Instrument.load("SimCam");
          try (Butler b = Butler.create(dir.resolve("repo"), Map.of(), null)) {
            simcam.register(b.registry());
            long t1 = System.nanoTime();
            Butler.RawIngestReport r =
                b.ingestRaws(
                    simcam,
                    List.of(dir.resolve("data/raw")),
                    null,
                    Datastore.Transfer.DIRECT,
                    4,
                    false);
            double ingest = (System.nanoTime() - t1) / 1e9;
            if (!r.failures().isEmpty() || r.ingested().size() != files.size()) {
              throw new IllegalStateException("ingest failed: " + r.failures());
            }
            reporter.rate(
                "ingest.raws_2000_direct",
                files.size() / ingest,
                "files/s",
                "read_headers_nom_tam_fits",
                files.size() / headers);
          }
        });
  }
}
