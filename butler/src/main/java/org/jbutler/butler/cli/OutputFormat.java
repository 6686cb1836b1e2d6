package org.jbutler.butler.cli;

/** How commands print results: aligned tables for people, JSON for scripts. */
public enum OutputFormat {
  /** An aligned text table. */
  TABLE,
  /** One JSON document on standard output. */
  JSON
}
