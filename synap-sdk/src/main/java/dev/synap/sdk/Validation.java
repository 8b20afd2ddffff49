package dev.synap.sdk;

import java.util.UUID;
import java.util.regex.Pattern;

/** Checks the SDK makes before anything is sent, as the official client does. */
final class Validation {
  private static final Pattern INSTANCE_ID = Pattern.compile("inst_[0-9a-f]{16}");

  private Validation() {}

  static void conversationId(String id) {
    if (id == null || id.isEmpty()) return;
    try {
      if (id.length() != 36) throw new IllegalArgumentException();
      UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidConversationIdException("conversation_id must be a UUID, got '" + id + "'");
    }
  }

  static void instanceId(String id) {
    if (id != null && !id.isEmpty() && !INSTANCE_ID.matcher(id).matches()) {
      throw new InvalidInstanceIdException("instance_id must be inst_ followed by 16 hex characters, got '" + id + "'");
    }
  }

  /** B2B instances need a customer for every user; refuse before sending. */
  static void scopeIds(Identity identity, String userId, String customerId) {
    if (identity != null && identity.isB2b() && notBlank(userId) && !notBlank(customerId)) {
      throw new InvalidInputException("customer_id is required with user_id on a B2B instance");
    }
  }

  static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
