package org.jbutler.pipetask.execution;

import org.jbutler.butler.Butler;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.pipeline.PipelineGraph;

/** The in-process executor against the executor contract. */
class LocalGraphExecutorTest extends GraphExecutorContractTest {

  @Override
  GraphExecutor executor(
      Butler butler, PipelineGraph pipeline, QuantumGraph graph, GraphExecutor.Options options) {
    return GraphExecutor.local(butler, pipeline, graph, options);
  }
}
