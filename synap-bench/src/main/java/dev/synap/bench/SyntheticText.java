package dev.synap.bench;

/** Deterministic, varied conversational sentences for load tests (no randomness between runs). */
public final class SyntheticText {
  private static final String[] SUBJECTS = {"my sister", "my dog", "our team", "my landlord", "the new manager", "my best friend", "my son", "grandma"};
  private static final String[] VERBS = {"loves", "visited", "complained about", "is planning", "started learning", "finally finished", "hates", "recommended"};
  private static final String[] OBJECTS = {"the pottery class", "a trip to Kyoto", "the jazz festival", "vegan recipes", "the marathon in May",
      "a used Volvo", "the quarterly report", "salsa dancing", "the new library downtown", "a puzzle with 2000 pieces"};
  private static final String[] TAILS = {"last weekend.", "yesterday.", "and I feel great about it.", "two weeks ago.", "next month.", "again.", "since 2021.", "."};

  private SyntheticText() {}

  public static String sentence(int i) {
    return capitalize(SUBJECTS[i % SUBJECTS.length]) + " " + VERBS[(i / 8) % VERBS.length] + " " + OBJECTS[(i / 64) % OBJECTS.length] + " "
        + TAILS[(i / 7) % TAILS.length] + " (note " + i + ")";
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
