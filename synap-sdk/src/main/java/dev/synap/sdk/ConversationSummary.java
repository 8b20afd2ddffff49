package dev.synap.sdk;

import java.util.Map;

/**
 * One of a user's recent conversations in a summary-mode fetch ({@code context_mode =
 * conversation-summary}): when it ran, how long it is, and its summary when one is available.
 *
 * @param summaryStatus {@code available}, {@code pending} (being made) or {@code failed}
 * @param summary the summary text, null unless available
 * @param analysis the {@code analysis} object a transcript ingestion gave (empty when none)
 */
public record ConversationSummary(
    String conversationId, String externalConversationId, String conversationType, String startedAt, String endedAt,
    String lastMessageAt, int messageCount, String summaryStatus, String summary, Map<String, Object> analysis) {}
