package dev.synap.core.tenant;

import java.util.Locale;
import java.util.Optional;

/**
 * How an instance relates users to customers. In B2C users stand alone; in B2B every user belongs
 * to a customer, so a user id without a customer id is refused.
 */
public enum RelationshipMode {
  B2C,
  B2B;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<RelationshipMode> parse(String s) {
    if (s == null) return Optional.empty();
    for (RelationshipMode m : values()) if (m.wireName().equalsIgnoreCase(s.trim())) return Optional.of(m);
    return Optional.empty();
  }
}
