package org.jbutler.schema.exceptions;

/** A CHAINED collection would, directly or through other chains, contain itself. */
public class CollectionCycleException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message which chain and which path form the cycle
   */
  public CollectionCycleException(String message) {
    super(Category.USER_ERROR, message);
  }
}
