package dev.synap.core.retrieve.lucene;

import dev.synap.core.model.Memory;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The Lucene shape of one memory. Owner ids are indexed as exact keywords so scope filters are
 * term queries; an absent owner is indexed as {@link #NONE} so "has no user" is a term query too.
 * Status lives in a doc-values field because doc values can be updated in place: a memory that is
 * superseded changes one number instead of being re-embedded.
 */
public final class MemoryDocument {
  static final String ID = "id";
  static final String INSTANCE = "instance";
  static final String USER = "user";
  static final String CUSTOMER = "customer";
  static final String CONVERSATION = "conversation";
  static final String SCOPE = "scope";
  static final String TYPE = "type";
  static final String STATUS = "status";
  static final String EVENT_DAY = "event_day";
  static final String CONFIDENCE = "confidence";
  static final String TEXT = "text";
  static final String VECTOR = "vector";
  static final String CONTEXT_VECTOR = "context_vector";
  /** Entity ids the memory names (its attributes' {@code entity_ids}): the graph walk's shared-entity edges. */
  static final String ENTITY = "entity";
  /** The entity the memory is about (its attributes' {@code entity_id}: the speaker, or the first person named). */
  static final String SUBJECT = "subject";
  /** When the memory's source turn was said (epoch millis): the graph walk's neighbouring-turn edges. */
  static final String AT = "at";
  static final String NONE = "\u0000";
  /**
   * The document shape's version, recorded with each commit: an index of another shape is rebuilt
   * at open (2: entity ids, conversation and turn time stored for the graph walk).
   */
  static final String FORMAT = "2";
  static final String FORMAT_KEY = "synap.document_format";

  static final long CURRENT = 0;
  static final long NOT_CURRENT = 1;

  private MemoryDocument() {}

  static Document of(IndexedMemory im) {
    Memory m = im.memory();
    Document d = new Document();
    d.add(new StringField(ID, m.memoryId(), Field.Store.YES));
    d.add(new StringField(INSTANCE, m.instanceId(), Field.Store.NO));
    d.add(new StringField(USER, orNone(m.userId()), Field.Store.NO));
    d.add(new StringField(CUSTOMER, orNone(m.customerId()), Field.Store.NO));
    d.add(new StringField(CONVERSATION, orNone(m.conversationId()), Field.Store.YES));
    for (String entity : entityIds(m)) d.add(new StringField(ENTITY, entity, Field.Store.YES));
    if (m.attributes() != null && m.attributes().get("entity_id") instanceof String subject) d.add(new StringField(SUBJECT, subject, Field.Store.NO));
    if (m.createdAt() != null) d.add(new org.apache.lucene.document.LongField(AT, m.createdAt().toEpochMilli(), Field.Store.YES));
    d.add(new StringField(SCOPE, m.scope().wireName(), Field.Store.NO));
    d.add(new StringField(TYPE, m.type().wireKey(), Field.Store.NO));
    d.add(new NumericDocValuesField(STATUS, status(m.status())));
    d.add(new LongPoint(EVENT_DAY, im.eventDay()));
    d.add(new StoredField(EVENT_DAY, im.eventDay()));
    d.add(new StoredField(CONFIDENCE, m.confidence()));
    d.add(new TextField(TEXT, im.text(), Field.Store.NO));
    if (im.vector() != null) d.add(new KnnFloatVectorField(VECTOR, im.vector(), VectorSimilarityFunction.COSINE));
    if (im.contextVector() != null) d.add(new KnnFloatVectorField(CONTEXT_VECTOR, im.contextVector(), VectorSimilarityFunction.COSINE));
    return d;
  }

  /** The entities a memory names: {@code entity_ids}, and its main {@code entity_id}. */
  static java.util.Set<String> entityIds(Memory m) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    if (m.attributes() == null) return out;
    if (m.attributes().get("entity_ids") instanceof java.util.List<?> ids) for (Object o : ids) if (o instanceof String s) out.add(s);
    if (m.attributes().get("entity_id") instanceof String s) out.add(s);
    return out;
  }

  static long status(String status) {
    return "current".equals(status) ? CURRENT : NOT_CURRENT;
  }

  static String orNone(String id) {
    return id == null ? NONE : id;
  }
}
