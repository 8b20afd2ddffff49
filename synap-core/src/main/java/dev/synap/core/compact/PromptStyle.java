package dev.synap.core.compact;

import dev.synap.core.InvalidInputException;
import java.util.Locale;

/** Styles of {@code context-for-prompt} (contract 9.10). */
public enum PromptStyle {
  STRUCTURED,
  NARRATIVE,
  BULLET_POINTS;

  public static PromptStyle parse(String v) {
    if (v == null || v.isBlank()) return STRUCTURED;
    try {
      return valueOf(v.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("style must be structured, narrative or bullet_points, got '" + v + "'");
    }
  }
}
