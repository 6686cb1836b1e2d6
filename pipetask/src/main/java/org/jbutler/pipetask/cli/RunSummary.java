package org.jbutler.pipetask.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.cli.OutputFormat;
import org.jbutler.cli.Results;
import org.jbutler.pipetask.execution.GraphExecutor;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.pipeline.PipelineGraph;

/**
 * What {@code pipetask run} prints after a run, and its {@code --summary} file: per task (pipeline
 * order) succeeded, no work, failed, blocked and skipped quanta. The demo prints the same table.
 */
public final class RunSummary {

  private RunSummary() {}

  /** Prints the per-task table (and, for people, the total and the first failures). */
  public static void print(
      GraphExecutor.Report report,
      PipelineGraph pg,
      QuantumGraph graph,
      double seconds,
      PrintWriter out,
      OutputFormat format) {
    List<List<Object>> rows = new ArrayList<>();
    Map<String, Map<GraphExecutor.Status, Integer>> perTask = report.perTask();
    // Pipeline order; "skipped (done)" counts quanta skipped while running and those the graph
    // left out at build time as already done (--extend-run, --skip-existing-in).
    for (PipelineGraph.TaskNode t : pg.tasks()) {
      Map<GraphExecutor.Status, Integer> counts = perTask.get(t.label());
      int skippedAtBuild = graph.skippedAtBuild().getOrDefault(t.label(), 0);
      if (counts == null && skippedAtBuild == 0) {
        continue;
      }
      java.util.function.Function<GraphExecutor.Status, Integer> n =
          s -> counts == null ? 0 : counts.get(s);
      rows.add(
          List.of(
              t.label(),
              n.apply(GraphExecutor.Status.SUCCEEDED),
              n.apply(GraphExecutor.Status.NO_WORK),
              n.apply(GraphExecutor.Status.FAILED),
              n.apply(GraphExecutor.Status.BLOCKED),
              n.apply(GraphExecutor.Status.SKIPPED) + skippedAtBuild));
    }
    Results.print(
        out,
        format,
        List.of("task", "succeeded", "no work", "failed", "blocked", "skipped (done)"),
        rows);
    if (format == OutputFormat.TABLE) {
      long failed =
          report.quanta().stream().filter(q -> q.status() == GraphExecutor.Status.FAILED).count();
      out.printf(
          java.util.Locale.ROOT,
          "%d quanta in %.1f s into run %s%s%n",
          report.quanta().size(),
          seconds,
          graph.header().outputRun(),
          failed > 0 ? "; " + failed + " failed (their logs are in <label>_log)" : "");
      report.quanta().stream()
          .filter(q -> q.status() == GraphExecutor.Status.FAILED)
          .limit(10)
          .forEach(
              q -> out.println("  failed: " + q.task() + " " + q.dataId() + ": " + q.message()));
    }
    out.flush();
  }

  /** Writes every quantum's outcome as JSON ({@code --summary FILE}). */
  public static void writeJson(GraphExecutor.Report report, Path file) throws IOException {
    List<Map<String, Object>> quanta = new ArrayList<>();
    for (GraphExecutor.QuantumResult q : report.quanta()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", q.id().toString());
      m.put("task", q.task());
      m.put("dataId", q.dataId().required());
      m.put("status", q.status().name());
      m.put("message", q.message());
      m.put("seconds", q.seconds());
      quanta.add(m);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("perTask", report.perTask());
    doc.put("quanta", quanta);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
  }
}
