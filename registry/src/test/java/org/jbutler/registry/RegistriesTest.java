package org.jbutler.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.jbutler.schema.ButlerException;
import org.jbutler.schema.InvalidConfigException;
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
}
