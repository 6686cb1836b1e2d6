/**
 * A deterministic generator of a synthetic camera's raw frames, calibrations, reference catalogue
 * and truth table.
 */
package org.jbutler.testdata;
