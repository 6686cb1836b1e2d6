/**
 * API: the exceptions jbutler throws on purpose. Every one is a {@link
 * org.jbutler.schema.exceptions.ButlerException} whose {@link
 * org.jbutler.schema.exceptions.ButlerException.Category category} (user error, conflict, missing,
 * damaged, internal) the command-line tools map to their exit codes; messages name the offending
 * value and say what would fix it.
 */
package org.jbutler.schema.exceptions;
