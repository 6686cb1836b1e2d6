/** Benchmarks that print measured figures and ratios against raw baselines. */
package org.jbutler.benchmarks;
