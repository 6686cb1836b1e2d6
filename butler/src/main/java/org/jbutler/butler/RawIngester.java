package org.jbutler.butler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jbutler.butler.Butler.RawIngestReport;
import org.jbutler.butler.instrument.Instrument;
import org.jbutler.datastore.Datastore;
import org.jbutler.registry.Registry;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Progress;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * obs_base's raw ingest: headers read in parallel (after a FITS structure check), day_obs, group
 * and exposure records synced, {@code raw} datasets registered through the butler's ingest, per
 * file reports of failures and of files already in the run.
 */
final class RawIngester {

  private final Butler butler;
  private final Registry registry;
  private final Progress progress;

  RawIngester(Butler butler, Registry registry, Progress progress) {
    this.butler = butler;
    this.registry = registry;
    this.progress = progress;
  }

  /**
   * Ingests raw files of an instrument: reads their headers in parallel, creates the day_obs, group
   * and exposure records, registers {@code raw} datasets ({instrument, exposure, detector}) in a
   * run (default {@code <instrument>/raw/all}). A file that cannot be read or described
   * (unreadable, a missing card, an unknown detector or filter) is reported and skipped, with
   * nothing of it registered; the rest go in one transaction.
   *
   * @param threads header-reading threads
   * @param failFast ingest nothing if any file fails
   */
  RawIngestReport ingest(
      Instrument instrument,
      List<Path> inputs,
      String run,
      Datastore.Transfer transfer,
      int threads,
      boolean failFast) {
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (var walk = Files.walk(p)) {
          walk.filter(
                  f ->
                      Files.isRegularFile(f)
                          && f.getFileName().toString().matches("(?i).*\\.fits?(\\.gz)?$"))
              .sorted()
              .forEach(files::add);
        } catch (IOException e) {
          throw org.jbutler.schema.exceptions.IoFailureException.of("Cannot list " + p, e);
        }
      } else {
        files.add(p);
      }
    }
    String target = run != null ? run : instrument.name() + "/raw/all";
    Map<Path, String> failures = new java.util.concurrent.ConcurrentSkipListMap<>();
    Map<Path, List<Instrument.RawInfo>> infos = new java.util.concurrent.ConcurrentSkipListMap<>();
    java.util.concurrent.ForkJoinPool pool =
        new java.util.concurrent.ForkJoinPool(Math.max(1, threads));
    try (Progress.Bar bar = progress.start("Reading raw headers", files.size())) {
      pool.submit(
              () ->
                  files.parallelStream()
                      .forEach(
                          f -> {
                            try {
                              // Damaged or foreign files never reach the registry.
                              String damage = org.jbutler.datastore.FitsChecks.problem(f);
                              if (damage != null) {
                                failures.put(f, "damaged or not FITS: " + damage + ".");
                              } else {
                                infos.put(f, instrument.read(f));
                              }
                            } catch (RuntimeException e) {
                              failures.put(f, e.getMessage());
                            }
                            bar.step();
                          }))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw org.jbutler.schema.exceptions.IoFailureException.interrupted(
          "Reading raw headers stopped", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new InvalidConfigException("Reading raw headers failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdown();
    }
    var u = registry.universe();
    registry.registerDatasetType(DatasetType.of("raw", u.group("exposure", "detector"), "ImageI"));
    // A file with a detector or filter the instrument does not know, or whose exposure record
    // disagrees with one already seen, fails as a whole (all of its detectors).
    Map<List<Object>, DimensionRecord> exposures = new LinkedHashMap<>();
    List<Map<String, ?>> dataIds = new ArrayList<>();
    List<Path> good = new ArrayList<>();
    List<String> formatterNames = new ArrayList<>();
    List<Instrument.RawInfo> accepted = new ArrayList<>();
    java.util.Set<Long> detectors = new java.util.HashSet<>();
    java.util.Set<Object> filters = new java.util.HashSet<>();
    for (DimensionRecord d : registry.fetchDimensionRecords("detector")) {
      if (instrument.name().equals(d.value("instrument").orElse(null))) {
        detectors.add(((Number) d.value("id").orElseThrow()).longValue());
      }
    }
    for (DimensionRecord f : registry.fetchDimensionRecords("physical_filter")) {
      if (instrument.name().equals(f.value("instrument").orElse(null))) {
        filters.add(f.value("name").orElseThrow());
      }
    }
    String imageFormatter = new org.jbutler.datastore.FitsImageFormatter().name();
    boolean runExists = registry.queryCollections(target, Set.of(), false, true).contains(target);
    Map<Path, String> already = new java.util.TreeMap<>();
    Map<List<Object>, Path> claimed = new HashMap<>(); // (exposure, detector) -> file in this batch
    for (Map.Entry<Path, List<Instrument.RawInfo>> e : infos.entrySet()) {
      String problem = null;
      Map<List<Object>, DimensionRecord> mine = new LinkedHashMap<>();
      java.util.Set<Long> seen = new java.util.HashSet<>();
      for (Instrument.RawInfo info : e.getValue()) {
        DimensionRecord exposure = instrument.exposureRecords(registry, info).get(2);
        DimensionRecord earlier = exposures.get(List.of(info.exposure()));
        DimensionRecord mineEarlier = mine.putIfAbsent(List.of(info.exposure()), exposure);
        if (!detectors.contains(info.detector())) {
          problem =
              "detector "
                  + info.detector()
                  + " is not a detector of "
                  + instrument.name()
                  + " (register the instrument, or fix its definition).";
        } else if (!filters.contains(info.physicalFilter())) {
          problem =
              "physical filter '"
                  + info.physicalFilter()
                  + "' is not a filter of "
                  + instrument.name()
                  + ".";
        } else if ((earlier != null && !earlier.equals(exposure))
            || (mineEarlier != null && !mineEarlier.equals(exposure))) {
          problem =
              "its header describes exposure "
                  + info.exposure()
                  + " differently from another file's.";
        } else if (!seen.add(info.detector())) {
          problem = "it holds detector " + info.detector() + " twice.";
        }
        if (problem != null) {
          break;
        }
      }
      if (problem == null) {
        for (Instrument.RawInfo info : e.getValue()) {
          Path other = claimed.get(List.of(info.exposure(), info.detector()));
          if (other != null) {
            problem =
                "it holds exposure "
                    + info.exposure()
                    + ", detector "
                    + info.detector()
                    + ", as "
                    + other
                    + " does.";
            break;
          }
        }
      }
      if (problem != null) {
        failures.put(e.getKey(), problem);
        continue;
      }
      if (runExists) {
        List<String> present = new ArrayList<>();
        for (Instrument.RawInfo info : e.getValue()) {
          registry
              .findDataset(
                  "raw",
                  DataCoordinate.standardize(
                      rawDataId(instrument, info), u.group("exposure", "detector")),
                  List.of(target))
              .ifPresent(ref -> present.add(ref.id().toString()));
        }
        if (!present.isEmpty()) {
          already.put(
              e.getKey(),
              "already ingested as " + String.join(", ", present) + " in " + target + ".");
          continue;
        }
      }
      for (Instrument.RawInfo info : e.getValue()) {
        claimed.put(List.of(info.exposure(), info.detector()), e.getKey());
      }
      exposures.putAll(mine);
      for (Instrument.RawInfo info : e.getValue()) {
        dataIds.add(rawDataId(instrument, info));
        good.add(e.getKey());
        formatterNames.add(
            info.hdu() < 0
                ? null
                : org.jbutler.datastore.Formatters.nameWithParameters(
                    imageFormatter, Map.of("hdu", info.hdu())));
        accepted.add(info);
      }
    }
    if (failFast && !failures.isEmpty()) {
      return new RawIngestReport(List.of(), failures, already);
    }
    List<DatasetRef> refs =
        registry.transaction(
            () -> {
              java.util.Set<DimensionRecord> synced = new java.util.HashSet<>();
              for (Instrument.RawInfo info : accepted) {
                for (DimensionRecord rec : instrument.exposureRecords(registry, info)) {
                  if (synced.add(rec)) { // one exposure, night and group for many detectors
                    registry.syncDimensionRecord(rec.element().name(), rec, false);
                  }
                }
              }
              return good.isEmpty()
                  ? List.<DatasetRef>of()
                  : butler.ingest(
                      "raw",
                      dataIds,
                      good,
                      formatterNames,
                      target,
                      transfer,
                      DatasetIdGenerationMode.DATAID_TYPE_RUN);
            });
    return new RawIngestReport(refs, failures, already);
  }

  private static Map<String, Object> rawDataId(Instrument instrument, Instrument.RawInfo info) {
    return Map.of(
        "instrument", instrument.name(), "exposure", info.exposure(), "detector", info.detector());
  }
}
