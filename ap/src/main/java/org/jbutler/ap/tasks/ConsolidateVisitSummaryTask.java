package org.jbutler.ap.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.PipelineTask;
import org.jbutler.pipetask.QuantumContext;
import org.jbutler.pipetask.QuantumRefs;
import org.jbutler.schema.DatasetRef;

/**
 * Gathers every detector's {@code icSummary} of a visit into one {@code visitSummary}: per detector
 * PSF width, background, noise and source count, and the visit's totals and medians.
 */
public final class ConsolidateVisitSummaryTask
    extends PipelineTask<ConsolidateVisitSummaryTask.Config> {

  /** The config (nothing to set yet). */
  public record Config() {}

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config();
  }

  @Override
  public Connections connections(Config config) {
    return Connections.builder("instrument", "visit")
        .add(
            Connection.input(
                    "summaries",
                    "icSummary",
                    "StructuredDataDict",
                    "instrument",
                    "visit",
                    "detector")
                .withMultiple(),
            Connection.output(
                "visitSummary", "visitSummary", "StructuredDataDict", "instrument", "visit"))
        .build();
  }

  @Override
  @SuppressWarnings("unchecked")
  public void runQuantum(QuantumContext context, QuantumRefs inputs, QuantumRefs outputs) {
    List<DatasetRef> refs = inputs.refs("summaries");
    Map<String, Object> detectors = new LinkedHashMap<>();
    int total = 0;
    List<Double> psf = new ArrayList<>();
    List<Double> bg = new ArrayList<>();
    for (DatasetRef r : refs) {
      Map<String, Object> s = (Map<String, Object>) context.get(r);
      detectors.put(String.valueOf(r.dataId().value("detector")), s);
      total += ((Number) s.get("nSources")).intValue();
      if (s.get("psfSigma") instanceof Number n) {
        psf.add(n.doubleValue());
      }
      bg.add(((Number) s.get("background")).doubleValue());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("visit", context.dataId().value("visit"));
    out.put("detectors", refs.size());
    out.put("nSources", total);
    out.put(
        "psfSigmaMedian",
        psf.isEmpty() ? null : Isr.median(psf.stream().mapToDouble(d -> d).toArray()));
    out.put("backgroundMedian", Isr.median(bg.stream().mapToDouble(d -> d).toArray()));
    out.put("perDetector", detectors);
    log().info("Visit {}: {} sources on {} detectors", out.get("visit"), total, refs.size());
    context.put(Map.of("visitSummary", out), outputs);
  }
}
