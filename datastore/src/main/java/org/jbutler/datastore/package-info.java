/**
 * The file datastore: file templates, formatters for FITS, JSON and YAML, ingest, trash and
 * verification.
 */
package org.jbutler.datastore;
