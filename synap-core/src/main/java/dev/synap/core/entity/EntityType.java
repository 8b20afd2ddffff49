package dev.synap.core.entity;

import java.util.Locale;

/** What a named entity is. THING covers titles, products and anything not otherwise typed. */
public enum EntityType {
  PERSON,
  PLACE,
  ORGANIZATION,
  PET,
  THING;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EntityType parse(String s) {
    if (s == null) return THING;
    for (EntityType t : values()) if (t.wireName().equalsIgnoreCase(s.trim())) return t;
    return THING;
  }
}
