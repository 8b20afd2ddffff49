package dev.synap.server.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When failed deliveries are retried (after the first attempt: 1 min, 5 min, 30 min, 2 h, 12 h)
 * and how long one attempt may take (30 s). Keys {@code webhooks.retry_schedule} (seconds,
 * comma-separated, fractions allowed) and {@code webhooks.timeout_seconds}.
 */
public record WebhookSettings(List<Duration> retryDelays, Duration timeout) {
  public static final WebhookSettings DEFAULTS = new WebhookSettings(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30),
      Duration.ofHours(2), Duration.ofHours(12)), Duration.ofSeconds(30));

  public WebhookSettings {
    retryDelays = List.copyOf(retryDelays);
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("webhooks.timeout_seconds must be positive");
  }

  public static WebhookSettings parse(String schedule, String timeoutSeconds) {
    List<Duration> delays = new ArrayList<>();
    for (String s : schedule.split(",")) {
      if (s.isBlank()) continue;
      delays.add(seconds("webhooks.retry_schedule", s.strip()));
    }
    return new WebhookSettings(delays, seconds("webhooks.timeout_seconds", timeoutSeconds.strip()));
  }

  static String format(List<Duration> delays) {
    return String.join(",", delays.stream().map(d -> Long.toString(d.toSeconds())).toList());
  }

  private static Duration seconds(String key, String v) {
    try {
      double s = Double.parseDouble(v);
      if (s < 0) throw new NumberFormatException();
      return Duration.ofMillis(Math.round(s * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be seconds (non-negative numbers), got '" + v + "'");
    }
  }
}
