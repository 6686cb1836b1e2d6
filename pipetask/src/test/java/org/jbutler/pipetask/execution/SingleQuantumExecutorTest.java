package org.jbutler.pipetask.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jbutler.butler.Butler;
import org.jbutler.butler.LimitedButler;
import org.jbutler.datastore.Datastore;
import org.jbutler.pipetask.Cam1Repo;
import org.jbutler.pipetask.examples.FlakyTask;
import org.jbutler.pipetask.graph.GraphRecords;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.graph.QuantumGraphBuilder;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.DatasetRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One quantum run through nothing but a {@link LimitedButler}: reads by ref, stages outputs, and
 * records them together; a failure records only its log. The limited butler here counts what is
 * asked of it, so the test shows which calls a worker without a registry must serve.
 */
class SingleQuantumExecutorTest {

  @TempDir Path dir;

  /** Only the LimitedButler methods, delegated, with a tally. */
  private static final class Tally implements LimitedButler {
    final LimitedButler inner;
    final Map<String, Integer> calls = new HashMap<>();

    Tally(LimitedButler inner) {
      this.inner = inner;
    }

    private void count(String m) {
      calls.merge(m, 1, Integer::sum);
    }

    @Override
    public Object get(DatasetRef ref, Map<String, Object> parameters) {
      count("get");
      return inner.get(ref, parameters);
    }

    @Override
    public DatasetRef put(Object object, DatasetRef ref) {
      count("put");
      return inner.put(object, ref);
    }

    @Override
    public boolean exists(DatasetRef ref) {
      count("exists");
      return inner.exists(ref);
    }

    @Override
    public Datastore.Written stage(Object object, DatasetRef ref) {
      count("stage");
      return inner.stage(object, ref);
    }

    @Override
    public void registerWritten(List<Datastore.Written> written) {
      count("registerWritten");
      inner.registerWritten(written);
    }

    @Override
    public void purge(List<DatasetRef> refs) {
      count("purge");
      inner.purge(refs);
    }
  }

  @Test
  void aQuantumNeedsOnlyALimitedButler() {
    try (Butler butler = Cam1Repo.create(dir.resolve("repo"), new HashMap<>())) {
      PipelineGraph pg =
          PipelineGraph.build(
              Pipeline.fromYaml(
                  "description: one\ninstrument: Cam1\ntasks:\n  flaky:\n    class: "
                      + FlakyTask.class.getName()
                      + "\n    config: {failDetector: 2}\n"),
              butler.registry());
      QuantumGraph g =
          QuantumGraphBuilder.build(
              pg,
              butler.registry(),
              new QuantumGraphBuilder.Request(
                  List.of("raw/run"),
                  "out",
                  null,
                  "instrument = 'Cam1'",
                  Map.of(),
                  "all",
                  List.of(),
                  false,
                  "single"));
      g.datasetTypes().values().forEach(butler.registry()::registerDatasetType);
      GraphRecords records = new GraphRecords(g, butler.registry());
      Tally limited = new Tally(butler);
      Set<UUID> recorded = new HashSet<>();
      SingleQuantumExecutor single =
          new SingleQuantumExecutor(
              limited,
              pg,
              new SingleQuantumExecutor.Environment() {
                @Override
                public boolean recorded(DatasetRef ref) {
                  return recorded.contains(ref.id());
                }

                @Override
                public boolean available(DatasetRef input) {
                  return true;
                }

                @Override
                public DatasetRef expand(DatasetRef ref) {
                  return records.expand(ref);
                }

                @Override
                public Map<String, Object> initInputs(String label) {
                  return Map.of();
                }

                @Override
                public String configHash(String label) {
                  return "0123456789abcdef";
                }
              });
      List<GraphExecutor.Status> statuses = new ArrayList<>();
      int produced = 0;
      for (QuantumGraph.Quantum q : g.quanta()) {
        SingleQuantumExecutor.Outcome o = single.execute(q, new AtomicBoolean());
        statuses.add(o.result().status());
        produced += o.produced().size();
      }
      assertThat(statuses)
          .containsOnly(GraphExecutor.Status.SUCCEEDED, GraphExecutor.Status.FAILED)
          .filteredOn(s -> s == GraphExecutor.Status.FAILED)
          .hasSize(3);
      assertThat(produced).isEqualTo(3); // the scaled images of the 3 good quanta
      // Every quantum recorded once, all at once: 3 x (scaled, metadata, log) + 3 failed logs.
      assertThat(limited.calls).containsEntry("registerWritten", 6).containsEntry("stage", 12);
      assertThat(limited.calls).containsEntry("get", 3).doesNotContainKeys("put", "purge");
      assertThat(
              butler
                  .registry()
                  .queryDatasets("flaky_log", List.of("out"), DataQuery.all())
                  .toList())
          .hasSize(6);
      assertThat(
              butler
                  .registry()
                  .queryDatasets("flaky_metadata", List.of("out"), DataQuery.all())
                  .toList())
          .hasSize(3);
      assertThat(butler.datastore().verify().ok()).isTrue();
    }
  }
}
