package dev.synap.core.extract;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detects an emotion the speaker reports about themself ({@code emotions.tsv}); intensifiers
 * ("so", "really") raise the intensity and negation ("not happy") cancels the cue.
 */
public final class EmotionCues {

  /**
   * @param stated true when grammatically stated of the speaker ("I'm thrilled", "made me feel
   *     accepted"), false when only nearby in the sentence
   */
  public record Emotion(String emotion, double intensity, String word, boolean stated) {}

  private record Entry(String emotion, double intensity) {}

  private static final String INTENSIFIERS = "so|really|very|super|extremely|incredibly|truly|totally|beyond|absolutely|pretty|quite";
  private final Map<String, Entry> words = new HashMap<>();
  private final Pattern any;
  private final Pattern stated;

  public EmotionCues() {
    for (String[] r : Lexicon.rows("emotions.tsv")) words.put(r[0].strip(), new Entry(r[1].strip(), Double.parseDouble(r[2].strip())));
    String alternatives = String.join("|", words.keySet());
    any = Pattern.compile("\\b((?:not |never |n't )?)((?:(?:" + INTENSIFIERS + ") ){0,2})(" + alternatives + ")\\b");
    stated = Pattern.compile("\\b(?:i|we)(?:'m| am| was| were|'re| are| feel| felt| feeling| get| got| became| have been|'ve been| been)(?: (?:" + INTENSIFIERS + "|also|still|just|now|a bit|kinda|kind of|both|always|more|than ever|so))* (?:" + alternatives + ")\\b"
        + "|\\b(?:made|makes|make|left|leaves) (?:me|us) (?:feel )?(?:(?:" + INTENSIFIERS + ") )*(?:" + alternatives + ")\\b"
        + "|\\bfeeling (?:(?:" + INTENSIFIERS + ") )*(?:" + alternatives + ")\\b");
  }

  public Optional<Emotion> detect(String lower) {
    Matcher m = any.matcher(lower);
    while (m.find()) {
      if (!m.group(1).isEmpty()) continue;
      Entry e = words.get(m.group(3));
      int boosts = m.group(2).isBlank() ? 0 : m.group(2).strip().split(" ").length;
      double intensity = Math.min(1.0, e.intensity() + 0.15 * boosts + (lower.contains("!") ? 0.05 : 0));
      return Optional.of(new Emotion(e.emotion(), round(intensity), m.group(3), stated.matcher(lower).find()));
    }
    return Optional.empty();
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
