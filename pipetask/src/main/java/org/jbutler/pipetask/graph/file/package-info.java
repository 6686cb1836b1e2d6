/**
 * API: the quantum-graph file ({@code .qgraph}), written once and read by every worker: {@link
 * org.jbutler.pipetask.graph.file.QuantumGraphFile} writes it and reads it whole or one quantum at
 * a time. Its format is versioned (major/minor: a reader refuses another major version and reads
 * older minor versions).
 */
package org.jbutler.pipetask.graph.file;
