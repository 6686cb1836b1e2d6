package org.jbutler.schema.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.InvalidQueryException;
import org.jbutler.schema.expr.BoundExpr.Type;
import org.junit.jupiter.api.Test;

/** Binding without a database: names, types, the two phases, and a visitor over the tree. */
class ExpressionBinderTest {

  private final DimensionUniverse u = DimensionUniverse.defaultUniverse();

  private ExpressionBinder binder(String where, Map<String, ?> bind, String... datasetTypes) {
    return new ExpressionBinder(
        u, u.group("exposure", "detector"), List.of(datasetTypes), bind, where);
  }

  private BoundExpr bind(String where, Map<String, ?> bind, String... datasetTypes) {
    ExpressionBinder b = binder(where, bind, datasetTypes);
    Expr e = ExprParser.parse(where).orElseThrow();
    b.resolve(e);
    return b.bind(e);
  }

  @Test
  void namesResolveToKeysFieldsTimespansAndDatasetFields() {
    BoundExpr.Logical and =
        (BoundExpr.Logical) bind("instrument = 'Cam1' AND full_name = 'A'", Map.of(), "raw");
    BoundExpr.Comparison lhs = (BoundExpr.Comparison) and.lhs();
    assertThat(lhs.lhs()).isInstanceOf(BoundExpr.DimensionKey.class);
    assertThat(((BoundExpr.DimensionKey) lhs.lhs()).type()).isEqualTo(Type.STRING);
    BoundExpr.Comparison rhs = (BoundExpr.Comparison) and.rhs();
    assertThat(rhs.lhs())
        .isEqualTo(
            new BoundExpr.ElementField(
                "detector",
                "full_name",
                u.element("detector").fields().get("full_name"),
                Type.STRING,
                rhs.lhs().source()));
    BoundExpr.Overlaps o =
        (BoundExpr.Overlaps) bind("exposure.timespan OVERLAPS timespan", Map.of(), "bias");
    assertThat(o.lhs()).isInstanceOf(BoundExpr.ElementTimespan.class);
    assertThat(o.rhs())
        .isEqualTo(new BoundExpr.DatasetField(0, "timespan", Type.TIMESPAN, o.rhs().source()));
  }

  @Test
  void phaseOneReportsWhatTheExpressionMentions() {
    String where = "detector IN (1, 2) AND exposure.exposure_time > 2 AND NOT visit != 3";
    ExpressionBinder b = binder(where, Map.of());
    b.resolve(ExprParser.parse(where).orElseThrow());
    assertThat(b.referencedDimensions()).containsExactly("detector", "visit");
    assertThat(b.referencedElements()).containsExactly("exposure");
    // IN pins detector; "!=" does not pin visit.
    assertThat(b.constrainedDimensions()).containsExactly("detector");
    assertThat(b.keysUsed()).containsExactly("detector", "visit");
    assertThat(b.elementsTouched()).containsExactly("detector", "exposure", "visit");
  }

  @Test
  void bindsAreTypedByTheirValues() {
    UUID id = UUID.randomUUID();
    BoundExpr.Logical and =
        (BoundExpr.Logical)
            bind(
                "dataset_id = :id AND exposure.timespan OVERLAPS :t",
                Map.of("id", id, "t", Timespan.of(1, 2)),
                "raw");
    assertThat(((BoundExpr.Comparison) and.lhs()).rhs())
        .isEqualTo(
            new BoundExpr.Constant(
                Type.UUID, id, ((BoundExpr.Comparison) and.lhs()).rhs().source()));
    BoundExpr.TimespanRange t = (BoundExpr.TimespanRange) ((BoundExpr.Overlaps) and.rhs()).rhs();
    assertThat(((BoundExpr.Constant) t.begin()).value()).isEqualTo(1L);
    assertThat(((BoundExpr.Constant) t.end()).value()).isEqualTo(2L);
    // Integers widen to long, in scalars and in lists; lists become one IN of constants.
    BoundExpr.InList in =
        (BoundExpr.InList) bind("detector IN (:dets, 1..5:2, 7)", Map.of("dets", List.of(2, 4)));
    assertThat(in.values()).containsExactly(2L, 4L, 7L);
    assertThat(in.items()).containsExactly(new BoundExpr.RangeItem(1, 5, 2));
    assertThat(in.negated()).isFalse();
  }

  @Test
  void typeErrorsComeFromPhaseTwoWithTheColumn() {
    String where = "detector = 'x'";
    ExpressionBinder b = binder(where, Map.of());
    Expr e = ExprParser.parse(where).orElseThrow();
    b.resolve(e); // names are fine
    assertThatThrownBy(() -> b.bind(e))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessage(
            "Cannot use the expression \"detector = 'x'\": cannot compare 'detector' (number)"
                + " with ''x'' (string) (at column 1).");
    assertThatThrownBy(() -> bind("exposure.timespan = NULL AND detector", Map.of()))
        .hasMessageContaining("'detector' is not a condition (it is a number) (at column 30)");
    assertThatThrownBy(
            () -> binder("nope = 1", Map.of()).resolve(ExprParser.parse("nope = 1").get()))
        .hasMessageContaining("unrecognized identifier 'nope'");
  }

