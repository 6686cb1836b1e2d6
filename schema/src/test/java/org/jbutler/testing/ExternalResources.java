package org.jbutler.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds things tests need from outside the repository (files under {@code ../shared}, a PostgreSQL
 * server, command-line tools), following DESIGN.md: when one is absent the test is skipped with a
 * message saying what would enable it, except under {@code CI=true}, where an absent resource is a
 * failure.
 */
public final class ExternalResources {

  private ExternalResources() {}

  /** Returns whether the tests run in CI, where nothing may be skipped. */
  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Returns the {@code shared/} folder beside the repository, if present. */
  public static Optional<Path> sharedDirectory() {
    String configured = System.getenv("JBUTLER_SHARED");
    if (configured == null || configured.isBlank()) {
      configured = System.getProperty("jbutler.shared");
    }
    if (configured == null || configured.isBlank()) {
      return Optional.empty();
    }
    Path p = Path.of(configured).toAbsolutePath().normalize();
    return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
  }

  /**
   * Returns a file under {@code shared/}, or skips (fails under CI) if it is not there.
   *
   * @param relative the path inside {@code shared/}
   */
  public static Path sharedFile(String relative) {
    Optional<Path> dir = sharedDirectory();
    Path file = dir.map(d -> d.resolve(relative)).orElse(null);
    if (file != null && Files.isRegularFile(file)) {
      return file;
    }
    unavailable(
        "shared/"
            + relative
            + " is not available; set JBUTLER_SHARED (or -Djbutler.shared) to the shared/ folder"
            + " beside the repository to run this test");
    throw new AssertionError("unreachable");
  }

  /**
   * Returns an environment variable's value, or skips (fails under CI) when it is unset.
   *
   * @param name the variable
   * @param whatItEnables a sentence telling a reader how to set it
   */
  public static String requiredEnv(String name, String whatItEnables) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      unavailable(name + " is not set: " + whatItEnables);
    }
    return v;
  }

  /** Skips the current test with the message, or fails it under CI. */
  public static void unavailable(String message) {
    if (underCi()) {
      Assertions.fail("Under CI=true this resource is required: " + message);
    }
    // Surefire's summary counts skips without their reasons: say it where a person looks.
    String where =
        StackWalker.getInstance()
            .walk(
                frames ->
                    frames
                        .filter(f -> !f.getClassName().equals(ExternalResources.class.getName()))
                        .findFirst()
                        .map(
                            f -> f.getClassName().replaceAll(".*\\.", "") + "." + f.getMethodName())
                        .orElse("a test"));
    System.err.println("SKIPPED " + where + ": " + message);
    Assumptions.abort(message);
  }

  private static final java.util.concurrent.atomic.AtomicInteger DATABASES =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Creates a new, empty database on the PostgreSQL server whose admin URL {@code .ci/run} passes
   * in {@code JBUTLER_TEST_POSTGRES_URL}, and returns its URL (skips, or fails under CI, when the
   * variable is unset).
   */
  public static String newPostgresDatabase() throws java.sql.SQLException {
    String admin =
        requiredEnv(
            "JBUTLER_TEST_POSTGRES_URL",
            "run .ci/postgres DIR to start a server and export the URL it prints");
    String db = "jbutler_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (var c = java.sql.DriverManager.getConnection(admin);
        var s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + db);
      s.execute("CREATE DATABASE " + db);
    }
    return admin.replaceFirst("/postgres\\?", "/" + db + "?");
  }
}
