/** PipelineTask, pipelines, quantum graphs, executors and the pipetask command-line tool. */
package org.jbutler.pipetask;
