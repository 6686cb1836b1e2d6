package org.jbutler.schema;

/**
 * Progress reporting for long operations (ingest, import, export, transfer, verify). The library
 * reports to whatever the caller installs; the CLI installs a terminal progress bar when standard
 * error is a terminal, and nothing otherwise.
 */
@FunctionalInterface
public interface Progress {

  /** One operation's bar: advanced as work is done, closed at the end. */
  interface Bar extends AutoCloseable {

    /** Marks n more units done. */
    void step(long n);

    /** Marks one more unit done. */
    default void step() {
      step(1);
    }

    /** Shows a short message beside the bar (e.g. counts of failures). */
    default void message(String text) {}

    @Override
    void close();
  }

  /** Reports nothing. */
  Progress NONE =
      (task, total) ->
          new Bar() {
            @Override
            public void step(long n) {}

            @Override
            public void close() {}
          };

  /**
   * Starts reporting an operation.
   *
   * @param task what is being done ("Ingesting raws")
   * @param total units of work, or -1 if unknown
   */
  Bar start(String task, long total);
}
