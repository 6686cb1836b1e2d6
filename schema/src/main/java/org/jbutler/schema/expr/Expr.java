package org.jbutler.schema.expr;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A node of a parsed {@code where} expression. Every node knows the offset of its first character
 * in the expression text, for error messages. {@code toString} gives a normalised rendering in
 * daf_butler's style ({@code a IN (1, 2, 'X')}).
 */
public sealed interface Expr {

  /** Offset of the node's first character in the expression. */
  int pos();

  /** A number as written ({@code 1}, {@code .25}, {@code 1e2}); integral if it has no . or e. */
  record NumericLiteral(String text, int pos) implements Expr {
    /** Whether the literal is an integer. */
    public boolean isInteger() {
      return text.matches("-?\\d+");
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** A string in single quotes (no escapes, as in daf_butler). */
  record StringLiteral(String value, int pos) implements Expr {
    @Override
    public String toString() {
      return "'" + value + "'";
    }
  }

  /** A time {@code T'...'}: the text as written and its value in TAI nanoseconds. */
  record TimeLiteral(String text, long tai, int pos) implements Expr {
    @Override
    public String toString() {
      return "T'" + text + "'";
    }
  }

  /** {@code start..stop[:stride]}: integers from start to stop inclusive. */
  record RangeLiteral(long start, long stop, long stride, int pos) implements Expr {
    @Override
    public String toString() {
      return start + ".." + stop + (stride == 1 ? "" : ":" + stride);
    }
  }

  /** A name, possibly qualified: {@code detector}, {@code visit.exposure_time}, {@code a.b.c}. */
  record Identifier(String name, int pos) implements Expr {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A bind parameter {@code :name}, given a value when the query runs. */
  record BindName(String name, int pos) implements Expr {
    @Override
    public String toString() {
      return ":" + name;
    }
  }

  /** {@code NOT x}, {@code -x}, {@code +x}. */
  record UnaryOp(String op, Expr operand, int pos) implements Expr {
    @Override
    public String toString() {
      return op.equals("NOT") ? "NOT " + operand : op + operand;
    }
  }

  /** A binary operator: OR AND OVERLAPS = != < <= > >= + - * / %. */
  record BinaryOp(String op, Expr lhs, Expr rhs, int pos) implements Expr {
    @Override
    public String toString() {
      return lhs + " " + op + " " + rhs;
    }
  }

  /** {@code lhs [NOT] IN (values)}; values are literals, ranges, identifiers, binds or calls. */
  record IsIn(Expr lhs, List<Expr> values, boolean notIn, int pos) implements Expr {
    @Override
    public String toString() {
      return lhs
          + (notIn ? " NOT IN (" : " IN (")
          + values.stream().map(Object::toString).collect(Collectors.joining(", "))
          + ")";
    }
  }

  /** An expression in parentheses. */
  record Parens(Expr inner, int pos) implements Expr {
    @Override
    public String toString() {
      return "(" + inner + ")";
    }
  }

  /** A pair {@code (a, b)}: a time range whose bounds may be NULL (unbounded). */
  record Tuple(Expr first, Expr second, int pos) implements Expr {
    @Override
    public String toString() {
      return "(" + first + ", " + second + ")";
    }
  }

  /** {@code NAME(args)}; the name is upper-cased. */
  record FunctionCall(String name, List<Expr> args, int pos) implements Expr {
    @Override
    public String toString() {
      return name
          + "("
          + args.stream().map(Object::toString).collect(Collectors.joining(", "))
          + ")";
    }
  }
}
