package org.jbutler.schema.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jbutler.schema.Times;
import org.jbutler.schema.exceptions.InvalidQueryException;
import org.jbutler.schema.expr.Expr.BinaryOp;
import org.jbutler.schema.expr.Expr.FunctionCall;
import org.jbutler.schema.expr.Expr.IsIn;
import org.jbutler.schema.expr.Expr.RangeLiteral;
import org.jbutler.schema.expr.Expr.TimeLiteral;
import org.jbutler.schema.expr.Expr.Tuple;
import org.jbutler.schema.expr.Expr.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** daf_butler's parser examples (reference §6.4) and our error messages. */
class ExprParserTest {

  private static Expr parse(String s) {
    return ExprParser.parse(s).orElseThrow();
  }

  @Test
  void blankIsNoConstraint() {
    assertThat(ExprParser.parse("")).isEmpty();
    assertThat(ExprParser.parse("  \n ")).isEmpty();
    assertThat(ExprParser.parse(null)).isEmpty();
  }

  @Test
  void rangesHaveAnInclusiveStopAndOptionalStride() {
    assertThat(parse("10..20")).isEqualTo(new RangeLiteral(10, 20, 1, 0));
    RangeLiteral r = (RangeLiteral) parse("-10 .. 10:5");
    assertThat(r.start()).isEqualTo(-10);
    assertThat(r.stop()).isEqualTo(10);
    assertThat(r.stride()).isEqualTo(5);
    assertThat(r.toString()).isEqualTo("-10..10:5");
  }

  @Test
  void timeLiteralsUseDafButlersFormatsAndScales() {
    TimeLiteral mjd = (TimeLiteral) parse("T'51544.0'");
    assertThat(mjd.tai()).isEqualTo(Times.parseLiteral("51544.0"));
    TimeLiteral isot = (TimeLiteral) parse("T'2020-03-30T12:20:33'");
    assertThat(isot.tai()).isEqualTo(Times.parseLiteral("2020-03-30T12:20:33"));
    assertThat(isot.tai()).isNotEqualTo(Times.parseLiteral("2020-03-30T12:20:33/tai"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a in (1,2,'X')|a IN (1, 2, 'X')",
        "10 not in (1000, 2000..3000:100)|10 NOT IN (1000, 2000..3000:100)",
        "(A or B) and not (x + 3 > :y)|(A OR B) AND NOT (x + 3 > :y)",
        "x in (1,2) AND y NOT IN (1.1, .25, 1e2) OR :z in ('a', 'b')"
            + "|x IN (1, 2) AND y NOT IN (1.1, .25, 1e2) OR :z IN ('a', 'b')",
        "Circle(0.5 + 0.1, -1 * :bind_name, 1 / 10)|CIRCLE(0.5 + 0.1, -1 * :bind_name, 1 / 10)",
        "glob((instrument.name), (:pattern))|GLOB((instrument.name), (:pattern))",
        "visit.timespan.begin > T'2020-01-01'|visit.timespan.begin > T'2020-01-01'",
        "detector IN (:dets) AND bias.dataset_id = UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')"
            + "|detector IN (:dets) AND bias.dataset_id = "
            + "UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')",
      })
  void rendersAsDafButlerDoes(String input, String rendered) {
    assertThat(parse(input).toString()).isEqualTo(rendered);
  }

  @Test
  void andBindsTighterThanOrAndIsLeftAssociative() {
    BinaryOp top = (BinaryOp) parse("x in (1,2) AND y NOT IN (1) OR :z in ('a')");
    assertThat(top.op()).isEqualTo("OR");
    assertThat(((BinaryOp) top.lhs()).op()).isEqualTo("AND");
    assertThat(((BinaryOp) top.lhs()).rhs()).isInstanceOf(IsIn.class);
    assertThat(((IsIn) ((BinaryOp) top.lhs()).rhs()).notIn()).isTrue();
    BinaryOp chain =
        (BinaryOp)
            parse(
                "((instrument='HSC' AND detector != 9) OR instrument='CFHT') AND tract=8766"
                    + " AND patch.cell_x > 5 AND patch.cell_y < 4 AND band=:band");
    assertThat(chain.op()).isEqualTo("AND");
    assertThat(chain.rhs().toString()).isEqualTo("band = :band");
  }

  @Test
  void arithmeticPrecedenceAndUnaryMinus() {
    BinaryOp e = (BinaryOp) parse("a + b * c > -d % 2");
    assertThat(e.op()).isEqualTo(">");
    assertThat(((BinaryOp) e.lhs()).op()).isEqualTo("+");
    assertThat(((BinaryOp) ((BinaryOp) e.lhs()).rhs()).op()).isEqualTo("*");
    assertThat(((BinaryOp) e.rhs()).lhs()).isInstanceOf(UnaryOp.class);
    // a - 1..3 is a subtraction followed by junk, not a range after an operand
    assertThat(parse("x - 1 = 2").toString()).isEqualTo("x - 1 = 2");
  }

  @Test
  void notCoversAComparisonAsInSql() {
    UnaryOp not = (UnaryOp) ((BinaryOp) parse("NOT detector = 2 AND x")).lhs();
    assertThat(not.operand().toString()).isEqualTo("detector = 2");
    BinaryOp and = (BinaryOp) parse("not a and b");
    assertThat(and.op()).isEqualTo("AND");
    assertThat(and.lhs()).isInstanceOf(UnaryOp.class);
  }

  @Test
  void tuplesAndOverlaps() {
    BinaryOp e =
        (BinaryOp) parse("(T'2020-01-01', T'2020-01-02') overlaps (T'2020-01-01', T'2020-01-02')");
    assertThat(e.op()).isEqualTo("OVERLAPS");
    assertThat(e.lhs()).isInstanceOf(Tuple.class);
    assertThat(e.rhs()).isInstanceOf(Tuple.class);
    assertThat(((FunctionCall) parse("uuid('e15ab039-bc8b-4135-87c5-90902a7c0b22')")).name())
        .isEqualTo("UUID");
  }

  @Test
  void errorsNameTheTokenLineAndColumnWithACaret() {
    assertThatThrownBy(() -> parse("(1, 2, 3)"))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("at ','")
        .hasMessageContaining("line 1, column 6")
        .hasMessageContaining("(1, 2, 3)\n       ^");
    InvalidQueryException e =
        (InvalidQueryException)
            org.assertj.core.api.Assertions.catchThrowable(() -> parse("\n(1\n,\n 2, 3)"));
    assertThat(e.line()).hasValue(4);
    assertThat(e.column()).hasValue(3);
    assertThatThrownBy(() -> parse("T'not-a-time'"))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("not-a-time");
    assertThatThrownBy(() -> parse(":1"))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("bind name");
    assertThatThrownBy(() -> parse("visit = "))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("at the end")
        .hasMessageContaining("the expression ends where a value was expected")
        .hasMessageNotContaining("unexpected the end");
    assertThatThrownBy(() -> parse("detector = 'abc")).hasMessageContaining("unterminated string");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Circle()",
        "Circle(0.,0.)",
        "Circle('1',1,1)",
        "POLYGON(0., 0., 1., 1.)",
        "glob('string', '*')",
        "glob(full_name, full_name)",
        "point(1, 2) in region1",
        "f.ff()",
        "UUID('nope')",
        "a in ()",
        "a in (b + 1)",
        "a ; drop table dataset",
        "a = \"x\"",
        "détecteur = 1",
      })
  void malformedExpressionsAreParseErrors(String bad) {
    assertThatThrownBy(() -> parse(bad)).isInstanceOf(InvalidQueryException.class);
  }
}
