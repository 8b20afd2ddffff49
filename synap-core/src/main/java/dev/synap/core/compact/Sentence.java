package dev.synap.core.compact;

import java.time.Instant;
import java.util.Set;

/**
 * One sentence of one turn, with what salience is computed from.
 *
 * @param index position in the whole conversation (0 = first sentence)
 * @param messageIndex position of its turn among the conversation's messages
 * @param terms normalised content words
 * @param keyTerms names, numbers and dates among them: the words facts hinge on
 * @param memoryWeight confidence of the strongest memory extracted from its turn; 0 when none
 */
record Sentence(
    int index,
    int messageIndex,
    String messageId,
    String speaker,
    Instant at,
    String text,
    Set<String> terms,
    Set<String> keyTerms,
    boolean question,
    boolean filler,
    double memoryWeight,
    String memoryType) {

  /** The line a summary shows for it: "Speaker: text". */
  String line() {
    return speaker + ": " + text;
  }
}
