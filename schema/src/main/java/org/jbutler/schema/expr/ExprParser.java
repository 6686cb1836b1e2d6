package org.jbutler.schema.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jbutler.schema.Times;
import org.jbutler.schema.exceptions.InvalidQueryException;
import org.jbutler.schema.exceptions.InvalidTimeException;
import org.jbutler.schema.expr.Expr.BinaryOp;
import org.jbutler.schema.expr.Expr.BindName;
import org.jbutler.schema.expr.Expr.FunctionCall;
import org.jbutler.schema.expr.Expr.Identifier;
import org.jbutler.schema.expr.Expr.IsIn;
import org.jbutler.schema.expr.Expr.NumericLiteral;
import org.jbutler.schema.expr.Expr.Parens;
import org.jbutler.schema.expr.Expr.RangeLiteral;
import org.jbutler.schema.expr.Expr.StringLiteral;
import org.jbutler.schema.expr.Expr.TimeLiteral;
import org.jbutler.schema.expr.Expr.Tuple;
import org.jbutler.schema.expr.Expr.UnaryOp;

/**
 * Parses daf_butler's {@code where} language (reference §6.1-6.2) into an {@link Expr} tree.
 *
 * <p>Precedence from low to high: {@code OR}, {@code AND}, {@code OVERLAPS}, {@code = !=}, {@code <
 * <= > >=}, {@code [NOT] IN}, {@code + -}, {@code * / %}, unary {@code + -}. {@code NOT} applies to
 * everything up to the next {@code AND} or {@code OR}, as in SQL. Reserved words are
 * case-insensitive. An empty expression parses to an empty result (no constraint).
 *
 * <p>Errors are {@link InvalidQueryException}s that name the offending token and its line and
 * column, and show the expression with a caret under it.
 */
public final class ExprParser {

  private enum Kind {
    NUMBER,
    STRING,
    TIME,
    RANGE,
    IDENT,
    BIND,
    OP,
    KEYWORD,
    END
  }

  private record Token(Kind kind, String text, int pos, Object value) {}

