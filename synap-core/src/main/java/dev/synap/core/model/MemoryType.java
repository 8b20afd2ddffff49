package dev.synap.core.model;

import java.util.Locale;
import java.util.Optional;

/** The five typed memory kinds; {@link #wireKey()} is the exact {@code items_by_type} key clients read. */
public enum MemoryType {
  FACT("facts"),
  PREFERENCE("preferences"),
  EPISODE("episodes"),
  EMOTION("emotions"),
  TEMPORAL_EVENT("temporal_events");

  private final String wireKey;

  MemoryType(String wireKey) {
    this.wireKey = wireKey;
  }

  public String wireKey() {
    return wireKey;
  }

  /** Accepts wire keys ("facts"), singular names ("fact") and the SDK's "temporal" alias. */
  public static Optional<MemoryType> parse(String value) {
    if (value == null) return Optional.empty();
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (MemoryType t : values()) {
      if (t.wireKey.equals(v) || t.name().toLowerCase(Locale.ROOT).equals(v)) return Optional.of(t);
    }
    return switch (v) {
      case "temporal", "temporal_event", "temporal_events" -> Optional.of(TEMPORAL_EVENT);
      case "fact" -> Optional.of(FACT);
      case "preference" -> Optional.of(PREFERENCE);
      case "episode" -> Optional.of(EPISODE);
      case "emotion" -> Optional.of(EMOTION);
      default -> Optional.empty();
    };
  }
}
