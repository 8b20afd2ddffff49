package dev.synap.core.compact;

import dev.synap.core.InvalidInputException;
import java.util.Locale;

/** Renderings of a compaction ({@code format} of contract 9.8). */
public enum CompactedFormat {
  /** Markdown sections: summary, decisions, preferences, constraints, current state. */
  STRUCTURED,
  /** Prose: who said what, day by day. */
  NARRATIVE,
  /** One delimited block, ready to paste into a system prompt. */
  INJECTION;

  public static CompactedFormat parse(String v) {
    if (v == null || v.isBlank()) return STRUCTURED;
    try {
      return valueOf(v.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("format must be structured, narrative or injection, got '" + v + "'");
    }
  }
}
