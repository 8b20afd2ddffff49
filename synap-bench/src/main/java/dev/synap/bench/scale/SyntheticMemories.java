package dev.synap.bench.scale;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded, reproducible memory-like sentences and questions from small vocabularies: the same seed
 * always gives the same data, so latency numbers from different runs compare.
 */
public final class SyntheticMemories {
  private static final String[] PEOPLE = {"my sister", "my brother", "my manager", "my friend Sam", "my neighbour", "my mother", "my father",
      "my partner", "my colleague Ana", "my coach", "my daughter", "my son"};
  private static final String[] VERBS = {"likes", "prefers", "visited", "recommended", "bought", "cooked", "read", "watched", "planned",
      "cancelled", "booked", "learned"};
  private static final String[] THINGS = {"sushi in Lisbon", "a hiking trip to the Alps", "a jazz concert", "the new sci-fi novel",
      "a pottery class", "vegan lasagna", "a road trip along the coast", "a chess tournament", "Italian lessons", "a marathon in Berlin",
      "a birthday party", "a camping weekend", "the quarterly budget review", "a dentist appointment", "a yoga retreat",
      "a photography workshop", "a trip to Kyoto", "the piano recital", "a board game night", "a new espresso machine"};
  private static final String[] WHEN = {"last week", "yesterday", "in March", "over the summer", "this weekend", "two years ago",
      "last month", "on Friday", "during the holidays", "recently"};

  private SyntheticMemories() {}

  /** {@code n} distinct sentences; memories draw their text from this pool. */
  public static List<String> pool(long seed, int n) {
    Random r = new Random(seed);
    Set<String> out = new LinkedHashSet<>();
    while (out.size() < n) {
      out.add(capitalise(pick(r, PEOPLE)) + " " + pick(r, VERBS) + " " + pick(r, THINGS) + " " + pick(r, WHEN) + ".");
    }
    return new ArrayList<>(out);
  }

  static String question(Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> "What did " + pick(r, PEOPLE) + " do " + pick(r, WHEN) + "?";
      case 1 -> "Who " + pick(r, VERBS) + " " + pick(r, THINGS) + "?";
      default -> "Tell me about " + pick(r, THINGS) + " and " + pick(r, PEOPLE);
    };
  }

  private static String pick(Random r, String[] words) {
    return words[r.nextInt(words.length)];
  }

  private static String capitalise(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
