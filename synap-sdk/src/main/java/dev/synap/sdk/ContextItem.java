package dev.synap.sdk;

import java.util.Objects;

/**
 * One memory in a context answer.
 *
 * <p>Built by the SDK; a final class rather than a record so that fields can be added without
 * changing a public constructor.
 */
public final class ContextItem {
  private final String id;
  private final String type;
  private final String content;
  private final double confidence;
  private final double relevance;
  private final String eventDate;
  private final String validUntil;
  private final String temporalCategory;
  private final String createdAt;
  private final String source;
  private final String scope;

  ContextItem(
      String id,
      String type,
      String content,
      double confidence,
      double relevance,
      String eventDate,
      String validUntil,
      String temporalCategory,
      String createdAt,
      String source) {
    this(id, type, content, confidence, relevance, eventDate, validUntil, temporalCategory, createdAt, source, null);
  }

  ContextItem(
      String id,
      String type,
      String content,
      double confidence,
      double relevance,
      String eventDate,
      String validUntil,
      String temporalCategory,
      String createdAt,
      String source,
      String scope) {
    this.id = id;
    this.type = type;
    this.content = content;
    this.confidence = confidence;
    this.relevance = relevance;
    this.eventDate = eventDate;
    this.validUntil = validUntil;
    this.temporalCategory = temporalCategory;
    this.createdAt = createdAt;
    this.source = source;
    this.scope = scope;
  }

  /** Whose memory this is: {@code user}, {@code customer} or {@code client} (null when the answer did not say). */
  public String scope() {
    return scope;
  }

  public String id() {
    return id;
  }

  /** {@code facts}, {@code preferences}, {@code episodes}, {@code emotions} or {@code temporal_events}. */
  public String type() {
    return type;
  }

  public String content() {
    return content;
  }

  public double confidence() {
    return confidence;
  }

  public double relevance() {
    return relevance;
  }

  /** ISO date the memory refers to, or null. */
  public String eventDate() {
    return eventDate;
  }

  public String validUntil() {
    return validUntil;
  }

  public String temporalCategory() {
    return temporalCategory;
  }

  public String createdAt() {
    return createdAt;
  }

  /** How the server found it ({@code lexical}, {@code vector}, {@code recent}, {@code update}...), or null when not said. */
  public String source() {
    return source;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ContextItem o
        && Objects.equals(id, o.id)
        && Objects.equals(type, o.type)
        && Objects.equals(content, o.content)
        && Double.compare(confidence, o.confidence) == 0
        && Double.compare(relevance, o.relevance) == 0
        && Objects.equals(eventDate, o.eventDate)
        && Objects.equals(validUntil, o.validUntil)
        && Objects.equals(temporalCategory, o.temporalCategory)
        && Objects.equals(createdAt, o.createdAt)
        && Objects.equals(source, o.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        id,
        type,
        content,
        confidence,
        relevance,
        eventDate,
        validUntil,
        temporalCategory,
        createdAt,
        source);
  }

  @Override
  public String toString() {
    return "ContextItem["
        + "id=" + id
        + ", type=" + type
        + ", content=" + content
        + ", confidence=" + confidence
        + ", relevance=" + relevance
        + ", eventDate=" + eventDate
        + ", validUntil=" + validUntil
        + ", temporalCategory=" + temporalCategory
        + ", createdAt=" + createdAt
        + ", source=" + source
        + "]";
  }
}
