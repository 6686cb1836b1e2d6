/**
 * daf_butler's {@code where} expression language: the syntax tree ({@link
 * org.jbutler.schema.expr.Expr}), its parser ({@link org.jbutler.schema.expr.ExprParser}), and the
 * bound tree ({@link org.jbutler.schema.expr.BoundExpr}) that {@link
 * org.jbutler.schema.expr.ExpressionBinder} makes from it against a dimension universe, dataset
 * searches and bind values. Backends translate the bound tree with a {@link
 * org.jbutler.schema.expr.BoundExpr.Visitor} (the SQL registry's translator is one).
 */
package org.jbutler.schema.expr;
