package dev.synap.core.tenant;

import dev.synap.core.InvalidInputException;
import dev.synap.core.model.Scope;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Which ids a request must carry, by scope and by the instance's relationship mode. In B2B every
 * user belongs to a customer, so a user id alone is ambiguous and refused.
 */
public final class ScopeRules {
  private static final Pattern ID = Pattern.compile("[\\p{L}\\p{N}_.:@+\\-]{1,256}");

  private ScopeRules() {}

  /** Validates the ids of a request at {@code scope} and returns them normalised (blank = null). */
  public static ScopeIds check(Instance instance, Scope scope, String conversationId, String userId, String customerId) {
    String conv = blankToNull(conversationId);
    String user = blankToNull(userId);
    String customer = blankToNull(customerId);
    if (conv != null) requireUuid("conversation_id", conv);
    if (user != null) requireId("user_id", user);
    if (customer != null) requireId("customer_id", customer);
    switch (scope) {
      case CONVERSATION -> {
        if (conv == null) throw new InvalidInputException("conversation_id is required for conversation scope");
      }
      case USER -> {
        if (user == null) throw new InvalidInputException("user_id is required for user scope");
      }
      case CUSTOMER -> {
        if (customer == null) throw new InvalidInputException("customer_id is required for customer scope");
      }
      case CLIENT -> {}
    }
    if (instance.mode() == RelationshipMode.B2B && user != null && customer == null) {
      throw new InvalidInputException("customer_id is required with user_id on a B2B instance");
    }
    // B2C has no customers: a customer id there is a client mixing up instances, and storing it
    // would create a scope no B2C fetch ever reads.
    if (instance.mode() == RelationshipMode.B2C && customer != null) {
      throw new InvalidInputException("customer_id is not accepted on a B2C instance (relationship mode b2c); send user_id only");
    }
    return new ScopeIds(conv, user, customer);
  }

  /** Normalised ids of a request. */
  public record ScopeIds(String conversationId, String userId, String customerId) {}

  public static void requireUuid(String field, String value) {
    try {
      UUID.fromString(value);
      if (value.length() != 36) throw new IllegalArgumentException();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(field + " must be a UUID, got '" + abbreviate(value) + "'");
    }
  }

  public static void requireId(String field, String value) {
    if (!ID.matcher(value).matches()) {
      throw new InvalidInputException(field + " must be 1-256 letters, digits or _.:@+- characters");
    }
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
