package org.jbutler.butler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.butler.testing.CommandRunner;
import org.jbutler.butler.testing.Records;
import org.jbutler.cli.ExitCodes;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository created through the CLI, filled through the API, and queried through the CLI. */
class RepositoryCommandsTest {

  @TempDir Path dir;
  private final CommandRunner cli = new CommandRunner(ButlerCommand::new);
  private String repo;

  @BeforeEach
  void setUp() {
    repo = dir.resolve("repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    assertThat(cli.out()).contains("Created repository");
    assertThat(cli.run("register-dataset-type", repo, "notes", "StructuredDataDict", "detector"))
        .isZero();
    assertThat(
            cli.run("register-dataset-type", repo, "bias", "Bytes", "detector", "--is-calibration"))
        .isZero();
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.run("run/a"))) {
      Records.instrumentWithDetectors(b.registry(), "Cam1", 3);
      for (int d = 1; d <= 3; d++) {
        b.put(Map.of("d", d), "notes", Map.of("instrument", "Cam1", "detector", d));
      }
      b.registry().registerCollection("chain", CollectionType.CHAINED, null);
      b.registry().setChain("chain", List.of("run/a"));
    }
  }

  /** Standard output is exactly one JSON document (nothing before or after it). */
  static com.fasterxml.jackson.databind.JsonNode oneJsonDocument(String out) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readerFor(com.fasterxml.jackson.databind.JsonNode.class)
        .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .readValue(out);
  }

  @Test
  void everyCommandsJsonOutputIsOneValidDocument() throws Exception {
    List<List<String>> commands =
        List.of(
            List.of("query-collections", repo),
            List.of("query-collections", repo, "--chains", "TREE"),
            List.of("query-dataset-types", repo),
            List.of("query-datasets", repo, "--collections", "chain"),
            List.of(
                "query-datasets",
                repo,
                "--collections",
                "chain",
                "--where",
                "instrument = 'Cam1' AND detector = 9"),
            List.of("query-data-ids", repo, "detector", "--where", "instrument = 'Cam1'"),
            List.of("query-dimension-records", repo, "detector"),
            List.of("query-dimension-records", repo, "band"),
            List.of("describe-dimensions"),
            List.of("verify", repo),
            List.of("verify", repo, "--checksums"));
    for (List<String> c : commands) {
      List<String> args = new java.util.ArrayList<>(c);
      args.addAll(List.of("--format", "json"));
      int code = cli.run(args.toArray(String[]::new));
      assertThat(code).as(c + ": " + cli.lastErr()).isIn(0, 1);
      assertThat(oneJsonDocument(cli.lastOut())).as(c.toString()).isNotNull();
    }
    // A query that finds nothing says why, on standard error; standard output stays JSON.
    assertThat(
            cli.run(
                "query-datasets",
                repo,
                "notes",
                "--collections",
                "chain",
                "--where",
                "instrument = 'Cam1' AND detector = :d",
                "--bind",
                "d=9",
                "--format",
                "json"))
        .isZero();
    assertThat(oneJsonDocument(cli.lastOut()).size()).isZero();
    assertThat(cli.lastErr()).contains("No results");
    assertThat(
            cli.run(
                "query-datasets",
                repo,
                "notes",
                "--collections",
                "chain",
                "--where",
                "instrument = 'Cam1' AND detector IN (:d)",
                "--bind",
                "d=1,3",
                "--format",
                "json"))
        .isZero();
    assertThat(oneJsonDocument(cli.lastOut())).hasSize(2);
    assertThat(cli.run("query-datasets", repo, "--collections", "chain", "--bind", "1x=2"))
        .isEqualTo(2);
    assertThat(cli.lastErr()).contains("--bind takes NAME=VALUE");
  }

  @Test
  void queriesPrintTablesJsonAndCsv() {
    assertThat(cli.run("query-dataset-types", repo)).isZero();
    assertThat(cli.out())
        .containsPattern("notes\\s+\\{instrument, detector\\}\\s+StructuredDataDict");
    assertThat(cli.run("query-collections", repo, "--chains", "tree")).isZero();
    assertThat(cli.out()).contains("chain").containsPattern("\\n  run/a\\s+RUN");
    assertThat(cli.run("query-collections", repo, "--chains", "INVERSE-TREE")).isZero();
    assertThat(cli.out()).containsPattern("run/a\\s+RUN\\s*\\n  chain\\s+CHAINED");
    assertThat(cli.run("query-collections", repo, "--chains", "inverse-table", "--format", "csv"))
        .isZero();
    assertThat(cli.out()).contains("name,type,parents").contains("run/a,RUN,chain");
    assertThat(
            cli.run(
                "query-collections",
                repo,
                "run/*",
                "--chains",
                "NO-CHILDREN",
                "--show-dataset-types",
                "--format",
                "csv"))
        .isZero();
    assertThat(cli.out()).contains("name,type,dataset_types").contains("run/a,RUN,notes");
    assertThat(
            cli.run(
                "query-collections",
                repo,
                "run/*",
                "--show-dataset-types",
                "--exclude-dataset-types",
                "no*",
                "--format",
                "csv"))
        .isZero();
    assertThat(cli.out()).containsPattern("run/a,RUN,\\s*\\n");
    assertThat(cli.run("query-collections", repo, "--chains", "sideways")).isEqualTo(2);
    assertThat(cli.err()).contains("'sideways' is not a chain view");
    assertThat(
            cli.run(
                "query-datasets",
                repo,
                "notes",
                "--collections",
                "chain",
                "--where",
                "detector > 1 AND instrument = 'Cam1'",
                "--show-uri",
                "--format",
                "csv"))
        .isZero();
    String csv = cli.out().substring(cli.out().indexOf("type,run,id,instrument,detector,uri"));
    assertThat(csv.lines().skip(1).filter(l -> !l.isBlank()).count()).isEqualTo(2);
    assertThat(csv).contains(".json");
    assertThat(
            cli.run(
                "query-data-ids",
                repo,
                "detector",
                "--where",
                "instrument = 'Cam1'",
                "--order-by",
                "-detector",
                "--format",
                "json"))
        .isZero();
    assertThat(cli.out()).contains("\"detector\" : 3");
    assertThat(
            cli.run(
                "query-dimension-records",
                repo,
                "detector",
                "--where",
                "full_name = 'D2' AND instrument = 'Cam1'"))
        .isZero();
    assertThat(cli.out()).containsPattern("Cam1\\s+2\\s+D2");
    assertThat(cli.run("verify", repo)).isZero();
    assertThat(cli.out()).contains("OK: every recorded artifact is present and intact");
  }

  @Test
  void errorsAreOneLineWithTheRightExitCode() throws Exception {
    assertThat(cli.run("query-collections", dir.resolve("nowhere").toString())).isEqualTo(4);
    assertThat(cli.err())
        .contains("No repository")
        .contains("butler create")
        .doesNotContain("at org.");
    assertThat(
            cli.run(
                "query-datasets",
                repo,
                "notes",
                "--collections",
                "chain",
                "--where",
                "detector = = 2"))
        .isEqualTo(2);
    assertThat(cli.err()).contains("line 1, column").contains("^");
    assertThat(cli.run("query-datasets", repo, "notes", "--collections", "nope")).isEqualTo(4);
    assertThat(cli.err()).contains("'nope' does not exist");
    assertThat(cli.run("remove-runs", repo, "nosuch")).isEqualTo(4);
    assertThat(cli.lastErr()).contains("'nosuch' does not exist");
    assertThat(cli.run("remove-runs", repo, "nosuch*")).isZero();
    assertThat(cli.lastOut()).contains("No RUN collections match 'nosuch*'");
    assertThat(cli.run("remove-runs", repo, "chain")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("not a RUN");
    assertThat(cli.run("create", repo)).isEqualTo(3);
    assertThat(cli.err()).contains("already exists");
    assertThat(cli.run("register-dataset-type", repo, "notes", "Bytes", "detector")).isEqualTo(3);
    Path stray = dir.resolve("repo/datastore/stray.tmp");
    Files.writeString(stray, "x");
    assertThat(cli.run("verify", repo)).isEqualTo(1);
    assertThat(cli.out()).contains("unreferenced").contains("stray.tmp");
    assertThat(cli.run("verify", repo, "--fix")).isZero();
    assertThat(stray).doesNotExist();
    // Same-size damage to a put artifact: found by its CRC-32C, recorded by default.
    Path artifact;
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.none())) {
      DatasetRef note =
          b.registry().queryDatasets("notes", List.of("run/a"), DataQuery.all()).toList().get(0);
      assertThat(b.datastore().formatterName(note)).isNotEmpty();
      artifact = b.uri(note);
    }
    byte[] bytes = Files.readAllBytes(artifact);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(artifact, bytes);
    assertThat(cli.run("verify", repo)).isZero();
    assertThat(cli.run("verify", repo, "--checksums")).isEqualTo(1);
    assertThat(cli.lastOut()).contains("damaged").contains("checksum differs");
  }

  @Test
  void collectionEditsAssociationCertificationAndRemoval() throws Exception {
    assertThat(cli.run("collection-chain", repo, "all", "run/a")).isZero();
    assertThat(cli.out()).contains("[run/a]");
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.run("run/b"))) {
      for (int d = 1; d <= 2; d++) {
        b.put(new byte[] {(byte) d}, "bias", Map.of("instrument", "Cam1", "detector", d));
      }
    }
    assertThat(cli.run("collection-chain", repo, "all", "run/b", "--mode", "prepend")).isZero();
    assertThat(cli.out()).contains("[run/b, run/a]");
    assertThat(cli.run("collection-chain", repo, "all", "--mode", "pop", "--", "-1")).isZero();
    assertThat(cli.out()).contains("[run/b]");
    assertThat(
            cli.run(
                "associate",
                repo,
                "best",
                "--dataset-type",
                "notes",
                "--collections",
                "run/a",
                "--where",
                "detector = 2 AND instrument = 'Cam1'"))
        .isZero();
    assertThat(cli.out()).contains("Associated 1 dataset(s) with best");
    assertThat(
            cli.run(
                "certify-calibrations",
                repo,
                "run/b",
                "calib",
                "bias",
                "--begin-date",
                "2026-01-01T00:00:00"))
        .isZero();
    assertThat(cli.out()).contains("Certified 2 'bias' dataset(s) in calib");
    assertThat(cli.run("query-datasets", repo, "bias", "--collections", "calib")).isZero();
    assertThat(cli.out()).contains("run/b");
    // Retrieve, then unstore one dataset's artifact and purge another.
    Path out = dir.resolve("out");
    assertThat(
            cli.run(
                "retrieve-artifacts",
                repo,
                out.toString(),
                "--datasets",
                "notes",
                "--collections",
                "run/a"))
        .isZero();
    assertThat(cli.out()).contains("Retrieved 3 file(s)");
    assertThat(
            cli.run(
                "prune-datasets",
                repo,
                "run/a",
                "--datasets",
                "notes",
                "--where",
                "detector = 1 AND instrument = 'Cam1'",
                "--unstore"))
        .isZero();
    assertThat(cli.run("verify", repo)).isZero();
    assertThat(
            cli.run(
                "query-datasets",
                repo,
                "notes",
                "--collections",
                "run/a",
                "--show-uri",
                "--format",
                "json"))
        .isZero();
    assertThat(cli.out()).contains("\"uri\" : \"\"");
    assertThat(cli.run("prune-datasets", repo, "run/a", "--datasets", "notes")).isEqualTo(2);
    assertThat(cli.err()).contains("--disassociate, --unstore or --purge");
    // A run in a chain is not removed without --force; with it, datasets and files go.
    assertThat(cli.run("remove-runs", repo, "run/b")).isEqualTo(3);
    assertThat(cli.err()).contains("child of chain(s) all");
    assertThat(cli.run("remove-runs", repo, "run/b", "--force")).isZero();
    assertThat(cli.out()).contains("Removed 1 run(s) and 2 dataset(s)");
    assertThat(cli.run("verify", repo)).isZero();
    assertThat(cli.run("remove-dataset-type", repo, "notes")).isEqualTo(3);
    assertThat(cli.err()).contains("still has");
    assertThat(cli.run("remove-dataset-type", repo, "bias")).isZero();
    assertThat(cli.run("remove-collections", repo, "best")).isZero();
    assertThat(cli.run("query-collections", repo, "--format", "csv")).isZero();
    assertThat(cli.out()).doesNotContain("best,").contains("run/a,RUN");
  }

  @Test
  void optionsFileGivesDefaultsTheCommandLineOverrides() throws Exception {
    Path options = dir.resolve("options.yaml");
    Files.writeString(
        options,
        "query-datasets:\n"
            + "  collections: [chain]\n"
            + "  where: detector > 2 AND instrument = 'Cam1'\n"
            + "  format: csv\n");
    assertThat(cli.run("--options-file", options.toString(), "query-datasets", repo, "notes"))
        .as(cli.err())
        .isZero();
    String first = cli.out();
    assertThat(first.lines().filter(l -> l.startsWith("notes,run/a,"))).hasSize(1);
    assertThat(
            cli.run(
                "-@",
                options.toString(),
                "query-datasets",
                repo,
                "notes",
                "--where",
                "detector > 1 AND instrument = 'Cam1'"))
        .isZero();
    assertThat(cli.out().substring(first.length()).lines().filter(l -> l.startsWith("notes,")))
        .hasSize(2);
    Files.writeString(options, "query-datasets:\n  colections: [chain]\n");
    assertThat(cli.run("--options-file", options.toString(), "query-datasets", repo, "notes"))
        .isEqualTo(2);
    assertThat(cli.err()).contains("query-datasets has no option --colections");
    assertThat(cli.lastErr()).doesNotContain("Could not invoke").doesNotContain("setOptionsFile");
    Files.writeString(options, "query-datasets:\n  limit: five\n");
    assertThat(
            cli.run(
                "--options-file", options.toString(), "query-datasets", repo, "--collections", "x"))
        .isEqualTo(2);
    assertThat(cli.lastErr()).contains("--limit").contains("five");
    Files.writeString(options, "query-everything:\n  where: x\n");
    assertThat(cli.run("-@", options.toString(), "query-datasets", repo, "notes")).isEqualTo(2);
    assertThat(cli.err()).contains("'query-everything', which is not a subcommand");
  }

  @Test
  void createWithASeedConfig() throws Exception {
    Path seed = dir.resolve("seed.yaml");
    Path elsewhere = dir.resolve("elsewhere");
    Files.writeString(
        seed,
        "datastore:\n  checksum: SHA-256\n  root: "
            + elsewhere
            + "\nregistry:\n  db: jdbc:sqlite:"
            + dir.resolve("other.sqlite3")
            + "\n");
    String plain = dir.resolve("seeded").toString();
    assertThat(cli.run("create", plain, "--seed-config", seed.toString())).as(cli.err()).isZero();
    assertThat(cli.run("config-dump", plain)).isZero();
    assertThat(cli.out())
        .contains("checksum: \"SHA-256\"")
        .contains("<butlerRoot>/gen3.sqlite3")
        .doesNotContain(elsewhere.toString());
    String overridden = dir.resolve("overridden").toString();
    assertThat(cli.run("create", overridden, "--seed-config", seed.toString(), "--override"))
        .isZero();
    assertThat(cli.run("config-dump", overridden)).isZero();
    assertThat(cli.out()).contains(elsewhere.toString()).contains("other.sqlite3");
    Files.writeString(seed, "- just a list\n");
    assertThat(cli.run("create", dir.resolve("bad").toString(), "--seed-config", seed.toString()))
        .isEqualTo(2);
    assertThat(cli.err()).contains("is not a YAML mapping");
    assertThat(dir.resolve("bad")).doesNotExist();
  }

  /** A directory with two one-byte files, b1.bin and b2.bin. */
  private Path twoFiles() throws java.io.IOException {
    Path files = Files.createDirectories(dir.resolve("files"));
    Files.write(files.resolve("b1.bin"), new byte[] {1});
    Files.write(files.resolve("b2.bin"), new byte[] {2});
    return files;
  }

  @Test
  void ingestFilesFromATable() throws Exception {
    Path files = twoFiles();
    Path table = files.resolve("files.csv");
    Files.writeString(table, "# an ECSV-style comment\nfile,detector\nb1.bin,1\n\"b2.bin\",2\n");
    assertThat(
            cli.run(
                "ingest-files",
                repo,
                "bias",
                "raw/bias",
                table.toString(),
                "--data-id",
                "instrument=Cam1",
                "--transfer",
                "copy"))
        .isZero();
    assertThat(cli.out()).contains("Ingested 2 'bias' file(s) into raw/bias");
    assertThat(
            cli.run("query-datasets", repo, "bias", "--collections", "raw/bias", "--format", "csv"))
        .isZero();
    assertThat(cli.out().lines().filter(l -> l.startsWith("bias,raw/bias"))).hasSize(2);
    Files.writeString(table, "file,detector\nb1.bin,1\nmissing.bin,2\n");
    assertThat(
            cli.run(
                "ingest-files",
                repo,
                "bias",
                "raw/bias2",
                table.toString(),
                "--data-id",
                "instrument=Cam1"))
        .isEqualTo(4);
    assertThat(cli.err()).contains("missing.bin");
    assertNoCollection("raw/bias2");
    Files.writeString(table, "file,detector\nb1.bin\n");
    assertThat(cli.run("ingest-files", repo, "bias", "raw/bias3", table.toString())).isEqualTo(2);
    assertThat(cli.err()).contains("Line 2").contains("1 values");
  }

  private void assertNoCollection(String name) {
    assertThat(cli.run("query-collections", repo, "--format", "json")).isZero();
    assertThat(cli.out()).doesNotContain("\"" + name + "\"");
  }

  @Test
  void createRefusesADirectoryThatHoldsFiles() throws Exception {
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("thesis.tex"), "chapter one");
    assertThat(cli.run("create", full.toString())).isEqualTo(3);
    assertThat(cli.lastErr()).contains("not empty").contains("thesis.tex");
    assertThat(full.resolve("butler.yaml")).doesNotExist();
    assertThat(full.resolve("gen3.sqlite3")).doesNotExist();
    assertThat(full.resolve("thesis.tex")).hasContent("chapter one");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(cli.run("create", empty.toString())).isZero();
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertThat(cli.run("create", file.toString())).isEqualTo(2);
    assertThat(cli.lastErr()).contains("is a file, not a directory");
  }

  @Test
  void aFailedIngestFilesLeavesNoEmptyRunBehind() throws Exception {
    Path files = twoFiles();
    Path table = files.resolve("dup.csv");
    // Two files for one data ID: a conflict found after the files were moved into place.
    Files.writeString(table, "file,detector\nb1.bin,1\nb2.bin,1\n");
    assertThat(
            cli.run(
                "ingest-files",
                repo,
                "bias",
                "raw/dup",
                table.toString(),
                "--data-id",
                "instrument=Cam1",
                "--transfer",
                "move"))
        .isNotZero();
    assertNoCollection("raw/dup");
    assertThat(files.resolve("b1.bin")).exists(); // moved files went back
    assertThat(files.resolve("b2.bin")).exists();
    assertThat(cli.run("verify", repo)).isZero();
  }

  @Test
  void ingestFilesRefusesADamagedFitsFileUnlessToldNotToCheck() throws Exception {
    Path files = Files.createDirectories(dir.resolve("fits"));
    Path whole = files.resolve("b1.fits");
    org.jbutler.datastore.FitsIo.writeImage(
        new org.jbutler.datastore.ImageF(
            new org.jbutler.datastore.Box(0, 0, 64, 64),
            new float[64 * 64],
            new org.jbutler.datastore.Header()),
        whole);
    byte[] bytes = Files.readAllBytes(whole);
    Files.write(files.resolve("b2.fits"), java.util.Arrays.copyOf(bytes, bytes.length - 3_000));
    Path table = Files.writeString(files.resolve("t.csv"), "file,detector\nb1.fits,1\nb2.fits,2\n");
    String[] ingest = {
      "ingest-files", repo, "bias", "raw/fits", table.toString(), "--data-id", "instrument=Cam1"
    };
    assertThat(cli.run(ingest)).isEqualTo(ExitCodes.DAMAGED);
    assertThat(cli.lastErr()).contains("b2.fits").contains("is truncated");
    assertNoCollection("raw/fits"); // nothing ingested, not even the whole file
    String[] unchecked = java.util.Arrays.copyOf(ingest, ingest.length + 1);
    unchecked[ingest.length] = "--no-validate";
    assertThat(cli.run(unchecked)).as(cli.lastErr()).isZero();
    assertThat(cli.lastOut()).contains("Ingested 2 'bias' file(s) into raw/fits");
  }

  @Test
  void ingestFilesTypesEachCellByItsDimension() throws Exception {
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.none())) {
      Records.insert(
          b.registry(), "physical_filter", Map.of("instrument", "Cam1", "name", "48", "band", "r"));
    }
    assertThat(
            cli.run(
                "register-dataset-type", repo, "flatframe", "Bytes", "detector", "physical_filter"))
        .isZero();
    Path files = Files.createDirectories(dir.resolve("files"));
    Files.write(files.resolve("f1.bin"), new byte[] {1});
    Files.write(files.resolve("f2.bin"), new byte[] {2});
    Path table = files.resolve("flats.csv");
    // A string key that looks like a number and an integer key, each quoted or not.
    Files.writeString(
        table,
        "file,instrument,detector,physical_filter\nf1.bin,Cam1,1,\"48\"\nf2.bin,Cam1,\"2\",48\n");
    assertThat(cli.run("ingest-files", repo, "flatframe", "flats/run", table.toString()))
        .as(cli.err())
        .isZero();
    assertThat(
            cli.run(
                "query-datasets",
                repo,
                "flatframe",
                "--collections",
                "flats/run",
                "--where",
                "instrument = 'Cam1' AND physical_filter = '48'",
                "--format",
                "json"))
        .isZero();
    assertThat(cli.out()).contains("\"detector\" : 1").contains("\"detector\" : 2");
  }

  @Test
  void exportThenImportIntoANewRepository() throws Exception {
    Path export = dir.resolve("export");
    assertThat(
            cli.run(
                "export", repo, export.toString(), "--collections", "chain", "--datasets", "notes"))
        .isZero();
    assertThat(cli.out()).contains("Exported 3 dataset(s)");
    String other = dir.resolve("other").toString();
    assertThat(cli.run("create", other)).isZero();
    assertThat(cli.run("import", other, export.toString())).isZero();
    assertThat(cli.out()).contains("3 dataset(s)");
    assertThat(
            cli.run("query-datasets", other, "notes", "--collections", "chain", "--format", "csv"))
        .isZero();
    assertThat(cli.out().lines().filter(l -> l.startsWith("notes,run/a"))).hasSize(3);
    assertThat(cli.run("verify", other)).isZero();
    // A missing export is missing (4), not a configuration error; a path that cannot be a
    // directory is bad input (2).
    assertThat(cli.run("import", other, dir.resolve("nothing-here").toString())).isEqualTo(4);
    assertThat(cli.err()).contains("export.yaml");
    Path afile = Files.writeString(dir.resolve("afile"), "x");
    assertThat(cli.run("export", repo, afile.resolve("sub").toString(), "--collections", "chain"))
        .isEqualTo(2);
    assertThat(cli.lastErr()).contains("Cannot export to").doesNotContain("\tat ");
  }

  @Test
  void configDumpValidateAndTransfer() {
    assertThat(cli.run("config-dump", repo)).isZero();
    assertThat(cli.out()).contains("registry:").contains("<butlerRoot>/gen3.sqlite3");
    assertThat(cli.run("config-validate", repo)).isZero();
    assertThat(cli.out()).contains("Configuration OK for 2 dataset type(s)");
    String other = dir.resolve("other").toString();
    assertThat(cli.run("create", other)).isZero();
    assertThat(
            cli.run(
                "transfer-datasets", repo, other, "--collections", "run/a", "--datasets", "notes"))
        .isEqualTo(4);
    assertThat(cli.err()).contains("'notes' is not registered");
    assertThat(
            cli.run(
                "transfer-datasets",
                repo,
                other,
                "--collections",
                "run/a",
                "--datasets",
                "notes",
                "--register-dataset-types"))
        .isZero();
    assertThat(cli.out()).contains("Transferred 3 dataset(s)");
    assertThat(
            cli.run("query-datasets", repo, "notes", "--collections", "run/a", "--format", "csv"))
        .isZero();
    String before = cli.out();
    assertThat(
            cli.run("query-datasets", other, "notes", "--collections", "run/a", "--format", "csv"))
        .isZero();
    String after = cli.out().substring(before.length());
    for (String line :
        before
            .substring(before.lastIndexOf("type,run,id,instrument,detector"))
            .lines()
            .skip(1)
            .toList()) {
      assertThat(after).contains(line);
    }
    assertThat(cli.run("verify", other)).isZero();
  }
}
