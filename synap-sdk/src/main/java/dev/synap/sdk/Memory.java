package dev.synap.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One stored memory, as {@link MemoriesClient#get}, {@link MemoriesClient#list} and
 * {@link MemoriesClient#update} return it. Built by the SDK from the server's answer; fields the
 * server leaves out are null (texts, times) or empty (lists, maps).
 */
public final class Memory {
  private final String memoryId;
  private final String memoryType;
  private final String content;
  private final double confidence;
  private final String category;
  private final String subcategory;
  private final Instant createdAt;
  private final Instant updatedAt;
  private final String sourceDocumentId;
  private final String status;
  private final String scope;
  private final String userId;
  private final String customerId;
  private final String conversationId;
  private final String eventDate;
  private final String validUntil;
  private final String temporalCategory;
  private final List<String> sourceMessageIds;
  private final Map<String, Object> attributes;

  private Memory(JsonNode n) {
    this.memoryId = JsonFields.text(n, "memory_id");
    this.memoryType = JsonFields.text(n, "memory_type");
    this.content = JsonFields.text(n, "content");
    this.confidence = JsonFields.number(n, "confidence", 0);
    this.category = JsonFields.text(n, "category");
    this.subcategory = JsonFields.text(n, "subcategory");
    this.createdAt = JsonFields.instant(n, "created_at");
    this.updatedAt = JsonFields.instant(n, "updated_at");
    this.sourceDocumentId = JsonFields.text(n, "source_document_id");
    this.status = JsonFields.text(n, "status");
    this.scope = JsonFields.text(n, "scope");
    this.userId = JsonFields.text(n, "user_id");
    this.customerId = JsonFields.text(n, "customer_id");
    this.conversationId = JsonFields.text(n, "conversation_id");
    this.eventDate = JsonFields.text(n, "event_date");
    this.validUntil = JsonFields.text(n, "valid_until");
    this.temporalCategory = JsonFields.text(n, "temporal_category");
    this.sourceMessageIds = JsonFields.texts(n, "source_message_ids");
    this.attributes = JsonFields.object(n, "attributes");
  }

  static Memory from(JsonNode n) {
    return new Memory(n);
  }

  public String memoryId() {
    return memoryId;
  }

  /** {@code fact}, {@code preference}, {@code episode}, {@code emotion} or {@code temporal_event}. */
  public String memoryType() {
    return memoryType;
  }

  public String content() {
    return content;
  }

  /** 0 to 1. */
  public double confidence() {
    return confidence;
  }

  public String category() {
    return category;
  }

  public String subcategory() {
    return subcategory;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  /** The document the memory was extracted from, or null when it came from a conversation. */
  public String sourceDocumentId() {
    return sourceDocumentId;
  }

  /** {@code current}, {@code superseded} or {@code retracted} (the last two only in a list with history). */
  public String status() {
    return status;
  }

  /** The scope it belongs to: {@code user}, {@code customer}, {@code client} or {@code conversation}. */
  public String scope() {
    return scope;
  }

  public String userId() {
    return userId;
  }

  public String customerId() {
    return customerId;
  }

  public String conversationId() {
    return conversationId;
  }

  /** ISO date (or date-time) the memory refers to, when stated. */
  public String eventDate() {
    return eventDate;
  }

  public String validUntil() {
    return validUntil;
  }

  public String temporalCategory() {
    return temporalCategory;
  }

  public List<String> sourceMessageIds() {
    return sourceMessageIds;
  }

  /** Type-specific details (preference direction, emotion type, participants...) as plain Java values. */
  public Map<String, Object> attributes() {
    return attributes;
  }

  private List<Object> values() {
    return Arrays.asList(memoryId, memoryType, content, confidence, category, subcategory, createdAt, updatedAt, sourceDocumentId, status,
        scope, userId, customerId, conversationId, eventDate, validUntil, temporalCategory, sourceMessageIds, attributes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Memory m && values().equals(m.values());
  }

  @Override
  public int hashCode() {
    return values().hashCode();
  }

  @Override
  public String toString() {
    return "Memory[" + memoryId + ", " + memoryType + ", " + status + ": " + content + "]";
  }
}
