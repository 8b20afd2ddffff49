package dev.synap.bench.locomo;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which conversations of the dev file a run measures. Constants are tuned on {@link #TUNE} only;
 * {@link #HOLDOUT} is the check that they were not fitted to those conversations. On another file
 * (the full LoCoMo) a split keeps only the conversations it names that the file has.
 */
enum Split {
  ALL(Set.of()),
  TUNE(Set.of("conv-26", "conv-30", "conv-42")),
  HOLDOUT(Set.of("conv-41", "conv-43", "conv-44"));

  private final Set<String> sampleIds;

  Split(Set<String> sampleIds) {
    this.sampleIds = sampleIds;
  }

  boolean includes(String sampleId) {
    return this == ALL || sampleIds.contains(sampleId);
  }

  static Optional<Split> parse(String name) {
    for (Split s : values()) if (s.name().equalsIgnoreCase(name)) return Optional.of(s);
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
