package org.jbutler.butler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's build-time training runs every command it names successfully. */
class ClassDataTrainingTest {

  @Test
  void everyTrainingCommandSucceeds(@TempDir Path dir) {
    List<String> failed = new ArrayList<>();
    Path repo = ClassDataTraining.trainButler(dir, failed);
    assertThat(failed).isEmpty();
    assertThat(repo.resolve("butler.yaml")).exists();
  }
}
