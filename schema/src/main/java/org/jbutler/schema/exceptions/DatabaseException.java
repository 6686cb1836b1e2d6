package org.jbutler.schema.exceptions;

import java.util.Optional;

/**
 * The registry's database refused or failed a statement: a lock held too long, a read-only or full
 * disk, a damaged file, a lost connection, a constraint. The category says whose problem it is
 * (USER_ERROR for a database this user may not write, CONFLICT for a refused change, DAMAGED for a
 * corrupt file, INTERNAL for the environment), the message what happened and what to do, and {@link
 * #sqlState()} the database's own code for programs that retry.
 */
public class DatabaseException extends ButlerException {

  private final String sqlState;

  /**
   * Creates the exception.
   *
   * @param category whose problem it is
   * @param message what happened and what to do
   * @param sqlState the SQLSTATE the database reported, or null
   * @param cause the driver's exception
   */
  public DatabaseException(Category category, String message, String sqlState, Throwable cause) {
    super(category, message, cause);
    this.sqlState = sqlState;
  }

  /** The five-character SQLSTATE the database reported, when it gave one. */
  public Optional<String> sqlState() {
    return Optional.ofNullable(sqlState);
  }
}
