package org.jbutler.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jbutler.schema.exceptions.InvalidConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * daf_butler's {@code --options-file/-@}: a YAML file of default option values per subcommand
 * ({@code query-datasets: {collections: [a, b], where: "..."}}); values given on the command line
 * win. Keys are option names without the leading dashes ({@code find-first} or {@code find_first}).
 */
final class OptionsFile implements CommandLine.IDefaultValueProvider {

  private final Map<String, Map<String, Object>> byCommand = new LinkedHashMap<>();

  /**
   * Loads a file, checking every command and option it names against the command tree.
   *
   * @throws InvalidConfigException naming the file and the unknown name
   */
  @SuppressWarnings("unchecked")
  void load(Path file, CommandSpec root) {
    Object doc;
    try {
      doc = org.jbutler.schema.Yaml.lenient().readValue(file.toFile(), Object.class);
    } catch (IOException e) {
      throw new InvalidConfigException(
          "Cannot read the options file " + file + ": " + e.getMessage(), e);
    }
    if (!(doc instanceof Map<?, ?> top)) {
      throw new InvalidConfigException(
          "The options file " + file + " must map subcommand names to their options.");
    }
    for (Map.Entry<?, ?> e : top.entrySet()) {
      String command = String.valueOf(e.getKey());
      CommandLine sub = root.subcommands().get(command);
      if (sub == null) {
        throw new InvalidConfigException(
            "The options file " + file + " names '" + command + "', which is not a subcommand.");
      }
      if (!(e.getValue() instanceof Map<?, ?> options)) {
        throw new InvalidConfigException(
            "In " + file + ", '" + command + "' must map option names to values.");
      }
      Map<String, Object> mine = new LinkedHashMap<>();
      for (Map.Entry<?, ?> o : options.entrySet()) {
        String name = String.valueOf(o.getKey()).replaceFirst("^-+", "").replace('_', '-');
        if (sub.getCommandSpec().findOption("--" + name) == null) {
          throw new InvalidConfigException(
              "In " + file + ", " + command + " has no option --" + name + ".");
        }
        mine.put(name, o.getValue());
      }
      byCommand.put(command, mine);
    }
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.command() == null) {
      return null;
    }
    Map<String, Object> mine = byCommand.get(option.command().name());
    if (mine == null) {
      return null;
    }
    Object value = mine.get(option.longestName().replaceFirst("^-+", ""));
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      String split = option.splitRegex();
      if (split.isEmpty() && list.size() > 1) {
        throw new InvalidConfigException(
            "The options file gives "
                + list.size()
                + " values for "
                + option.longestName()
                + ", which takes one.");
      }
      return list.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    return String.valueOf(value);
  }
}
