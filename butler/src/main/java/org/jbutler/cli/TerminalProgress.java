package org.jbutler.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jbutler.schema.Progress;

/**
 * Progress bars on standard error (progressbar library), used only when there is a terminal to draw
 * on: in a pipe, a log file or a test, operations report nothing.
 */
public final class TerminalProgress implements Progress {

  /** The progress the CLI uses: bars on a terminal unless disabled, else none. */
  public static Progress forCli(boolean enabled) {
    return enabled && System.console() != null ? new TerminalProgress() : Progress.NONE;
  }

  @Override
  public Bar start(String task, long total) {
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(200)
            .setMaxRenderedLength(100)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .hideEta()
            .continuousUpdate()
            .build();
    return new Bar() {
      @Override
      public void step(long n) {
        bar.stepBy(n);
      }

      @Override
      public void message(String text) {
        bar.setExtraMessage(" " + text);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
