package dev.synap.integration;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.UUID;

/**
 * Framework conversation ids ("default", a chat id, a number) as the UUIDs the platform requires.
 *
 * <p>An id that already is a UUID is used as it is (lower case). Any other id {@code X} becomes
 * the name-based UUID version 5 (SHA-1, RFC 9562 section 5.5) in {@link #NAMESPACE} of the UTF-8
 * bytes of {@code customerId + "/" + userId + "/" + X}, an absent id being the empty string. The
 * owner is part of the name because frameworks reuse ids across users (Spring AI's
 * {@code "default"}): two users' "default" conversations must not become one. The mapping is
 * stable across processes, machines and integrations, so an agent restarted, or a LangChain4j
 * and a Spring AI agent of the same user, reach the same conversation.
 */
public final class ConversationIds {
  /** The namespace of the name-based UUIDs; never changes (it would orphan every mapped conversation). */
  public static final UUID NAMESPACE = UUID.fromString("15df8984-3ea0-480c-bd4b-8552905ed491");

  private ConversationIds() {}

  /** The platform conversation id for a framework's conversation id of this owner. */
  public static String of(Object frameworkId, String userId, String customerId) {
    if (frameworkId == null) throw new IllegalArgumentException("a conversation id is required");
    String id = frameworkId.toString();
    if (isUuid(id)) return id.toLowerCase(Locale.ROOT);
    return nameBased(NAMESPACE, nullToEmpty(customerId) + "/" + nullToEmpty(userId) + "/" + id).toString();
  }

  static boolean isUuid(String id) {
    if (id.length() != 36) return false;
    try {
      return UUID.fromString(id).toString().equalsIgnoreCase(id);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** RFC 9562 UUIDv5: SHA-1 over namespace bytes then name bytes, version and variant bits set. */
  static UUID nameBased(UUID namespace, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-1", e);
    }
    sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits()).array());
    byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    h[6] = (byte) ((h[6] & 0x0f) | 0x50);
    h[8] = (byte) ((h[8] & 0x3f) | 0x80);
    ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
    return new UUID(b.getLong(), b.getLong());
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
