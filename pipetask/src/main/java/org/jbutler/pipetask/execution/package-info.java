/**
 * API: running pipelines. {@link org.jbutler.pipetask.execution.PipelineRun} does what {@code
 * pipetask qgraph} and {@code pipetask run} do as a library call (the command line only translates
 * its options); {@link org.jbutler.pipetask.execution.GraphExecutor} is what runs a quantum graph
 * ({@link org.jbutler.pipetask.execution.GraphExecutor#local} on this machine's threads; a cluster
 * executor is another implementation, held to the same contract test); {@link
 * org.jbutler.pipetask.execution.OutputCollections} holds pipetask's collection conventions.
 */
package org.jbutler.pipetask.execution;