  @Test
  void orderTermsResolveAndRefuseTimespans() {
    ExpressionBinder b = binder("", Map.of());
    ExpressionBinder.OrderTerm t = b.resolveOrderTerm("-exposure.timespan.begin");
    assertThat(t.descending()).isTrue();
    assertThat(b.bind(t)).isInstanceOf(BoundExpr.TimespanBound.class);
    assertThat(b.resolveOrderTerm("detector").dimension()).contains("detector");
    ExpressionBinder.OrderTerm span = b.resolveOrderTerm("exposure.timespan");
    assertThatThrownBy(() -> b.bind(span))
        .hasMessage(
            "Cannot order by 'exposure.timespan': order by keys, fields or TIMESPAN.begin/.end.");
    assertThatThrownBy(() -> b.resolveOrderTerm("nope"))
        .hasMessageStartingWith("Cannot order by 'nope': ");
  }

  /**
   * Found by the golden corpus: "name" with {band} became a column of a table band does not have.
   */
  @Test
  void aBareFieldNeverNamesAnElementWithoutATable() {
    ExpressionBinder b =
        new ExpressionBinder(u, u.group("band"), List.of(), Map.of(), "name = 'x'");
    assertThatThrownBy(() -> b.resolve(ExprParser.parse("name = 'x'").orElseThrow()))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("unrecognized identifier 'name'");
  }

  /** A visitor other than SQL: the names of the columns a condition reads, in order. */
  @Test
  void aVisitorWalksTheTree() {
    BoundExpr tree =
        bind(
            "(detector = 1 OR GLOB(full_name, 'A*')) AND -exposure.exposure_time < 3"
                + " AND exposure.timespan.end != NULL",
            Map.of());
    List<String> columns = new ArrayList<>();
    tree.accept(new ColumnNames(columns));
    assertThat(columns)
        .containsExactly(
            "detector", "detector.full_name", "exposure.exposure_time", "exposure.timespan.end");
  }

  private record ColumnNames(List<String> out) implements BoundExpr.Visitor<Void> {
    @Override
    public Void visitConstant(BoundExpr.Constant node) {
      return null;
    }

    @Override
    public Void visitDimensionKey(BoundExpr.DimensionKey node) {
      out.add(node.dimension());
      return null;
    }

    @Override
    public Void visitElementField(BoundExpr.ElementField node) {
      out.add(node.element() + "." + node.field());
      return null;
    }

    @Override
    public Void visitElementTimespan(BoundExpr.ElementTimespan node) {
      out.add(node.element() + ".timespan");
      return null;
    }

    @Override
    public Void visitTimespanBound(BoundExpr.TimespanBound node) {
      out.add(node.element() + ".timespan." + (node.begin() ? "begin" : "end"));
      return null;
    }

    @Override
    public Void visitDatasetField(BoundExpr.DatasetField node) {
      out.add(node.field());
      return null;
    }

    @Override
    public Void visitTimespanRange(BoundExpr.TimespanRange node) {
      node.begin().accept(this);
      return node.end().accept(this);
    }

    @Override
    public Void visitNot(BoundExpr.Not node) {
      return node.operand().accept(this);
    }

    @Override
    public Void visitNegate(BoundExpr.Negate node) {
      return node.operand().accept(this);
    }

    @Override
    public Void visitLogical(BoundExpr.Logical node) {
      node.lhs().accept(this);
      return node.rhs().accept(this);
    }

    @Override
    public Void visitArithmetic(BoundExpr.Arithmetic node) {
      node.lhs().accept(this);
      return node.rhs().accept(this);
    }

    @Override
    public Void visitComparison(BoundExpr.Comparison node) {
      node.lhs().accept(this);
      return node.rhs().accept(this);
    }

    @Override
    public Void visitIsNull(BoundExpr.IsNull node) {
      return node.operand().accept(this);
    }

    @Override
    public Void visitOverlaps(BoundExpr.Overlaps node) {
      node.lhs().accept(this);
      return node.rhs().accept(this);
    }

    @Override
    public Void visitInList(BoundExpr.InList node) {
      return node.lhs().accept(this);
    }

    @Override
    public Void visitGlob(BoundExpr.Glob node) {
      return node.column().accept(this);
    }

    @Override
    public Void visitSkyPixOverlaps(BoundExpr.SkyPixOverlaps node) {
      return node.pixel().accept(this);
    }

    @Override
    public Void visitElementRegion(BoundExpr.ElementRegion node) {
      out.add(node.element() + ".region");
      return null;
    }

    @Override
    public Void visitRegionOverlaps(BoundExpr.RegionOverlaps node) {
      return node.column().accept(this);
    }

    @Override
    public Void visitRegionJoin(BoundExpr.RegionJoin node) {
      node.lhs().accept(this);
      return node.rhs().accept(this);
    }
  }
}
