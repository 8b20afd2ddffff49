package dev.synap.core.profile;

import java.time.Instant;
import java.util.Map;

/**
 * What is currently known about a user, derived from their current facts and preferences.
 *
 * @param attributes name → attribute (e.g. {@code residence}, {@code job}, {@code likes_food})
 * @param overview a few sentences, ready to show or inject
 */
public record UserProfile(Map<String, Attribute> attributes, String overview, int memoriesConsidered, Instant updatedAt) {

  /**
   * One attribute: the value (text, or a list of texts for preferences), the confidence of the
   * memory it came from, when that memory last changed, and the conversation it was said in.
   */
  public record Attribute(Object value, double confidence, Instant updatedAt, String sourceConversationId) {}
}
