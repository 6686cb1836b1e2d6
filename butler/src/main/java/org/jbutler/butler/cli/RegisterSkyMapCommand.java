package org.jbutler.butler.cli;

import java.nio.file.Path;
import org.jbutler.butler.Butler;
import org.jbutler.butler.skymap.SkyMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code butler register-skymap REPO -C CONFIG.yaml}: the skymap package's command. */
@Command(
    name = "register-skymap",
    mixinStandardHelpOptions = true,
    description =
        "Define a skymap from a YAML config and write its skymap, tract and patch records with"
            + " their sky regions. 'skyMap: discrete' (the default) takes raList, decList and"
            + " radiusList (tracts at given centres); 'skyMap: rings' takes numRings and raStart"
            + " (tracts tiling the sphere). Both take name, pixelScale, patchInnerDimensions,"
            + " patchBorder and tractOverlap. Re-running with the same config changes nothing;"
            + " another config under the same name is refused.")
final class RegisterSkyMapCommand extends RepoCommand {

  @Option(
      names = {"-C", "--config-file"},
      required = true,
      paramLabel = "FILE",
      description = "The skymap's YAML config.")
  Path configFile;

  @Override
  public Integer call() {
    SkyMap skymap = SkyMap.read(configFile);
    try (Butler b = open()) {
      boolean wrote = skymap.register(b.registry());
      long patches = skymap.patchCount();
      out()
          .println(
              wrote
                  ? "Registered skymap "
                      + skymap.name()
                      + ": "
                      + skymap.tracts().size()
                      + " tract(s), "
                      + patches
                      + " patch(es)."
                  : "Skymap " + skymap.name() + " is already registered; nothing changed.");
    }
    return 0;
  }
}
