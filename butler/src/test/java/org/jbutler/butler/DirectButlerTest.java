package org.jbutler.butler;

import java.nio.file.Path;
import java.util.Map;

/** The butler contract on a repository on local disk with a SQLite registry. */
class DirectButlerTest extends ButlerContractTest {

  @Override
  Butler newButler(Path dir, String run) {
    Path root = dir.resolve("repo");
    Butler.create(root, Map.of(), null).close();
    return Butler.open(root, Butler.Options.run(run));
  }
}
