package dev.synap.sdk;

/** Anticipation cache counters since creation (or the last {@code clear()}). */
public record CacheStats(long hits, long misses, long stale, long evictions, long bundlesStored, int size) {
  public double hitRate() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }
}
