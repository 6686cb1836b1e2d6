/**
 * API: quantum graphs. {@link org.jbutler.pipetask.graph.QuantumGraph} (the quanta of a pipeline
 * run and the datasets between them) and {@link org.jbutler.pipetask.graph.QuantumGraphBuilder},
 * which makes one from a pipeline and the registry, as {@code pipetask qgraph} does.
 */
package org.jbutler.pipetask.graph;
