package org.jbutler.butler.cli;

import java.nio.file.Path;
import org.jbutler.butler.Butler;
import org.jbutler.butler.skymap.DiscreteSkyMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code butler register-skymap REPO -C CONFIG.yaml}: the skymap package's command. */
@Command(
    name = "register-skymap",
    mixinStandardHelpOptions = true,
    description =
        "Define a discrete skymap from a YAML config (name, raList, decList, radiusList, pixelScale,"
            + " patchInnerDimensions, patchBorder, tractOverlap) and write its skymap, tract and"
            + " patch records with their sky regions. Re-running with the same config changes"
            + " nothing; another config under the same name is refused.")
final class RegisterSkyMapCommand extends RepoCommand {

  @Option(
      names = {"-C", "--config-file"},
      required = true,
      paramLabel = "FILE",
      description = "The skymap's YAML config.")
  Path configFile;

  @Override
  public Integer call() {
    DiscreteSkyMap skymap = new DiscreteSkyMap(DiscreteSkyMap.Config.read(configFile));
    try (Butler b = open()) {
      boolean wrote = skymap.register(b.registry());
      int patches = skymap.tracts().stream().mapToInt(t -> skymap.patches(t).size()).sum();
      out()
          .println(
              wrote
                  ? "Registered skymap "
                      + skymap.config().name()
                      + ": "
                      + skymap.tracts().size()
                      + " tract(s), "
                      + patches
                      + " patch(es)."
                  : "Skymap "
                      + skymap.config().name()
                      + " is already registered; nothing changed.");
    }
    return 0;
  }
}
