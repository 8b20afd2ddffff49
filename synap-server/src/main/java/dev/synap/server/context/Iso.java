package dev.synap.server.context;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** ISO-8601 text as both official clients parse it (UTC, "Z" suffix, millisecond precision). */
public final class Iso {
  private Iso() {}

  public static String of(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  public static String now() {
    return of(Instant.now());
  }
}
