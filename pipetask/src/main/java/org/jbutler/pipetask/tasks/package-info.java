/**
 * Tasks that ship with pipetask for trying pipelines and measuring the machinery: {@link
 * org.jbutler.pipetask.tasks.NoopTask} (one small output per data ID) and {@link
 * org.jbutler.pipetask.tasks.NoopSumTask} (a gather), whose connections are set by their configs.
 */
package org.jbutler.pipetask.tasks;
