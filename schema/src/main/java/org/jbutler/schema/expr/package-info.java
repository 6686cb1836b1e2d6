/**
 * daf_butler's {@code where} expression language: the syntax tree ({@link
 * org.jbutler.schema.expr.Expr}) and its parser ({@link org.jbutler.schema.expr.ExprParser}).
 * Binding identifiers to dimensions and turning the tree into SQL happen in the registry.
 */
package org.jbutler.schema.expr;
