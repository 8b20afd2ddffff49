package dev.synap.core.relate;

import dev.synap.core.entity.EntityType;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The documented set of relation names, one per wire value. A {@code singleValued} relation has
 * at most one current object per subject: a newer statement supersedes the older one ("works at
 * Z" after "works at Y"); the others accumulate (two sisters). {@code objectType} is what the
 * object entity is registered as when it is new.
 */
public enum RelationName {
  SISTER(false), BROTHER(false), SIBLING(false), MOTHER(false), FATHER(false), PARENT(false), SON(false), DAUGHTER(false),
  CHILD(false), PARTNER(true), COUSIN(false), AUNT(false), UNCLE(false), GRANDMOTHER(false), GRANDFATHER(false), NIECE(false),
  NEPHEW(false), FRIEND(false), COLLEAGUE(false), BOSS(false), ROOMMATE(false), NEIGHBOUR(false), MENTOR(false),
  WORKS_AT(true, EntityType.ORGANIZATION), STUDIES_AT(true, EntityType.ORGANIZATION), LIVES_IN(true, EntityType.PLACE),
  WENT_WITH(false), LIKES(false, EntityType.THING);

  private final boolean singleValued;
  private final EntityType objectType;

  RelationName(boolean singleValued) {
    this(singleValued, EntityType.PERSON);
  }

  RelationName(boolean singleValued, EntityType objectType) {
    this.singleValued = singleValued;
    this.objectType = objectType;
  }

  public boolean singleValued() {
    return singleValued;
  }

  public EntityType objectType() {
    return objectType;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The word people use for a relation, as written in a sentence or a question. */
  private static final Map<String, RelationName> WORDS = Map.ofEntries(
      Map.entry("sister", SISTER), Map.entry("sis", SISTER), Map.entry("brother", BROTHER), Map.entry("sibling", SIBLING),
      Map.entry("mother", MOTHER), Map.entry("mom", MOTHER), Map.entry("mum", MOTHER), Map.entry("father", FATHER),
      Map.entry("dad", FATHER), Map.entry("parent", PARENT), Map.entry("son", SON), Map.entry("daughter", DAUGHTER),
      Map.entry("child", CHILD), Map.entry("kid", CHILD), Map.entry("partner", PARTNER), Map.entry("wife", PARTNER),
      Map.entry("husband", PARTNER), Map.entry("girlfriend", PARTNER), Map.entry("boyfriend", PARTNER), Map.entry("fiance", PARTNER),
      Map.entry("fiancee", PARTNER), Map.entry("spouse", PARTNER), Map.entry("cousin", COUSIN), Map.entry("aunt", AUNT),
      Map.entry("uncle", UNCLE), Map.entry("grandmother", GRANDMOTHER), Map.entry("grandma", GRANDMOTHER),
      Map.entry("grandfather", GRANDFATHER), Map.entry("grandpa", GRANDFATHER), Map.entry("niece", NIECE), Map.entry("nephew", NEPHEW),
      Map.entry("friend", FRIEND), Map.entry("colleague", COLLEAGUE), Map.entry("coworker", COLLEAGUE), Map.entry("co-worker", COLLEAGUE),
      Map.entry("boss", BOSS), Map.entry("manager", BOSS), Map.entry("roommate", ROOMMATE), Map.entry("neighbour", NEIGHBOUR),
      Map.entry("neighbor", NEIGHBOUR), Map.entry("mentor", MENTOR));

  /** The kinship or social relation a word names ({@code "mom"}: mother), if any. */
  public static Optional<RelationName> ofWord(String word) {
    String w = word.toLowerCase(Locale.ROOT).replace('\u00e9', 'e');
    if (w.endsWith("s") && !WORDS.containsKey(w) && WORDS.containsKey(w.substring(0, w.length() - 1))) w = w.substring(0, w.length() - 1);
    return Optional.ofNullable(WORDS.get(w));
  }

  public static Optional<RelationName> parse(String wire) {
    if (wire == null) return Optional.empty();
    for (RelationName r : values()) if (r.wireName().equals(wire)) return Optional.of(r);
    return Optional.empty();
  }
}
