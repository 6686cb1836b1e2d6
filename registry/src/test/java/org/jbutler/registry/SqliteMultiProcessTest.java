package org.jbutler.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * N real processes write M datasets each into one SQLite repository at the same time; exactly N x M
 * datasets must result, with every chain edit kept.
 */
class SqliteMultiProcessTest {

  private static final int PROCESSES = 4;
  private static final int EACH = 40;

  @TempDir Path dir;

  @Test
  void processesWritingOneSqliteFileNeitherLoseNorDuplicateRows() throws Exception {
    DimensionUniverse u = DimensionUniverse.defaultUniverse();
    String url = "jdbc:sqlite:" + dir.resolve("gen3.sqlite3");
    try (Registry r = Registries.create(url, u)) {
      r.insertDimensionRecords(
          "instrument",
          List.of(DimensionRecord.of(u.element("instrument"), Map.of("name", "Cam1"))));
      List<DimensionRecord> dets = new ArrayList<>();
      for (int d = 0; d < PROCESSES * EACH; d++) {
        dets.add(
            DimensionRecord.of(
                u.element("detector"),
                Map.of("instrument", "Cam1", "id", d, "full_name", "D" + d)));
      }
      r.insertDimensionRecords("detector", dets);
      r.registerDatasetType(DatasetType.calibration("bias", u.group("detector"), "ExposureF"));
      r.registerCollection("all", CollectionType.CHAINED, null);
    }
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> children = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    for (int p = 0; p < PROCESSES; p++) {
      Path log = dir.resolve("writer" + p + ".log");
      logs.add(log);
      children.add(
          new ProcessBuilder(
                  java,
                  "-cp",
                  classpath,
                  ConcurrentWriterMain.class.getName(),
                  url,
                  String.valueOf(p * EACH),
                  String.valueOf(EACH))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start());
    }
    for (int p = 0; p < PROCESSES; p++) {
      assertThat(children.get(p).waitFor(180, TimeUnit.SECONDS)).isTrue();
      assertThat(children.get(p).exitValue()).as(Files.readString(logs.get(p))).isZero();
    }
    try (Registry r = Registries.open(url)) {
      assertThat(r.datasetAssociations("bias", List.of("shared"))).hasSize(PROCESSES * EACH);
      assertThat(
              r.datasetAssociations("bias", List.of("shared")).stream().map(a -> a.ref().dataId()))
          .doesNotHaveDuplicates();
      assertThat(r.chain("all")).containsExactlyInAnyOrder("tag0", "tag40", "tag80", "tag120");
    }
  }
}
