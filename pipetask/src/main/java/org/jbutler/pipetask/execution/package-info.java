/**
 * API: running pipelines as library calls. {@link org.jbutler.pipetask.execution.PipelineRun} does
 * what {@code pipetask qgraph} and {@code pipetask run} do (the command line only translates its
 * options); {@link org.jbutler.pipetask.execution.OutputCollections} holds pipetask's collection
 * conventions.
 */
package org.jbutler.pipetask.execution;
