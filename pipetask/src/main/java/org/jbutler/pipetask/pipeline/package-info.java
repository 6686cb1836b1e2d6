/**
 * API: pipelines. {@link org.jbutler.pipetask.pipeline.Pipeline} reads and edits pipe_base's
 * pipeline YAML (imports, parameters, subsets, contracts, steps, label expressions); {@link
 * org.jbutler.pipetask.pipeline.PipelineGraph} resolves it into tasks with their configs ({@link
 * org.jbutler.pipetask.pipeline.TaskConfig}) and connections, checked against each other and,
 * optionally, a repository's dataset types.
 */
package org.jbutler.pipetask.pipeline;
