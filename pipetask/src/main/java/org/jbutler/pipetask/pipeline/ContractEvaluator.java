package org.jbutler.pipetask.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * Evaluates pipeline contracts: boolean expressions over task configs such as {@code
 * detect.doSkySources == filter.doRemoveSkySources} or {@code calibrate.connections.exposure ==
 * subtract.connections.science} ({@code label.connections.X} is the resolved dataset type name of
 * connection X). Python's operators: {@code == != < <= > >= and or not}, parentheses, numbers,
 * quoted strings, {@code True False None}. Function calls are not supported.
 */
final class ContractEvaluator {

  private final Map<String, JsonNode> configs;
  private final String text;
  private final List<String> tokens = new ArrayList<>();
  private int pos;

  private ContractEvaluator(Map<String, JsonNode> configs, String text) {
    this.configs = configs;
    this.text = text;
  }

  /**
   * Evaluates one contract.
   *
   * @param configs each task label's config tree
   * @throws InvalidConfigException for a malformed contract or an unknown label or field
   */
  static boolean evaluate(String contract, Map<String, JsonNode> configs) {
    ContractEvaluator e = new ContractEvaluator(configs, contract);
    e.tokenize();
    Object v = e.or();
    if (e.pos != e.tokens.size()) {
      throw e.error("unexpected '" + e.tokens.get(e.pos) + "'");
    }
    return truthy(v);
  }

  private InvalidConfigException error(String what) {
    return new InvalidConfigException("Contract '" + text + "': " + what + ".");
  }

  private void tokenize() {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        tokens.add(String.valueOf(c));
        i++;
      } else if ("=!<>".indexOf(c) >= 0) {
        if (i + 1 < text.length() && text.charAt(i + 1) == '=') {
          tokens.add(text.substring(i, i + 2));
          i += 2;
        } else if (c == '<' || c == '>') {
          tokens.add(String.valueOf(c));
          i++;
        } else {
          throw error("'" + c + "' is not an operator (use == or !=)");
        }
      } else if (c == '\'' || c == '"') {
        int end = text.indexOf(c, i + 1);
        if (end < 0) {
          throw error("unterminated string");
        }
        tokens.add(text.substring(i, end + 1));
        i = end + 1;
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.') {
        int j = i + 1;
        while (j < text.length()
            && (Character.isLetterOrDigit(text.charAt(j))
                || text.charAt(j) == '_'
                || text.charAt(j) == '.')) {
          j++;
        }
        if (j < text.length() && text.charAt(j) == '(') {
          throw error(
              "calls such as '"
                  + text.substring(i, j)
                  + "(...)' are not supported; compare config values, e.g."
                  + " label.connections.name for a connection's dataset type");
        }
        tokens.add(text.substring(i, j));
        i = j;
      } else {
        throw error("unexpected character '" + c + "'");
      }
    }
  }

  private String peek() {
    return pos < tokens.size() ? tokens.get(pos) : null;
  }

  private Object or() {
    Object left = and();
    while ("or".equals(peek())) {
      pos++;
      Object right = and();
      left = truthy(left) || truthy(right);
    }
    return left;
  }

  private Object and() {
    Object left = not();
    while ("and".equals(peek())) {
      pos++;
      Object right = not();
      left = truthy(left) && truthy(right);
    }
    return left;
  }

  private Object not() {
    if ("not".equals(peek())) {
      pos++;
      return !truthy(not());
    }
    return comparison();
  }

  private Object comparison() {
    Object left = atom();
    String op = peek();
    if (op != null && List.of("==", "!=", "<", "<=", ">", ">=").contains(op)) {
      pos++;
      Object right = atom();
      return switch (op) {
        case "==" -> equal(left, right);
        case "!=" -> !equal(left, right);
        default -> {
          int c = compare(left, right);
          yield switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
          };
        }
      };
    }
    return left;
  }

  private Object atom() {
    String t = peek();
    if (t == null) {
      throw error("it ends too early");
    }
    pos++;
    if (t.equals("(")) {
      Object v = or();
      if (!")".equals(peek())) {
        throw error("a '(' is not closed");
      }
      pos++;
      return v;
    }
    if (t.startsWith("'") || t.startsWith("\"")) {
      return t.substring(1, t.length() - 1);
    }
    switch (t) {
      case "True", "true":
        return true;
      case "False", "false":
        return false;
      case "None", "null":
        return null;
      default:
        break;
    }
    if (t.matches("-?\\d+(\\.\\d*)?([eE][-+]?\\d+)?")) {
      return Double.parseDouble(t);
    }
    return lookup(t);
  }

  private Object lookup(String path) {
    String[] parts = path.split("\\.");
    JsonNode node = configs.get(parts[0]);
    if (node == null) {
      throw error("'" + parts[0] + "' is not a task label; labels are " + configs.keySet());
    }
    for (int i = 1; i < parts.length; i++) {
      if (!node.has(parts[i])) {
        throw error(
            "task "
                + parts[0]
                + " has no config field '"
                + path.substring(parts[0].length() + 1)
                + "'");
      }
      node = node.get(parts[i]);
    }
    if (node.isNull()) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    return node.toString();
  }

  private static boolean equal(Object a, Object b) {
    return Objects.equals(a, b);
  }

  private int compare(Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return Double.compare(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    throw error("cannot order " + a + " and " + b);
  }

  private static boolean truthy(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Double d) {
      return d != 0;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    return true;
  }
}
