package org.jbutler.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.ButlerException;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening registries: URLs, credentials in messages, missing registries. */
class RegistriesTest {

  @Test
  void passwordsNeverReachMessages() {
    assertThat(Registries.redact("jdbc:postgresql://db/repo?user=u&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/repo?user=u&password=***&ssl=true");
    assertThat(Registries.redact("jdbc:postgresql://u:s3cret@db/repo")).doesNotContain("s3cret");
    assertThatThrownBy(() -> Registries.open("jdbc:mysql://db/repo?password=s3cret"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("Unsupported registry URL")
        .hasMessageNotContaining("s3cret");
    // Nothing listens on port 1 of the loopback address: the connection is refused at once.
    assertThatThrownBy(
            () -> Registries.open("jdbc:postgresql://127.0.0.1:1/repo?user=u&password=s3cret"))
        .isInstanceOf(ButlerException.class)
        .hasMessageContaining("Cannot connect to the registry")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void openingAnEmptyDatabaseSaysToCreateOne(@TempDir Path dir) {
    assertThatThrownBy(() -> Registries.open("jdbc:sqlite:" + dir.resolve("empty.sqlite3")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("No registry at")
        .hasMessageContaining("create one first");
  }

  @Test
  void openingADatabaseJbutlerRefusesLeavesItUnchanged(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("other.sqlite3");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        var s = c.createStatement()) {
      s.execute("CREATE TABLE observations (id INTEGER PRIMARY KEY, target TEXT)");
      s.execute("INSERT INTO observations VALUES (1, 'M31')");
    }
    byte[] before = java.nio.file.Files.readAllBytes(file);
    String url = "jdbc:sqlite:" + file;
    assertThatThrownBy(() -> Registries.open(url))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("observations")
        .hasMessageContaining("not made by jbutler")
        .hasMessageContaining("left unchanged");
    assertThatThrownBy(() -> Registries.create(url, DimensionUniverse.defaultUniverse()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("not a jbutler registry");
    assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(before);
    assertThat(dir.resolve("other.sqlite3-wal")).doesNotExist();
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        var s = c.createStatement();
        var rs = s.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("delete");
    }
  }

  @Test
  void openingAMissingFileDoesNotCreateIt(@TempDir Path dir) {
    Path file = dir.resolve("missing.sqlite3");
    assertThatThrownBy(() -> Registries.open("jdbc:sqlite:" + file))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("does not exist");
    assertThat(file).doesNotExist();
  }

  @Test
  void aFileThatIsNotADatabaseIsLeftUnchanged(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("notes.sqlite3");
    java.nio.file.Files.writeString(file, "these are my notes, not a database\n".repeat(200));
    byte[] before = java.nio.file.Files.readAllBytes(file);
    assertThatThrownBy(() -> Registries.open("jdbc:sqlite:" + file))
        .isInstanceOf(org.jbutler.schema.exceptions.DamagedDataException.class)
        .hasMessageContaining("not a database");
    assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(before);
  }
}
