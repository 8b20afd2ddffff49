package dev.synap.sdk;

/**
 * One verbatim turn of short-term context.
 *
 * @param messageId the stored message id (context-for-prompt answers); null in pushed bundles
 */
public record RecentTurn(String role, String content, String timestamp, String messageId) {}
