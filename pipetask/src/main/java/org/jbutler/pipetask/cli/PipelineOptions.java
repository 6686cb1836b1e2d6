package org.jbutler.pipetask.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.schema.exceptions.InvalidConfigException;
import picocli.CommandLine.Option;

/**
 * The pipeline-building options shared by {@code build}, {@code qgraph} and {@code run}: {@code -p}
 * and the modifications {@code -t}, {@code --delete}, {@code -c}, {@code -C}, {@code --instrument},
 * applied in the order given.
 */
public final class PipelineOptions {

  private String pipelineUri;
  private final List<Consumer<Pipeline>> edits = new ArrayList<>();

  @Option(
      names = {"-p", "--pipeline"},
      paramLabel = "FILE[#LABELS]",
      description = "Pipeline YAML, optionally with #a,b or #a..b to keep some tasks.")
  void pipeline(String uri) {
    this.pipelineUri = uri;
  }

  @Option(
      names = {"-t", "--task"},
      paramLabel = "CLASS[:LABEL]",
      description = "Add a task (label: the class's simple name, first letter lower case).")
  void task(String spec) {
    int colon = spec.lastIndexOf(':');
    String cls = colon < 0 ? spec : spec.substring(0, colon);
    String label;
    if (colon >= 0) {
      label = spec.substring(colon + 1);
    } else {
      String simple = cls.substring(cls.lastIndexOf('.') + 1);
      label = Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    }
    edits.add(p -> p.addTask(cls, label));
  }

  @Option(names = "--delete", paramLabel = "LABEL", description = "Remove a task.")
  void delete(String label) {
    edits.add(p -> p.deleteTask(label));
  }

  @Option(
      names = {"-c", "--config"},
      paramLabel = "LABEL:NAME=VALUE",
      description =
          "Set a config field (VALUE is read as YAML: 3, true, [1, 2], text);"
              + " parameters:NAME=VALUE sets a pipeline parameter.")
  void config(String spec) {
    int colon = spec.indexOf(':');
    int eq = spec.indexOf('=', Math.max(colon, 0));
    if (colon <= 0 || eq < 0) {
      throw new InvalidConfigException(
          "-c " + spec + ": give LABEL:NAME=VALUE, e.g. -c isr:doBias=false.");
    }
    String label = spec.substring(0, colon);
    String key = spec.substring(colon + 1, eq);
    Object value = parseValue(spec.substring(eq + 1));
    Map<String, Object> block = new LinkedHashMap<>();
    block.put(key, value);
    edits.add(p -> p.addConfig(label, block));
  }

  @Option(
      names = {"-C", "--config-file"},
      paramLabel = "LABEL:FILE",
      description = "Apply a YAML file of config fields to a task.")
  void configFile(String spec) {
    int colon = spec.indexOf(':');
    if (colon <= 0) {
      throw new InvalidConfigException("-C " + spec + ": give LABEL:FILE.");
    }
    String label = spec.substring(0, colon);
    String file = java.nio.file.Path.of(spec.substring(colon + 1)).toAbsolutePath().toString();
    edits.add(p -> p.addConfig(label, Map.of("file", file)));
  }

  @Option(names = "--instrument", paramLabel = "NAME", description = "Set the instrument.")
  void instrument(String value) {
    edits.add(p -> p.instrument(value));
  }

  /** Whether a pipeline or a task was given. */
  public boolean given() {
    return pipelineUri != null || !edits.isEmpty();
  }

  /**
   * The pipeline: loaded from {@code -p} (or empty), then modified in order.
   *
   * @throws InvalidConfigException if neither -p nor -t was given, or an edit fails
   */
  public Pipeline load() {
    if (!given()) {
      throw new InvalidConfigException("Give a pipeline with -p FILE, or tasks with -t CLASS.");
    }
    Pipeline p =
        pipelineUri == null
            ? new Pipeline("built on the command line")
            : Pipeline.load(pipelineUri);
    for (Consumer<Pipeline> e : edits) {
      e.accept(p);
    }
    return p;
  }

  private static Object parseValue(String text) {
    try {
      Object v =
          org.jbutler.schema.Yaml.lenient().readValue(text.isEmpty() ? "''" : text, Object.class);
      return v;
    } catch (IOException e) {
      return text;
    }
  }
}
