package org.jbutler.butler.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jbutler.butler.Butler;
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

  @Spec CommandLine.Model.CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  Butler open() {
    return Butler.open(repo, Butler.Options.none());
  }

  Butler open(List<String> collections, String run) {
    return Butler.open(repo, new Butler.Options(collections, run, Map.of()));
  }
}
