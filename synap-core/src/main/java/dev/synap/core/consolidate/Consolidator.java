package dev.synap.core.consolidate;

import dev.synap.core.extract.RetractionCues.Retraction;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Message;
import dev.synap.core.model.Scope;
import dev.synap.core.store.MemoryChanges;
import dev.synap.core.store.MemoryChanges.StatusChange;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.MemoryLedger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides how one message's candidate memories change what the owner already has:
 *
 * <ul>
 *   <li><b>retraction</b> ("forget that", "ignore what I said about my job"): the matching
 *       current memories become {@code retracted};
 *   <li><b>change</b>: a new value for the same subject and single-valued attribute (residence,
 *       favourite colour...) supersedes the old memory, which keeps its history with
 *       {@code valid_until} set to the new statement's time;
 *   <li><b>restatement</b>: a near-copy (same type, same event date, content-word Jaccard at or
 *       above {@link #DUPLICATE_JACCARD}) reinforces the existing memory instead of adding one;
 *   <li>anything else is inserted.
 * </ul>
 *
 * Runs inside the transaction that completes the message, so decisions see every earlier commit.
 *
 * <p>Who may change what ({@link Reach}): a memory is evidence of what its speaker said, so only
 * that speaker's own later turns may take it back.
 *
 * <ul>
 *   <li>a <b>user's turn</b> (role {@code user}, with a user id) retracts, supersedes and
 *       reinforces only that user's memories (within the same customer) that came from turns;
 *   <li>a <b>turn without a user id</b> reaches only the memories without a user id of its own
 *       conversation (and customer): anyone can send such a turn, so it must never reach
 *       instance-wide knowledge;
 *   <li>an <b>assistant, system or tool turn</b> retracts and supersedes nothing: an agent's
 *       words (an echo, a paraphrase, a hallucination) are not the user's testimony. Its
 *       restatements still reinforce within the same reach, so a repeated line is not stored twice;
 *   <li>a <b>document chunk</b> supersedes and reinforces only document memories of the same
 *       owner; no turn ever changes a document memory: documents change through the memories API.
 * </ul>
 */
public final class Consolidator {
  public static final double DUPLICATE_JACCARD = 0.8;
  private static final int CANDIDATES = 24;
  private final RareTerms rareTerms = new RareTerms();

  /**
   * The memories one message may change.
   *
   * @param filter the owner (or conversation) to search
   * @param allows which of the found memories this message may touch (the filter is coarser)
   * @param mayChange whether it may retract and supersede, beyond reinforcing restatements
   */
  record Reach(MemoryFilter filter, Predicate<Memory> allows, boolean mayChange) {

    static Reach of(Message m) {
      if ("document".equals(m.kind())) {
        return new Reach(ownerScope(m), old -> old.fromDocument() && sameOwner(old, m), true);
      }
      boolean speaksForOwner = "user".equals(m.role());
      if (m.userId() != null) {
        return new Reach(MemoryFilter.user(m.instanceId(), m.customerId(), m.userId()), old -> !old.fromDocument(), speaksForOwner);
      }
      MemoryFilter conversation = new MemoryFilter(m.instanceId(), Scope.CONVERSATION, m.customerId(), null, m.conversationId(), Set.of(), false);
      return new Reach(conversation, old -> !old.fromDocument() && sameOwner(old, m) && m.conversationId().equals(old.conversationId()), speaksForOwner);
    }

    private static boolean sameOwner(Memory old, Message m) {
      return Objects.equals(old.userId(), m.userId()) && Objects.equals(old.customerId(), m.customerId());
    }

    List<Memory> keep(List<Memory> found) {
      return found.stream().filter(allows).toList();
    }
  }

  public MemoryChanges decide(Message message, List<Memory> candidates, Retraction retraction, MemoryLedger ledger) {
    String when = message.occurredAt().toString();
    Reach reach = Reach.of(message);
    List<StatusChange> changes = new ArrayList<>();
    if (retraction != null && reach.mayChange()) changes.addAll(retract(message, retraction, ledger, when, reach));

    Map<String, Memory> reinforced = new LinkedHashMap<>();
    List<Memory> inserts = new ArrayList<>();
    for (Memory candidate : candidates) {
      Memory same = duplicateOf(candidate, inserts, reinforced, ledger, reach);
      if (same != null) {
        if (!inserts.contains(same)) reinforced.put(same.memoryId(), reinforce(same, candidate, message));
        continue;
      }
      String key = (String) candidate.attributes().get("attribute_key");
      List<String> superseded = new ArrayList<>();
      if (key != null && reach.mayChange()) {
        for (Memory old : reach.keep(ledger.withAttribute(reach.filter(), key))) {
          if (!sameSubject(old, candidate) || changes.stream().anyMatch(c -> c.memoryId().equals(old.memoryId()))) continue;
          superseded.add(old.memoryId());
          changes.add(new StatusChange(old.memoryId(), "superseded", when,
              key + " changed from '" + old.attributes().get("attribute_value") + "' to '" + candidate.attributes().get("attribute_value") + "'",
              candidate.memoryId()));
        }
      }
      inserts.add(superseded.isEmpty() ? candidate : withAttribute(candidate, "supersedes", List.copyOf(superseded)));
    }
    for (Memory m : inserts) rareTerms.count(ContentTokens.of(m.content()));
    return new MemoryChanges(inserts, List.copyOf(reinforced.values()), changes);
  }

  private List<StatusChange> retract(Message message, Retraction retraction, MemoryLedger ledger, String when, Reach reach) {
    String reason = "retracted by the speaker: " + abbreviate(message.content());
    List<StatusChange> out = new ArrayList<>();
    if (retraction.ofLastStatement()) {
      // "Forget that" refers to the latest statement in this conversation: every memory it created.
      MemoryFilter conversation = new MemoryFilter(message.instanceId(), Scope.CONVERSATION, message.customerId(), message.userId(),
          message.conversationId(), Set.of(), false);
      List<Memory> newest = reach.keep(ledger.newest(conversation, 20));
      if (newest.isEmpty()) return out;
      String lastSource = newest.getFirst().sourceMessageIds().getFirst();
      for (Memory m : newest) {
        if (m.sourceMessageIds().getFirst().equals(lastSource)) out.add(new StatusChange(m.memoryId(), "retracted", when, reason, null));
      }
      return out;
    }
    Set<String> topic = ContentTokens.of(retraction.topic());
    if (topic.isEmpty()) return out;
    for (Memory m : reach.keep(ledger.similar(reach.filter(), List.copyOf(topic), 50))) {
      // "the nurse job" should reach "works as a nurse": most, not all, topic words must be there.
      Set<String> words = ContentTokens.of(m.content());
      long shared = topic.stream().filter(words::contains).count();
      if (shared * 2 >= topic.size()) out.add(new StatusChange(m.memoryId(), "retracted", when, reason, null));
    }
    return out;
  }

  private Memory duplicateOf(Memory candidate, List<Memory> inserts, Map<String, Memory> reinforced, MemoryLedger ledger, Reach reach) {
    Set<String> tokens = ContentTokens.of(candidate.content());
    for (Memory earlier : inserts) if (nearCopy(earlier, candidate, tokens)) return earlier;
    if (tokens.isEmpty()) return null;
    MemoryFilter sameType = reach.filter().withTypes(Set.of(candidate.type()));
    // Only the words every near-copy must share one of (see RareTerms): searching for all of them
    // made this the writer's slowest step once the store held many statements with common words.
    List<Memory> found = new ArrayList<>(ledger.similar(sameType, rareTerms.prefix(tokens, DUPLICATE_JACCARD), CANDIDATES));
    // A restated attribute ("I live in Boston" / "I'm based in Boston") need not share words.
    Object key = candidate.attributes().get("attribute_key");
    if (key != null) found.addAll(ledger.withAttribute(sameType, key.toString()));
    for (Memory existing : reach.keep(found)) {
      Memory current = reinforced.getOrDefault(existing.memoryId(), existing);
      if (nearCopy(current, candidate, tokens)) return current;
    }
    return null;
  }

  private static boolean nearCopy(Memory existing, Memory candidate, Set<String> candidateTokens) {
    if (existing.type() != candidate.type() || !Objects.equals(existing.eventDate(), candidate.eventDate())) return false;
    // Evidence and a typed memory are kept apart: a typed statement must not be folded into evidence.
    if (existing.isEvidence() != candidate.isEvidence()) return false;
    // Happenings told on different days are different occurrences ("we had a picnic" in May and
    // again in January), not a restatement; facts and preferences restated later are the same.
    boolean happening = candidate.type() == MemoryType.EPISODE || candidate.type() == MemoryType.EMOTION
        || candidate.type() == MemoryType.TEMPORAL_EVENT;
    if (happening && !Objects.equals(existing.attributes().get("valid_from"), candidate.attributes().get("valid_from"))) return false;
    Object key = candidate.attributes().get("attribute_key");
    if (key != null) {
      // Same attribute: a duplicate only when the value is the same too (else it is a change).
      return key.equals(existing.attributes().get("attribute_key"))
          && sameSubject(existing, candidate)
          && Objects.equals(existing.attributes().get("attribute_value"), candidate.attributes().get("attribute_value"));
    }
    return ContentTokens.jaccard(ContentTokens.of(existing.content()), candidateTokens) >= DUPLICATE_JACCARD;
  }

  private static Memory reinforce(Memory existing, Memory restated, Message message) {
    if (existing.sourceMessageIds().contains(message.messageId())) return existing;
    double confidence = Math.round((existing.confidence() + (1 - existing.confidence()) * 0.5 * restated.confidence()) * 1000) / 1000.0;
    Map<String, Object> attrs = new LinkedHashMap<>(existing.attributes());
    attrs.put("last_seen", message.occurredAt().toString());
    attrs.put("reinforcements", ((Number) attrs.getOrDefault("reinforcements", 0)).intValue() + 1);
    List<String> sources = new ArrayList<>(existing.sourceMessageIds());
    sources.add(message.messageId());
    return new Memory(existing.memoryId(), existing.instanceId(), existing.userId(), existing.customerId(), existing.conversationId(),
        existing.scope(), existing.type(), existing.content(), confidence, existing.category(), Map.copyOf(attrs), existing.eventDate(),
        existing.validUntil(), existing.temporalCategory(), List.copyOf(sources), existing.status(), existing.createdAt(), message.occurredAt());
  }

  /** Same subject entity when both know it; otherwise the same subject name (or neither has one). */
  private static boolean sameSubject(Memory a, Memory b) {
    Object ea = a.attributes().get("entity_id");
    Object eb = b.attributes().get("entity_id");
    if (ea != null && eb != null) return ea.equals(eb);
    Object sa = a.attributes().get("subject");
    Object sb = b.attributes().get("subject");
    return sa == null ? sb == null : sb != null && sa.toString().toLowerCase(Locale.ROOT).equals(sb.toString().toLowerCase(Locale.ROOT));
  }

  private static Memory withAttribute(Memory m, String key, Object value) {
    Map<String, Object> attrs = new LinkedHashMap<>(m.attributes());
    attrs.put(key, value);
    return new Memory(m.memoryId(), m.instanceId(), m.userId(), m.customerId(), m.conversationId(), m.scope(), m.type(), m.content(),
        m.confidence(), m.category(), Map.copyOf(attrs), m.eventDate(), m.validUntil(), m.temporalCategory(), m.sourceMessageIds(),
        m.status(), m.createdAt(), m.updatedAt());
  }

  /** Whose memories these are: the user's across conversations, else the customer's, else the instance's. */
  static MemoryFilter ownerScope(Message m) {
    return scope(m.instanceId(), m.customerId(), m.userId());
  }

  private static MemoryFilter scope(String instanceId, String customerId, String userId) {
    if (userId != null) return MemoryFilter.user(instanceId, customerId, userId);
    if (customerId != null) return new MemoryFilter(instanceId, Scope.CUSTOMER, customerId, null, null, Set.of(), false);
    return new MemoryFilter(instanceId, Scope.CLIENT, null, null, null, Set.of(), false);
  }

  private static String abbreviate(String s) {
    String t = s == null ? "" : s.strip();
    return t.length() <= 120 ? t : t.substring(0, 117) + "...";
  }
}
