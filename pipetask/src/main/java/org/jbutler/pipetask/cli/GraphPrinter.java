package org.jbutler.pipetask.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jbutler.butler.Butler;
import org.jbutler.cli.OutputFormat;
import org.jbutler.cli.Results;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.exceptions.ButlerException;
import org.jbutler.schema.exceptions.InvalidConfigException;

/** The graph-stage {@code --show} items and {@code --qgraph-dot}. */
final class GraphPrinter {

  /** The {@code --show} items that need a quantum graph. */
  static final Set<String> GRAPH_ITEMS = Set.of("graph", "workflow", "uri", "summary");

  private GraphPrinter() {}

  static void show(
      String item, QuantumGraph g, Butler butler, PrintWriter out, OutputFormat format) {
    switch (item) {
      case "summary" -> summary(g, out, format);
      case "graph" -> graph(g, out);
      case "workflow" -> workflow(g, out);
      case "uri" -> {
        if (butler == null) {
          throw new InvalidConfigException("--show uri needs the repository: give -b REPO.");
        }
        uris(g, butler, out);
      }
      default ->
          throw new InvalidConfigException(
              "--show " + item + ": not known; give graph, workflow, uri or summary.");
    }
    out.flush();
  }

  private static void summary(QuantumGraph g, PrintWriter out, OutputFormat format) {
    QuantumGraph.Header h = g.header();
    if (format == OutputFormat.JSON) {
      // One document for scripts.
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("quanta", g.quanta().size());
      doc.put("output_run", h.outputRun());
      doc.put("output", h.outputChain());
      doc.put("inputs", h.inputs());
      doc.put("data_query", h.dataQuery());
      doc.put("quanta_per_task", g.quantaPerTask());
      doc.put("datasets_per_type", g.datasetsPerType());
      try {
        out.println(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(doc));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    if (format == OutputFormat.TABLE) {
      out.println(
          "Quantum graph: "
              + g.quanta().size()
              + " quanta; output run "
              + h.outputRun()
              + (h.outputChain() == null ? "" : ", output chain " + h.outputChain())
              + "; inputs "
              + String.join(",", h.inputs())
              + (h.dataQuery().isEmpty() ? "" : "; data query: " + h.dataQuery()));
      out.println();
    }
    List<List<Object>> tasks = new ArrayList<>();
    g.quantaPerTask().forEach((k, v) -> tasks.add(List.of(k, v)));
    Results.print(out, format, List.of("task", "quanta"), tasks);
    if (format == OutputFormat.TABLE) {
      out.println();
    }
    List<List<Object>> types = new ArrayList<>();
    g.datasetsPerType().forEach((k, v) -> types.add(List.of(k, v)));
    Results.print(out, format, List.of("dataset type", "datasets"), types);
  }

  private static void graph(QuantumGraph g, PrintWriter out) {
    String label = null;
    for (QuantumGraph.Quantum q : g.quanta()) {
      if (!q.taskLabel().equals(label)) {
        label = q.taskLabel();
        out.println("Task " + label + ":");
      }
      out.println("  Quantum " + q.id() + " " + q.dataId());
      refs(out, "input", q.inputs());
      refs(out, "output", q.outputs());
    }
  }

  private static void refs(PrintWriter out, String kind, Map<String, List<DatasetRef>> m) {
    m.forEach(
        (conn, refs) -> {
          for (DatasetRef r : refs) {
            out.println(
                "    "
                    + kind
                    + " "
                    + conn
                    + ": "
                    + r.datasetType().name()
                    + " "
                    + r.dataId()
                    + " run="
                    + r.run()
                    + " id="
                    + r.id());
          }
        });
  }

  /** Each quantum's producers among the graph's quanta, in graph order. */
  static Map<UUID, Set<UUID>> parents(QuantumGraph g) {
    Map<UUID, UUID> producer = new HashMap<>();
    for (QuantumGraph.Quantum q : g.quanta()) {
      for (List<DatasetRef> refs : q.outputs().values()) {
        for (DatasetRef r : refs) {
          producer.put(r.id(), q.id());
        }
      }
    }
    Map<UUID, Set<UUID>> parents = new LinkedHashMap<>();
    for (QuantumGraph.Quantum q : g.quanta()) {
      Set<UUID> ps = new LinkedHashSet<>();
      for (List<DatasetRef> refs : q.inputs().values()) {
        for (DatasetRef r : refs) {
          UUID p = producer.get(r.id());
          if (p != null) {
            ps.add(p);
          }
        }
      }
      parents.put(q.id(), ps);
    }
    return parents;
  }

  private static void workflow(QuantumGraph g, PrintWriter out) {
    for (QuantumGraph.Quantum q : g.quanta()) {
      out.println("Quantum " + q.id() + ": " + q.taskLabel() + " " + q.dataId());
    }
    parents(g)
        .forEach(
            (child, ps) -> {
              for (UUID p : ps) {
                out.println("Parent Quantum " + p + " - Child Quantum " + child);
              }
            });
  }

  private static void uris(QuantumGraph g, Butler butler, PrintWriter out) {
    org.jbutler.pipetask.graph.GraphRecords records =
        new org.jbutler.pipetask.graph.GraphRecords(g, butler.registry());
    for (QuantumGraph.Quantum q : g.quanta()) {
      out.println("Quantum " + q.id() + ": " + q.taskLabel() + " " + q.dataId());
      for (String kind : List.of("input", "output")) {
        Map<String, List<DatasetRef>> side = kind.equals("input") ? q.inputs() : q.outputs();
        for (List<DatasetRef> refs : side.values()) {
          for (DatasetRef r : refs) {
            String where;
            try {
              where = butler.datastore().predictPath(records.expand(r)).toUri().toString();
            } catch (ButlerException e) {
              where = "(unknown: " + e.getMessage() + ")";
            }
            out.println(
                "  " + kind + " " + r.datasetType().name() + " " + r.dataId() + ": " + where);
          }
        }
      }
    }
  }

  /** The graph in dot: quanta as boxes, datasets as ellipses. */
  static String dot(QuantumGraph g) {
    StringBuilder sb = new StringBuilder("digraph QuantumGraph {\n  node [fontsize=10];\n");
    Set<UUID> datasets = new java.util.HashSet<>();
    for (QuantumGraph.Quantum q : g.quanta()) {
      sb.append("  \"q")
          .append(q.id())
          .append("\" [shape=box, label=\"")
          .append(escape(q.taskLabel() + "\\n" + q.dataId()))
          .append("\"];\n");
      for (String kind : List.of("input", "output")) {
        Map<String, List<DatasetRef>> side = kind.equals("input") ? q.inputs() : q.outputs();
        for (List<DatasetRef> refs : side.values()) {
          for (DatasetRef r : refs) {
            if (datasets.add(r.id())) {
              sb.append("  \"d")
                  .append(r.id())
                  .append("\" [shape=ellipse, label=\"")
                  .append(escape(r.datasetType().name() + "\\n" + r.dataId()))
                  .append("\"];\n");
            }
            if (kind.equals("input")) {
              sb.append("  \"d").append(r.id()).append("\" -> \"q").append(q.id()).append("\";\n");
            } else {
              sb.append("  \"q").append(q.id()).append("\" -> \"d").append(r.id()).append("\";\n");
            }
          }
        }
      }
    }
    return sb.append("}\n").toString();
  }

  private static String escape(String s) {
    return s.replace("\"", "\\\"");
  }
}
