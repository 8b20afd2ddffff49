package dev.synap.sdk;

import java.util.Map;

/** A user's profile: attributes (residence, job, likes_food, ...) and a short overview. */
public record UserProfile(Map<String, Attribute> attributes, String overview) {
  /** An attribute's value (text, or a list of texts), with where and when it was learned. */
  public record Attribute(Object value, double confidence, String updatedAt, String sourceConversationId) {}
}
