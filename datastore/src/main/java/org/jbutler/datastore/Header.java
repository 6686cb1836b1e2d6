package org.jbutler.datastore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Metadata of an image or table: ordered FITS-style cards (key, value, comment). Values are
 * strings, booleans, longs or doubles. Keys are upper-cased; keys longer than 8 characters are
 * written with the HIERARCH convention.
 */
public final class Header {

  /** One card. */
  public record Card(String key, Object value, String comment) {
    /** Checks the value type. */
    public Card {
      Objects.requireNonNull(key, "key");
      if (value != null
          && !(value instanceof String
              || value instanceof Boolean
              || value instanceof Long
              || value instanceof Double)) {
        throw new IllegalArgumentException(
            "Header value for " + key + " must be a string, boolean, long or double: " + value);
      }
    }
  }

  private final Map<String, Card> cards = new LinkedHashMap<>();

  /** An empty header. */
  public Header() {}

  /** A copy of another header. */
  public Header(Header other) {
    cards.putAll(other.cards);
  }

  private static Object normalise(Object value) {
    if (value instanceof Integer i) {
      return (long) i;
    }
    if (value instanceof Short s) {
      return (long) s;
    }
    if (value instanceof Float f) {
      return (double) f;
    }
    return value;
  }

  /** Sets a card (replacing one of the same key, keeping its position). */
  public Header set(String key, Object value, String comment) {
    String k = key.toUpperCase(java.util.Locale.ROOT);
    cards.put(k, new Card(k, normalise(value), comment));
    return this;
  }

  /** Sets a card without a comment. */
  public Header set(String key, Object value) {
    return set(key, value, null);
  }

  /** The value of a key, if present. */
  public Optional<Object> get(String key) {
    Card c = cards.get(key.toUpperCase(java.util.Locale.ROOT));
    return c == null ? Optional.empty() : Optional.ofNullable(c.value());
  }

  /** Removes a key. */
  public Header remove(String key) {
    cards.remove(key.toUpperCase(java.util.Locale.ROOT));
    return this;
  }

  /** Every card, in order. */
  public List<Card> cards() {
    return Collections.unmodifiableList(new ArrayList<>(cards.values()));
  }

  /** How many cards. */
  public int size() {
    return cards.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Header h && h.cards.equals(cards);
  }

  @Override
  public int hashCode() {
    return cards.hashCode();
  }

  @Override
  public String toString() {
    return cards.values().toString();
  }
}
