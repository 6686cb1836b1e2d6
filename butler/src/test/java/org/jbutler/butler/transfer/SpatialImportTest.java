package org.jbutler.butler.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jbutler.butler.Butler;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.region.ConvexPolygon;
import org.jbutler.schema.region.Region;
import org.jbutler.testing.ExternalResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * daf_butler's own spatial test export ({@code base.yaml} then {@code spatial.yaml}) imports with
 * its regions as regions and the skymap hash as bytes, and records write back out with the same hex
 * and a {@code !!binary} hash.
 */
class SpatialImportTest {

  @TempDir Path dir;

  private Path export(String file) throws Exception {
    Path d = Files.createDirectories(dir.resolve(file.replace(".yaml", "")));
    Files.copy(
        ExternalResources.sharedFile("reference/daf_butler_tests/" + file),
        d.resolve(ExportFormat.EXPORT_FILE));
    return d;
  }

  @Test
  void regionsAndHashesCrossBothWays() throws Exception {
    Path base = export("base.yaml");
    Path spatial = export("spatial.yaml");
    Set<String> given = new HashSet<>();
    Matcher m =
        Pattern.compile("encoded: ([0-9a-f]+)")
            .matcher(Files.readString(spatial.resolve(ExportFormat.EXPORT_FILE)));
    while (m.find()) {
      given.add(m.group(1));
    }
    try (Butler b = Butler.create(dir.resolve("repo"), Map.of(), null)) {
      RepoTransfer.importFrom(b, base, null, null, false);
      RepoTransfer.ImportSummary s = RepoTransfer.importFrom(b, spatial, null, null, false);
      assertThat(s.records()).isEqualTo(26);
      Set<String> stored = new HashSet<>();
      for (String element : List.of("visit", "visit_detector_region", "tract", "patch")) {
        for (DimensionRecord r : b.registry().fetchDimensionRecords(element)) {
          Region region = r.region().orElseThrow();
          assertThat(region).isInstanceOf(ConvexPolygon.class);
          stored.add(region.encodeHex());
          String yaml = ExportFormat.dumper().dump(ExportFormat.recordToYaml(r));
          assertThat(yaml).contains("!<lsst.sphgeom.ConvexPolygon>").contains(region.encodeHex());
        }
      }
      assertThat(stored).isEqualTo(given); // every region, byte for byte
      DimensionRecord skymap = b.registry().fetchDimensionRecords("skymap").get(0);
      String yaml = ExportFormat.dumper().dump(ExportFormat.recordToYaml(skymap));
      assertThat(yaml).contains("hash: !!binary");
      assertThat(ExportFormat.loader().<Map<String, Object>>load(yaml).get("hash"))
          .isEqualTo(
              "notreallyahashofanything!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
  }
}
