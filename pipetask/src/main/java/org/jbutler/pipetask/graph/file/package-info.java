/**
 * API: the quantum-graph file ({@code .qgraph}), written once and read by every worker. {@link
 * org.jbutler.pipetask.graph.file.QuantumGraphFile} holds the format's constants and the static
 * entry points ({@code write}, {@code read}, {@code subgraph}, {@code open}); {@link
 * org.jbutler.pipetask.graph.file.QuantumGraphReader} is an open file that reads the whole graph, a
 * subgraph or one quantum. The writer and the shared encodings are internal. The format is
 * versioned (major/minor: a reader refuses another major version and reads older minor versions).
 */
package org.jbutler.pipetask.graph.file;
