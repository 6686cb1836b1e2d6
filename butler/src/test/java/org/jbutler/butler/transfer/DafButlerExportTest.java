package org.jbutler.butler.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.datastore.Datastore;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.jbutler.testing.ExternalResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files cross from daf_butler and back: the export daf_butler 30.0.10 wrote with its files (YAML
 * and JSON through daf_butler's formatters) imports with every file read by the jbutler formatter
 * for the name daf_butler recorded, compared with the file's own content; jbutler's export names
 * daf_butler's formatters again; a formatter jbutler cannot read is refused by name.
 */
class DafButlerExportTest {

  @TempDir Path dir;

  private Path copyOfExport() throws Exception {
    Path source = ExternalResources.sharedFile("reference/daf_butler_repo/export/export.yaml");
    Path root = source.getParent();
    Path target = dir.resolve("daf-export");
    try (var paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path to = target.resolve(root.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return target;
  }

  /** Every dataset of the repository with what its file holds, parsed here by its extension. */
  private static Map<DatasetRef, Object> readAll(Butler b) throws Exception {
    Map<DatasetRef, Object> out = new HashMap<>();
    var r = b.registry();
    List<String> runs = r.queryCollections("*", java.util.Set.of(CollectionType.RUN), false, false);
    for (var t : r.queryDatasetTypes("*")) {
      for (DatasetRef ref : r.queryDatasets(t.name(), runs, DataQuery.all()).toList()) {
        out.put(ref, b.get(ref, Map.of()));
      }
    }
    return out;
  }

  private static Object parse(Path file) throws Exception {
    ObjectMapper m =
        file.toString().endsWith(".json")
            ? new ObjectMapper()
            : new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    return m.readValue(file.toFile(), Object.class);
  }

  @Test
  void daf_butlerFilesImportReadAndExportUnderItsFormatterNames() throws Exception {
    Path export = copyOfExport();
    Map<DatasetRef, Object> first;
    try (Butler b = Butler.create(dir.resolve("repo"), Map.of(), null)) {
      RepoTransfer.importFrom(b, export, null, Datastore.Transfer.COPY, false);
      first = readAll(b);
      assertThat(first).hasSize(13);
      for (var e : first.entrySet()) {
        Path file = b.uri(e.getKey());
        assertThat(e.getValue())
            .as("%s", e.getKey())
            .isEqualTo(parse(file))
            .isInstanceOf(Map.class);
      }
      Path out = dir.resolve("jbutler-export");
      RepoTransfer.export(b, List.copyOf(first.keySet()), List.of(), out);
      String yaml = Files.readString(out.resolve(ExportFormat.EXPORT_FILE));
      assertThat(yaml)
          .contains("formatter: lsst.daf.butler.formatters.yaml.YamlFormatter")
          .contains("formatter: lsst.daf.butler.formatters.json.JsonFormatter")
          .doesNotContain("org.jbutler.datastore.JacksonFormatter")
          // the records daf_butler exports with a visit, so exposures relate to visits there
          .contains("element: visit_definition")
          .contains("element: visit_system_membership")
          .contains("element: visit_system\n");
      // Registry only: export.yaml and no file; it imports without a datastore.
      Path bare = dir.resolve("registry-only");
      RepoTransfer.export(b, List.copyOf(first.keySet()), List.of(), bare, false);
      try (var files = Files.walk(bare)) {
        assertThat(files.filter(Files::isRegularFile).toList())
            .containsExactly(bare.resolve(ExportFormat.EXPORT_FILE));
      }
      try (Butler registryOnly = Butler.create(dir.resolve("repo3"), Map.of(), null)) {
        assertThat(RepoTransfer.importFrom(registryOnly, bare, null, null, false).datasets())
            .isEqualTo(13);
      }
      try (Butler again = Butler.create(dir.resolve("repo2"), Map.of(), null)) {
        RepoTransfer.importFrom(again, out, null, Datastore.Transfer.COPY, false);
        Map<String, Object> byId = new HashMap<>();
        readAll(again).forEach((ref, v) -> byId.put(ref.id().toString(), v));
        for (var e : first.entrySet()) {
          assertThat(byId.get(e.getKey().id().toString())).isEqualTo(e.getValue());
        }
      }
    }
  }

  @Test
  void aFormatterJbutlerCannotReadIsRefusedByName() throws Exception {
    Path export = copyOfExport();
    Path file = export.resolve(ExportFormat.EXPORT_FILE);
    Files.writeString(
        file,
        Files.readString(file)
            .replaceFirst(
                "lsst\\.daf\\.butler\\.formatters\\.yaml\\.YamlFormatter",
                "lsst.daf.butler.formatters.pickle.PickleFormatter"));
    try (Butler b = Butler.create(dir.resolve("repo"), Map.of(), null)) {
      assertThatThrownBy(
              () -> RepoTransfer.importFrom(b, export, null, Datastore.Transfer.COPY, false))
          .hasMessageContaining("lsst.daf.butler.formatters.pickle.PickleFormatter")
          .hasMessageContaining("cannot read")
          .hasMessageContaining("calibDict");
      assertThat(b.registry().queryDatasetTypes("*")).isEmpty();
      // Without files (registry only), the same export imports: no formatter is needed.
      RepoTransfer.importFrom(b, export, null, null, false);
      assertThat(
              b.registry()
                  .queryDatasets("calibDict", List.of("DummyCam/calib/run"), DataQuery.all())
                  .toList())
          .hasSize(2);
    }
  }

  /**
   * An export file is found as daf_butler finds it: absolute as given; a relative name that is not
   * in the working directory, in the export directory.
   */
  @Test
  void theExportFileIsFoundAsDafButlerFindsIt() throws Exception {
    Path export = copyOfExport();
    Files.move(export.resolve(ExportFormat.EXPORT_FILE), export.resolve("daf.yaml"));
    Path elsewhere = Files.copy(export.resolve("daf.yaml"), dir.resolve("elsewhere.yaml"));
    assertThat(RepoImporter.exportFile(export, null)).isEqualTo(export.resolve("export.yaml"));
    assertThat(RepoImporter.exportFile(export, "daf.yaml")).isEqualTo(export.resolve("daf.yaml"));
    assertThat(RepoImporter.exportFile(export, elsewhere.toString())).isEqualTo(elsewhere);
    try (Butler b = Butler.create(dir.resolve("repo"), Map.of(), null)) {
      assertThat(RepoTransfer.importFrom(b, export, "daf.yaml", null, false).datasets())
          .isEqualTo(13);
    }
    try (Butler b = Butler.create(dir.resolve("repo2"), Map.of(), null)) {
      assertThat(RepoTransfer.importFrom(b, export, elsewhere.toString(), null, false).datasets())
          .isEqualTo(13);
    }
  }
}
