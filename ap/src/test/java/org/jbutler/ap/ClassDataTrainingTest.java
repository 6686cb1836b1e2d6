package org.jbutler.ap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build-time training of bin/pipetask and bin/demo runs every command it names. */
class ClassDataTrainingTest {

  @Test
  void everyTrainingCommandSucceeds(@TempDir Path dir) {
    List<String> failed = new ArrayList<>();
    ClassDataTraining.train(dir, failed);
    assertThat(failed).isEmpty();
  }
}
