package dev.synap.core.control;

import dev.synap.core.model.MemoryType;
import java.util.ArrayList;
import java.util.List;

/** The rules that flag a draft for review: what is risky, unusual or contradictory in it. */
public final class ConfigReview {
  private ConfigReview() {}

  public static List<ReviewFlag> flags(MemoryConfig c) {
    List<ReviewFlag> out = new ArrayList<>();
    if (c.categories().isEmpty()) out.add(ReviewFlag.error("categories", "every category is off: nothing would be remembered"));
    for (MemoryType t : MemoryType.values()) {
      if (!c.extracts(t)) out.add(ReviewFlag.info("categories." + t.wireKey(), t.wireKey() + " will not be extracted"));
    }
    if (c.confidenceThreshold() < 0.5) out.add(ReviewFlag.warning("confidence_threshold", "below 0.5 stores many uncertain extractions"));
    if (c.confidenceThreshold() > 0.9) out.add(ReviewFlag.warning("confidence_threshold", "above 0.9 drops most extractions"));
    if (c.maxMemoryAgeDays() == 0) out.add(ReviewFlag.info("retention.max_memory_age_days", "memories are kept forever"));
    else if (c.maxMemoryAgeDays() < 30) {
      out.add(ReviewFlag.warning("retention.max_memory_age_days", "memories older than " + c.maxMemoryAgeDays() + " days are deleted for good"));
    }
    if (!c.neverRemember().cardNumbers()) out.add(ReviewFlag.warning("never_remember.card_numbers", "card numbers would be stored"));
    if (!c.neverRemember().secrets()) out.add(ReviewFlag.warning("never_remember.secrets", "passwords and API keys would be stored"));
    if (!c.compaction().auto()) out.add(ReviewFlag.info("compaction.auto", "conversations are compacted only on request"));
    if (!c.anticipation().enabled()) out.add(ReviewFlag.info("anticipation.enabled", "no context is pushed ahead of the next turn"));
    if (c.anticipation().maxTokens() > c.retrieval().contextBudgetTokens()) {
      out.add(ReviewFlag.warning("anticipation.max_tokens", "a pushed bundle may be larger than the context budget of a fetch"));
    }
    return out;
  }

  public static boolean blocking(List<ReviewFlag> flags) {
    return flags.stream().anyMatch(f -> f.severity().equals("error"));
  }
}
