package dev.synap.server.grpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The conversations a Listen stream sent events for, with the user/customer ids it sent along,
 * so that later pushes about a conversation (compaction updates) reach the streams that follow
 * it and carry the right cache scope. Bounded: a long-lived stream forgets the least recent ones.
 */
final class SeenConversations {
  static final int MAX = 1_000;
  private final Map<String, BundleAssembler.Target> byConversation = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, BundleAssembler.Target> eldest) {
      return size() > MAX;
    }
  };

  synchronized void add(BundleAssembler.Target target) {
    byConversation.put(target.conversationId(), target);
  }

  synchronized Optional<BundleAssembler.Target> get(String conversationId) {
    return Optional.ofNullable(byConversation.get(conversationId));
  }
}
