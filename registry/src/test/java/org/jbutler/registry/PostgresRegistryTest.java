package org.jbutler.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.junit.jupiter.api.Test;

/**
 * The registry contract on a real PostgreSQL server. {@code .ci/run} starts one and passes its
 * admin URL in {@code JBUTLER_TEST_POSTGRES_URL}; each test gets a new database.
 */
class PostgresRegistryTest extends RegistryContractTest {

  @Override
  String newDatabaseUrl() throws Exception {
    return TestDatabases.postgres();
  }

  /**
   * The database itself refuses overlapping validity ranges (an exclusion constraint), so that two
   * processes certifying at once cannot both succeed.
   */
  @Test
  void theDatabaseRefusesOverlappingCertifications() throws Exception {
    registry.insertDimensionRecords(
        "instrument", List.of(DimensionRecord.of(u.element("instrument"), Map.of("name", "Cam1"))));
    registry.insertDimensionRecords(
        "detector",
        List.of(
            DimensionRecord.of(
                u.element("detector"), Map.of("instrument", "Cam1", "id", 1, "full_name", "D1"))));
    DatasetType bias = DatasetType.calibration("bias", u.group("detector"), "ExposureF");
    registry.registerDatasetType(bias);
    registry.registerCollection("run", CollectionType.RUN, null);
    registry.registerCollection("calib", CollectionType.CALIBRATION, null);
    DataCoordinate d1 = DataCoordinate.ofRequired(u.group("detector"), "Cam1", 1);
    List<DatasetRef> refs =
        registry.insertDatasets("bias", List.of(d1), "run", DatasetIdGenerationMode.UNIQUE);
    registry.certify("calib", refs, Timespan.of(100, 200));
    try (var c = DriverManager.getConnection(url);
        var s =
            c.prepareStatement(
                "INSERT INTO dataset_calibs_00000001 (dataset_type_id, dataset_id, collection_id,"
                    + " instrument, detector, timespan_begin, timespan_end)"
                    + " SELECT dataset_type_id, dataset_id, collection_id, instrument, detector,"
                    + " 150, 250 FROM dataset_calibs_00000001")) {
      SQLException e = catchThrowableOfType(SQLException.class, s::executeUpdate);
      assertThat(e.getSQLState()).isEqualTo("23P01");
    }
  }
}
