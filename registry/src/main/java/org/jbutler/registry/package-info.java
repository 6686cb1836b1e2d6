/**
 * The SQL registry: schema creation, dimension records, dataset types, collections, datasets and
 * queries, on SQLite, H2 and PostgreSQL through jOOQ.
 */
package org.jbutler.registry;
