package org.jbutler.schema;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.exceptions.ButlerException;

/**
 * Dataset ID generation, compatible with daf_butler: UUIDv7 for unique IDs, and UUIDv5 in
 * daf_butler's namespace over the same key string for deterministic ones, so the same inputs give
 * the same IDs in both systems.
 */
public final class DatasetIds {

  /** daf_butler's namespace for deterministic dataset IDs: uuid5(NAMESPACE_DNS, "lsst.org"). */
  public static final UUID NAMESPACE = UUID.fromString("840b31d9-05cd-5161-b2c8-00d32b280d0f");

  /** daf_butler's namespace for mapping legacy integer dataset IDs to UUIDs (version 3). */
  public static final UUID LEGACY_INTEGER_NAMESPACE =
      UUID.fromString("4d4851f4-2890-4d41-8779-5f38a3f5062b");

  private static final SecureRandom SEEDS = new SecureRandom();
  private static final ThreadLocal<SplittableRandom> RANDOM =
      ThreadLocal.withInitial(() -> new SplittableRandom(SEEDS.nextLong()));

  private DatasetIds() {}

  /** Returns a new time-ordered random UUID (RFC 9562 version 7) for the current time. */
  public static UUID newUnique() {
    return uuid7(System.currentTimeMillis(), RANDOM.get());
  }

  /**
   * Returns a version-7 UUID with the given Unix time in milliseconds and random bits.
   *
   * @param unixMillis the timestamp placed in the top 48 bits
   * @param random where the remaining 74 bits come from
   */
  public static UUID uuid7(long unixMillis, SplittableRandom random) {
    long msb = (unixMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }

  /**
   * Returns the ID of a new dataset.
   *
   * @param mode how to choose it
   * @param datasetType the dataset's type (its name goes into deterministic IDs)
   * @param dataId the dataset's data ID (its required values go into deterministic IDs)
   * @param run the RUN collection (goes into {@link DatasetIdGenerationMode#DATAID_TYPE_RUN} IDs)
   */
  public static UUID generate(
      DatasetIdGenerationMode mode, DatasetType datasetType, DataCoordinate dataId, String run) {
    Objects.requireNonNull(mode, "mode");
    return switch (mode) {
      case UNIQUE -> newUnique();
      case DATAID_TYPE -> uuid5(NAMESPACE, keyString(datasetType.name(), null, dataId));
      case DATAID_TYPE_RUN ->
          uuid5(
              NAMESPACE, keyString(datasetType.name(), Objects.requireNonNull(run, "run"), dataId));
    };
  }

  /**
   * Returns daf_butler's key string for deterministic IDs: {@code dataset_type=NAME}, then {@code
   * run=RUN} if given, then the required data ID values sorted by dimension name, joined by commas.
   */
  public static String keyString(String datasetTypeName, String run, DataCoordinate dataId) {
    List<Map.Entry<String, Object>> items = new ArrayList<>(dataId.required().entrySet());
    items.sort(Map.Entry.comparingByKey());
    StringBuilder sb = new StringBuilder("dataset_type=").append(datasetTypeName);
    if (run != null) {
      sb.append(",run=").append(run);
    }
    for (Map.Entry<String, Object> e : items) {
      sb.append(',').append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }

  /** Returns the UUID daf_butler assigns to a legacy integer dataset ID. */
  public static UUID fromLegacyInteger(long id) {
    return nameBased("MD5", 3, LEGACY_INTEGER_NAMESPACE, Long.toString(id));
  }

  /** Returns the RFC 4122 version-5 (SHA-1) UUID of a name in a namespace. */
  public static UUID uuid5(UUID namespace, String name) {
    return nameBased("SHA-1", 5, namespace, name);
  }

  private static UUID nameBased(String algorithm, int version, UUID namespace, String name) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new ButlerException(ButlerException.Category.INTERNAL, algorithm + " unavailable", e);
    }
    ByteBuffer ns = ByteBuffer.allocate(16);
    ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
    digest.update(ns.array());
    byte[] hash = digest.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0F) | (version << 4));
    hash[8] = (byte) ((hash[8] & 0x3F) | 0x80);
    ByteBuffer b = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(b.getLong(), b.getLong());
  }
}
