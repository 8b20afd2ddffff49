package dev.synap.core.time;

import java.util.Locale;

/** How precise a resolved time expression is; a season is three calendar months. */
public enum Granularity {
  DAY,
  WEEK,
  MONTH,
  SEASON,
  YEAR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
