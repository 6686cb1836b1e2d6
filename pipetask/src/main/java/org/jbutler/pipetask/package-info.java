/**
 * API for task authors: {@link org.jbutler.pipetask.PipelineTask}, its connections and config, the
 * {@link org.jbutler.pipetask.QuantumContext} a quantum runs with, and the outcome exceptions
 * ({@link org.jbutler.pipetask.NoWorkFound}, {@link org.jbutler.pipetask.AlgorithmError}, ...).
 * Pipelines are in {@code pipeline}, quantum graphs in {@code graph} and {@code graph.file},
 * executors and pipeline runs in {@code execution}, the command line in {@code cli}.
 */
package org.jbutler.pipetask;
