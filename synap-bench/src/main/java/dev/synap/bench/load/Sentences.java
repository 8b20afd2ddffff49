package dev.synap.bench.load;

import java.util.List;

/** Conversation turns for the load: statements the extractor turns into memories, made unique by a counter. */
final class Sentences {
  private static final List<String> TURNS = List.of(
      "I walked my dog Rex along the river this morning",
      "My sister Anna is moving to Lisbon next spring",
      "I prefer green tea to coffee in the afternoon",
      "We booked a cabin in the mountains for the holidays",
      "I felt nervous before the job interview today",
      "My favourite band is playing in town on Friday",
      "I started learning the piano two months ago",
      "The kids loved the aquarium visit on Sunday");

  private Sentences() {}

  static String pick(long i) {
    return TURNS.get((int) (i % TURNS.size())) + " (turn " + i + ")";
  }
}
