package org.jbutler.schema.dimensions;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BadDimensionConfigTest {

  private static final String HEAD = "version: 1\nnamespace: test\nelements:\n";

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        Arguments.of(
            "unknown element referenced",
            HEAD + "  detector:\n    keys: [{name: id, type: int}]\n    requires: [instrumnt]\n",
            new String[] {"element 'detector'", "unknown element 'instrumnt'"}),
        Arguments.of(
            "cycle",
            HEAD
                + "  a:\n    keys: [{name: id, type: int}]\n    requires: [b]\n"
                + "  b:\n    keys: [{name: id, type: int}]\n    implies: [a]\n",
            new String[] {"elements a, b", "cycle"}),
        Arguments.of(
            "self cycle",
            HEAD + "  a:\n    keys: [{name: id, type: int}]\n    requires: [a]\n",
            new String[] {"elements a", "cycle"}),
        Arguments.of(
            "primary key of unsupported type",
            HEAD + "  a:\n    keys: [{name: id, type: float}]\n",
            new String[] {"element 'a'", "column 'id'", "not 'float'"}),
        Arguments.of(
            "unknown column type",
            HEAD
                + "  a:\n    keys: [{name: id, type: int}]\n    metadata: [{name: m, type: blob}]\n",
            new String[] {"metadata column 'm'", "unsupported type 'blob'"}),
        Arguments.of(
            "keys and always_join",
            HEAD + "  a:\n    keys: [{name: id, type: int}]\n    always_join: true\n",
            new String[] {"element 'a'", "always_join"}),
        Arguments.of(
            "no keys and no requires",
            HEAD + "  a:\n    doc: nothing\n",
            new String[] {"element 'a'", "must require at least one dimension"}),
        Arguments.of(
            "governor with requires",
            HEAD
                + "  i:\n    keys: [{name: name, type: string, length: 8}]\n"
                + "  g:\n    keys: [{name: id, type: int}]\n    requires: [i]\n    governor: true\n",
            new String[] {"element 'g'", "governor"}),
        Arguments.of(
            "string without length",
            HEAD + "  a:\n    keys: [{name: name, type: string}]\n",
            new String[] {"keys column 'name'", "positive 'length'"}),
        Arguments.of(
            "misspelt key",
            HEAD + "  a:\n    keys: [{name: id, type: int}]\n    requries: [b]\n",
            new String[] {"element 'a'", "unknown key 'requries'", "did you mean 'requires'"}),
        Arguments.of(
            "duplicate element",
            HEAD
                + "  a:\n    keys: [{name: id, type: int}]\n  a:\n    keys: [{name: id, type: int}]\n",
            new String[] {"not valid YAML", "Duplicate field 'a'"}),
        Arguments.of(
            "duplicate column",
            HEAD
                + "  a:\n    keys: [{name: id, type: int}]\n    metadata: [{name: id, type: int}]\n",
            new String[] {"element 'a'", "column 'id' is defined twice"}),
        Arguments.of(
            "requires a combination",
            HEAD
                + "  a:\n    keys: [{name: id, type: int}]\n"
                + "  c:\n    requires: [a]\n"
                + "  d:\n    keys: [{name: id, type: int}]\n    requires: [c]\n",
            new String[] {"element 'd'", "'c', which has no keys"}),
        Arguments.of(
            "unknown common skypix",
            "version: 1\nskypix:\n  common: htm9\n  htm: {max_level: 8}\nelements:\n"
                + "  a:\n    keys: [{name: id, type: int}]\n",
            new String[] {"skypix", "'htm9'"}),
        Arguments.of(
            "topology names unknown element",
            HEAD
                + "  a:\n    keys: [{name: id, type: int}]\n"
                + "topology:\n  temporal:\n    times: [a, b]\n",
            new String[] {"topology.temporal.times", "unknown element 'b'"}),
        Arguments.of(
            "missing version",
            "elements:\n  a:\n    keys: [{name: id, type: int}]\n",
            new String[] {"'version' must be an integer"}),
        Arguments.of("not a mapping", "- a\n- b\n", new String[] {"top level"}),
        Arguments.of("not YAML", "elements: [unclosed\n", new String[] {"not valid YAML"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void badConfigIsRejectedWithAMessageNamingTheProblem(
      String description, String yaml, String[] fragments) {
    var thrown =
        assertThatThrownBy(() -> DimensionUniverse.fromYaml(yaml))
            .as(description)
            .isInstanceOf(InvalidConfigException.class);
    for (String f : fragments) {
      thrown.hasMessageContaining(f);
    }
  }
}
