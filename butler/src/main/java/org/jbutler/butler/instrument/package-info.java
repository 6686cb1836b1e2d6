/**
 * API: instruments, as obs_base knows them: what an instrument registers (instrument, detectors,
 * filters) and how a raw file's headers become exposure records and data IDs. {@link
 * org.jbutler.butler.instrument.Instrument#load} takes a shipped name ({@code SimCam}), a YAML
 * definition (header cards to exposure fields; multi-extension files with a detector per HDU) or
 * the class name of an implementation.
 */
package org.jbutler.butler.instrument;
