package dev.synap.core.model;

import java.util.Locale;
import java.util.Optional;

/** Context scopes from narrowest to broadest. */
public enum Scope {
  CONVERSATION,
  USER,
  CUSTOMER,
  CLIENT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Scope> parse(String s) {
    if (s == null) return Optional.empty();
    for (Scope v : values()) if (v.wireName().equalsIgnoreCase(s.trim())) return Optional.of(v);
    return Optional.empty();
  }
}
