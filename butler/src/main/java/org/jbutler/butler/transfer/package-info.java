/**
 * API: export and import in daf_butler's YAML format ({@link
 * org.jbutler.butler.transfer.RepoTransfer}); the format itself, the exporter and the importer are
 * internal.
 */
package org.jbutler.butler.transfer;
