package dev.synap.core.retrieve;

import dev.synap.core.model.Memory;
import dev.synap.core.model.Scope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a user's context is: the user's own memories, what their customer shares (memories held by
 * the customer itself, B2B) and client-wide knowledge (instance memories: documents and facts with
 * no user or customer). Each level is retrieved on its own (so a broad level cannot crowd a
 * narrow one out of the candidates), then merged: an item a narrower level already gave, one
 * saying the same thing (same normalised text) or one stating the same attribute of the same
 * subject (single-valued attributes: residence, employer, favourite X) is dropped from the broader
 * levels, so the narrower scope wins on conflict. The rest is ranked by relevance and fitted to
 * the query's budget and {@code maxResults}.
 *
 * <p>A conversation id given with a user fetch narrows the user's own level to that conversation;
 * the customer and client levels are not about conversations and stay whole.
 *
 * <p>What the broader levels share is knowledge given to that scope on purpose: documents (the
 * memories API, uploads). Memories of turns recorded without a user id are instance-wide too
 * (a client fetch sees them), but they are often an assistant's replies in someone's
 * conversation, quoting that person; a user's context never carries another user's
 * conversations, so they stay out of the chain. The broad levels are searched three times as deep
 * to make up for what this leaves out.
 */
public final class ScopeChain {
  private ScopeChain() {}

  /** The levels a user-scope query reads, narrowest first. */
  public static List<ContextQuery> levels(ContextQuery user) {
    if (user.scope() != Scope.USER) return List.of(user);
    List<ContextQuery> out = new ArrayList<>();
    out.add(user.conversationId() != null
        ? user.at(Scope.CONVERSATION, user.conversationId(), user.userId(), user.customerId())
        : user.at(Scope.USER, null, user.userId(), user.customerId()));
    if (user.customerId() != null) out.add(deeper(user.at(Scope.CUSTOMER, null, null, user.customerId())));
    out.add(deeper(user.at(Scope.CLIENT, null, null, null)));
    return out;
  }

  private static ContextQuery deeper(ContextQuery q) {
    return new ContextQuery(q.instanceId(), q.scope(), q.conversationId(), q.userId(), q.customerId(), q.queries(), q.types(),
        Math.min(300, q.maxResults() * 3), q.mode(), q.tokenBudget() * 3, q.precision());
  }

  /** The scope each level stands for on the wire ({@code user}, {@code customer}, {@code client}). */
  public static List<String> names(List<ContextQuery> levels) {
    List<String> out = new ArrayList<>();
    for (ContextQuery q : levels) out.add((q.scope() == Scope.CONVERSATION && q.userId() != null ? Scope.USER : q.scope()).wireName());
    return out;
  }

  /** Merges the levels' results (narrowest first) as the class comment says. */
  public static ContextResult merge(ContextQuery query, List<ContextResult> narrowestFirst, long startedNanos) {
    List<ContextItem> kept = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> texts = new HashSet<>();
    Set<String> attributes = new HashSet<>();
    Set<String> sources = new java.util.LinkedHashSet<>();
    for (int l = 0; l < narrowestFirst.size(); l++) {
      ContextResult level = narrowestFirst.get(l);
      boolean shared = l > 0; // the customer and client levels: documents only (see the class comment)
      sources.addAll(level.sourcesQueried());
      // Claims of this level are collected after it is read, so duplicates within one level stay as they were ranked.
      List<String> newTexts = new ArrayList<>();
      List<String> newAttributes = new ArrayList<>();
      for (ContextItem item : level.items()) {
        Memory m = item.memory();
        if (shared && !m.fromDocument()) continue;
        String text = normalise(m.content());
        String attribute = attribute(m);
        if (ids.contains(m.memoryId()) || texts.contains(text) || (attribute != null && attributes.contains(attribute))) continue;
        ids.add(m.memoryId());
        newTexts.add(text);
        if (attribute != null) newAttributes.add(attribute);
        kept.add(item);
      }
      texts.addAll(newTexts);
      attributes.addAll(newAttributes);
    }
    kept.sort(Comparator.comparingDouble(ContextItem::relevance).reversed()); // stable: ties keep the narrower first
    TokenBudget.Fitted fitted = TokenBudget.fit(kept, query.tokenBudget(), query.maxResults());
    boolean exceeded = fitted.exceeded() || narrowestFirst.stream().anyMatch(ContextResult::budgetExceeded);
    return new ContextResult(fitted.items(), fitted.tokensUsed(), query.tokenBudget(), exceeded, query.mode(), List.copyOf(sources),
        (System.nanoTime() - startedNanos) / 1000);
  }

  /** A single-valued attribute of one subject, when consolidation recorded one. */
  private static String attribute(Memory m) {
    Object key = m.attributes().get("attribute_key");
    if (key == null) return null;
    Object subject = m.attributes().getOrDefault("subject", m.attributes().get("entity_id"));
    return key + "\u0000" + (subject == null ? "" : subject.toString().toLowerCase(Locale.ROOT));
  }

  private static String normalise(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
  }
}