  private static final Set<String> KEYWORDS = Set.of("IN", "OR", "AND", "NOT", "OVERLAPS");
  private static final Pattern RANGE =
      Pattern.compile("(-?\\d+)[ \\t]*\\.\\.[ \\t]*(-?\\d+)([ \\t]*:[ \\t]*([1-9]\\d*))?");
  private static final Pattern NUMBER =
      Pattern.compile("\\d+(\\.\\d*)?([eE][-+]?\\d+)?|\\.\\d+([eE][-+]?\\d+)?");
  private static final Pattern IDENT =
      Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*(\\.[a-zA-Z_][a-zA-Z0-9_]*){0,2}");
  private static final Pattern BIND = Pattern.compile(":[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> REGION_FUNCTIONS =
      Set.of("POINT", "CIRCLE", "BOX", "POLYGON", "REGION");

  private final String text;
  private final List<Token> tokens;
  private int next;

  private ExprParser(String text) {
    this.text = text;
    this.tokens = lex(text);
  }

  /**
   * Parses an expression.
   *
   * @return the tree, or empty for a blank expression (no constraint)
   * @throws InvalidQueryException for a syntax error, with its position
   */
  public static Optional<Expr> parse(String expression) {
    if (expression == null || expression.isBlank()) {
      return Optional.empty();
    }
    ExprParser p = new ExprParser(expression);
    Expr e = p.expr(0);
    if (p.peek().kind() != Kind.END) {
      throw p.error(p.peek(), "unexpected '" + p.peek().text() + "'");
    }
    return Optional.of(e);
  }

  // ------------------------------------------------------------------ lexer

  private List<Token> lex(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
        continue;
      }
      boolean afterOperand = !out.isEmpty() && isOperandEnd(out.get(out.size() - 1));
      Matcher m;
      if ((Character.isDigit(c) || (c == '-' && !afterOperand))
          && (m = RANGE.matcher(s).region(i, s.length())).lookingAt()) {
        long stride = m.group(4) == null ? 1 : parseLong(m.group(4), i);
        out.add(
            new Token(
                Kind.RANGE,
                m.group(),
                i,
                new long[] {parseLong(m.group(1), i), parseLong(m.group(2), i), stride}));
        i = m.end();
      } else if ((Character.isDigit(c) || c == '.')
          && (m = NUMBER.matcher(s).region(i, s.length())).lookingAt()) {
        out.add(new Token(Kind.NUMBER, m.group(), i, null));
        i = m.end();
      } else if ((c == 'T' || c == 't') && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
        int end = s.indexOf('\'', i + 2);
        if (end < 0) {
          throw error(i, "T'", "unterminated time literal");
        }
        out.add(new Token(Kind.TIME, s.substring(i + 2, end), i, null));
        i = end + 1;
      } else if (c == '\'') {
        int end = s.indexOf('\'', i + 1);
        if (end < 0) {
          throw error(i, "'", "unterminated string (strings are in single quotes)");
        }
        out.add(new Token(Kind.STRING, s.substring(i + 1, end), i, null));
        i = end + 1;
      } else if (c == ':') {
        m = BIND.matcher(s).region(i, s.length());
        if (!m.lookingAt()) {
          throw error(i, ":", "a bind name is ':' followed by a letter or '_'");
        }
        out.add(new Token(Kind.BIND, m.group().substring(1), i, null));
        i = m.end();
      } else if (Character.isLetter(c) || c == '_') {
        m = IDENT.matcher(s).region(i, s.length());
        if (!m.lookingAt() || !isAscii(m.group())) {
          throw error(i, String.valueOf(c), "identifiers are ASCII letters, digits and '_'");
        }
        String word = m.group();
        String upper = word.toUpperCase(Locale.ROOT);
        if (KEYWORDS.contains(upper)) {
          out.add(new Token(Kind.KEYWORD, upper, i, null));
        } else {
          out.add(new Token(Kind.IDENT, word, i, null));
        }
        i = m.end();
      } else {
        String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
        if (two.equals("!=") || two.equals("<=") || two.equals(">=")) {
          out.add(new Token(Kind.OP, two, i, null));
          i += 2;
        } else if ("=<>()+-*/%,".indexOf(c) >= 0) {
          out.add(new Token(Kind.OP, String.valueOf(c), i, null));
          i++;
        } else {
          throw error(i, String.valueOf(c), "unexpected character '" + c + "'");
        }
      }
    }
    out.add(new Token(Kind.END, "end of expression", s.length(), null));
    return out;
  }

  private static boolean isAscii(String s) {
    return s.chars().allMatch(ch -> ch < 128);
  }

  private static boolean isOperandEnd(Token t) {
    return switch (t.kind()) {
      case NUMBER, STRING, TIME, RANGE, IDENT, BIND -> true;
      case OP -> t.text().equals(")");
      default -> false;
    };
  }

  private long parseLong(String digits, int pos) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw error(pos, digits, "integer out of range");
    }
  }

  // ------------------------------------------------------------------ parser

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    return tokens.get(next++);
  }

  private boolean at(String opOrKeyword) {
    Token t = peek();
    return (t.kind() == Kind.OP || t.kind() == Kind.KEYWORD) && t.text().equals(opOrKeyword);
  }

  private Token expect(String op) {
    if (!at(op)) {
      throw error(peek(), "expected '" + op + "' but found " + describe(peek()));
    }
    return take();
  }

  private static String describe(Token t) {
    return t.kind() == Kind.END ? "the end of the expression" : "'" + t.text() + "'";
  }

  private static int precedence(Token t) {
    if (t.kind() != Kind.OP && t.kind() != Kind.KEYWORD) {
      return -1;
    }
    return switch (t.text()) {
      case "OR" -> 1;
      case "AND" -> 2;
      case "OVERLAPS" -> 3;
      case "=", "!=" -> 4;
      case "<", "<=", ">", ">=" -> 5;
      case "IN", "NOT" -> 6; // NOT here only as the start of NOT IN
      case "+", "-" -> 7;
      case "*", "/", "%" -> 8;
      default -> -1;
    };
  }

  private static final int PREC_AND = 2;

  /** Precedence climbing: parses operators binding tighter than {@code min}. */
  private Expr expr(int min) {
    Expr lhs = unary();
    while (true) {
      Token op = peek();
      int prec = precedence(op);
      if (prec <= min) {
        return lhs;
      }
      if (op.text().equals("IN") || op.text().equals("NOT")) {
        lhs = isIn(lhs);
        continue;
      }
      take();
      Expr rhs = expr(prec);
      lhs = new BinaryOp(op.text(), lhs, rhs, lhs.pos());
    }
  }

  private Expr isIn(Expr lhs) {
    boolean not = false;
    if (at("NOT")) {
      take();
      not = true;
      if (!at("IN")) {
        throw error(peek(), "expected IN after NOT but found " + describe(peek()));
      }
    }
    take(); // IN
    expect("(");
    List<Expr> values = new ArrayList<>();
    if (at(")")) {
      throw error(peek(), "an IN list needs at least one value");
    }
    do {
      values.add(listItem());
    } while (at(",") && take() != null);
    expect(")");
    return new IsIn(lhs, values, not, lhs.pos());
  }

  /** An IN-list item: a literal, range, identifier, bind or function call; no expressions. */
  private Expr listItem() {
    Token t = peek();
    if (t.kind() == Kind.OP && (t.text().equals("-") || t.text().equals("+"))) {
      take();
      Token n = peek();
      if (n.kind() != Kind.NUMBER) {
        throw error(n, "expected a number after '" + t.text() + "' in an IN list");
      }
      take();
      return new NumericLiteral(t.text().equals("-") ? "-" + n.text() : n.text(), t.pos());
    }
    Expr e = primary();
    if (e instanceof Parens || e instanceof Tuple) {
      throw error(t, "IN lists hold literals, names, binds and ranges, not expressions");
    }
    return e;
  }

  private Expr unary() {
    Token t = peek();
    if (at("NOT")) {
      take();
      // As in SQL, NOT applies to a whole comparison: NOT a = 1 is NOT (a = 1).
      return new UnaryOp("NOT", expr(PREC_AND), t.pos());
    }
    if (at("-") || at("+")) {
      take();
      return new UnaryOp(t.text(), unary(), t.pos());
    }
    return primary();
  }

  private Expr primary() {
    Token t = take();
    switch (t.kind()) {
      case NUMBER:
        return new NumericLiteral(t.text(), t.pos());
      case STRING:
        return new StringLiteral(t.text(), t.pos());
      case TIME:
        try {
          return new TimeLiteral(t.text(), Times.parseLiteral(t.text()), t.pos());
        } catch (InvalidTimeException e) {
          throw error(t, "bad time literal '" + t.text() + "': " + e.getMessage());
        }
      case RANGE:
        long[] r = (long[]) t.value();
        return new RangeLiteral(r[0], r[1], r[2], t.pos());
      case BIND:
        return new BindName(t.text(), t.pos());
      case IDENT:
        if (at("(")) {
          return call(t);
        }
        return new Identifier(t.text(), t.pos());
      case OP:
        if (t.text().equals("(")) {
          Expr first = expr(0);
          if (at(",")) {
            take();
            Expr second = expr(0);
            if (at(",")) {
              throw error(peek(), "only pairs (a, b) are allowed, for time ranges");
            }
            expect(")");
            return new Tuple(first, second, t.pos());
          }
          expect(")");
          return new Parens(first, t.pos());
        }
        throw error(t, "unexpected '" + t.text() + "'");
      default:
        throw error(
            t,
            t.kind() == Kind.END
                ? "the expression ends where a value was expected"
                : "unexpected " + describe(t));
    }
  }

  private Expr call(Token nameToken) {
    if (nameToken.text().contains(".")) {
      throw error(nameToken, "'" + nameToken.text() + "' is not a function (names with dots)");
    }
    String name = nameToken.text().toUpperCase(Locale.ROOT);
    take(); // (
    List<Expr> args = new ArrayList<>();
    if (!at(")")) {
      do {
        args.add(expr(0));
      } while (at(",") && take() != null);
    }
    expect(")");
    checkCall(nameToken, name, args);
    return new FunctionCall(name, args, nameToken.pos());
  }

  private void checkCall(Token at, String name, List<Expr> args) {
    switch (name) {
      case "GLOB" -> {
        if (args.size() != 2) {
          throw error(at, "GLOB takes two arguments: GLOB(column, 'pattern')");
        }
        if (!(unwrap(args.get(0)) instanceof Identifier)) {
          throw error(at, "GLOB's first argument must be an identifier");
        }
        Expr p = unwrap(args.get(1));
        if (!(p instanceof StringLiteral) && !(p instanceof BindName)) {
          throw error(at, "GLOB's pattern must be a string literal or a bind");
        }
      }
      case "UUID" -> {
        if (args.size() != 1 || !(args.get(0) instanceof StringLiteral s)) {
          throw error(at, "UUID takes one string literal: UUID('...')");
        }
        try {
          java.util.UUID.fromString(s.value());
        } catch (IllegalArgumentException e) {
          throw error(at, "'" + s.value() + "' is not a UUID");
        }
      }
      case "POINT" -> requireArgs(at, name, args, 2, "POINT(ra, dec)");
      case "CIRCLE" -> requireArgs(at, name, args, 3, "CIRCLE(ra, dec, radius)");
      case "BOX" -> requireArgs(at, name, args, 4, "BOX(ra, dec, width, height)");
      case "POLYGON" -> {
        if (args.size() < 6 || args.size() % 2 != 0) {
          throw error(
              at, "POLYGON requires at least three vertices: POLYGON(ra1, dec1, ra2, dec2, ...)");
        }
        numericArgs(at, name, args);
      }
      case "REGION" -> {
        if (args.size() != 1
            || !(unwrap(args.get(0)) instanceof StringLiteral
                || unwrap(args.get(0)) instanceof BindName)) {
          throw error(at, "REGION takes one string: REGION('CIRCLE 320 -0.25 10')");
        }
      }
      default -> {
        // other names parse; binding rejects them with the list of known functions
      }
    }
  }

  private void requireArgs(Token at, String name, List<Expr> args, int n, String usage) {
    if (args.size() != n) {
      throw error(at, name + " takes " + n + " arguments: " + usage);
    }
    numericArgs(at, name, args);
  }

  private void numericArgs(Token at, String name, List<Expr> args) {
    for (Expr a : args) {
      if (unwrap(a) instanceof StringLiteral || unwrap(a) instanceof TimeLiteral) {
        throw error(at, name + "'s arguments are numbers (degrees) or binds, not " + a);
      }
    }
  }

  private static Expr unwrap(Expr e) {
    while (e instanceof Parens p) {
      e = p.inner();
    }
    return e;
  }

  // ------------------------------------------------------------------ errors

  private InvalidQueryException error(Token t, String what) {
    return error(t.pos(), t.text(), what);
  }

  private InvalidQueryException error(int pos, String token, String what) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < pos && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int lineEnd = text.indexOf('\n', lineStart);
    String lineText = text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd);
    int column = pos - lineStart + 1;
    String where = pos >= text.length() ? "at the end" : "at '" + token + "'";
    return new InvalidQueryException(
        "Cannot parse the expression: "
            + what
            + " ("
            + where
            + ", line "
            + line
            + ", column "
            + column
            + ")\n  "
            + lineText
            + "\n  "
            + " ".repeat(column - 1)
            + "^",
        line,
        column);
  }
}
