package org.jbutler.butler.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jbutler.butler.Butler;
import org.jbutler.cli.TerminalProgress;
import picocli.CommandLine;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A subcommand that works on a repository given as its first argument. */
abstract class RepoCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "REPO",
      description = "The repository (its directory or butler.yaml).")
  Path repo;

  @CommandLine.Option(
      names = "--progress",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Progress bars for long operations when standard error is a terminal (default;"
              + " --no-progress turns them off).")
  boolean progress;

  @Spec CommandLine.Model.CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  Butler open() {
    return withProgress(Butler.open(repo, Butler.Options.none()));
  }

  Butler open(List<String> collections, String run) {
    return withProgress(Butler.open(repo, new Butler.Options(collections, run, Map.of())));
  }

  /** Installs terminal progress bars on a butler this command opened. */
  Butler withProgress(Butler b) {
    b.setProgress(TerminalProgress.forCli(progress));
    return b;
  }
}
