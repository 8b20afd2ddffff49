package dev.synap.core.analytics;

import dev.synap.core.InvalidInputException;
import java.time.Duration;

/** Roll-up granularity and how long each is kept: minutes 30 days, hours a year, days forever. */
public enum Bucket {
  MINUTE("minute", Duration.ofMinutes(1), Duration.ofDays(30)),
  HOUR("hour", Duration.ofHours(1), Duration.ofDays(365)),
  DAY("day", Duration.ofDays(1), null);

  private final String wireName;
  private final Duration width;
  private final Duration retention;

  Bucket(String wireName, Duration width, Duration retention) {
    this.wireName = wireName;
    this.width = width;
    this.retention = retention;
  }

  public String wireName() {
    return wireName;
  }

  public long widthMillis() {
    return width.toMillis();
  }

  /** Null: kept forever. */
  public Duration retention() {
    return retention;
  }

  /** The start of the bucket holding {@code epochMillis} (UTC). */
  public long startOf(long epochMillis) {
    return Math.floorDiv(epochMillis, width.toMillis()) * width.toMillis();
  }

  public static Bucket parse(String s) {
    for (Bucket b : values()) if (b.wireName.equals(s)) return b;
    throw new InvalidInputException("bucket must be minute, hour or day, got '" + s + "'");
  }
}
