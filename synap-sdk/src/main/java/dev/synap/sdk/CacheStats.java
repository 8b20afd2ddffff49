package dev.synap.sdk;

import java.util.Objects;

/**
 * Anticipation cache counters since creation (or the last {@code clear()}).
 *
 * <p>Built by the SDK; a final class rather than a record so that fields can be added without
 * changing a public constructor.
 */
public final class CacheStats {
  private final long hits;
  private final long misses;
  private final long stale;
  private final long evictions;
  private final long bundlesStored;
  private final int size;

  CacheStats(
      long hits,
      long misses,
      long stale,
      long evictions,
      long bundlesStored,
      int size) {
    this.hits = hits;
    this.misses = misses;
    this.stale = stale;
    this.evictions = evictions;
    this.bundlesStored = bundlesStored;
    this.size = size;
  }

  public long hits() {
    return hits;
  }

  public long misses() {
    return misses;
  }

  public long stale() {
    return stale;
  }

  public long evictions() {
    return evictions;
  }

  public long bundlesStored() {
    return bundlesStored;
  }

  public int size() {
    return size;
  }

  public double hitRate() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CacheStats o
        && hits == o.hits
        && misses == o.misses
        && stale == o.stale
        && evictions == o.evictions
        && bundlesStored == o.bundlesStored
        && size == o.size;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        hits,
        misses,
        stale,
        evictions,
        bundlesStored,
        size);
  }

  @Override
  public String toString() {
    return "CacheStats["
        + "hits=" + hits
        + ", misses=" + misses
        + ", stale=" + stale
        + ", evictions=" + evictions
        + ", bundlesStored=" + bundlesStored
        + ", size=" + size
        + "]";
  }
}
