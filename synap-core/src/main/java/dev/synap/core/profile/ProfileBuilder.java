package dev.synap.core.profile;

import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.MemoryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Derives a {@link UserProfile} from the user's <em>current</em> memories at request time, so it
 * is never stale: a superseded residence or a deleted memory is simply no longer there.
 *
 * <ul>
 *   <li>Single-valued attributes the extractor recognised ({@code attribute_key}: residence, job,
 *       employer, favourite things, ...) become attributes; the newest current one wins.
 *   <li>Preferences become {@code likes_<category>} / {@code dislikes_<category>} lists, strongest first.
 * </ul>
 */
public final class ProfileBuilder {
  static final int MAX_MEMORIES = 2_000;
  static final int MAX_PER_LIST = 5;
  private final MemoryStore memories;

  public ProfileBuilder(MemoryStore memories) {
    this.memories = memories;
  }

  /** The user's profile, or empty when nothing profile-worthy is known yet. */
  public Optional<UserProfile> build(String instanceId, String customerId, String userId) {
    MemoryFilter filter = new MemoryFilter(instanceId, dev.synap.core.model.Scope.USER, customerId, userId, null,
        java.util.Set.of(MemoryType.FACT, MemoryType.PREFERENCE), false);
    List<Memory> current = new ArrayList<>(memories.list(filter, MAX_MEMORIES, 0));
    current.sort(Comparator.comparing(Memory::createdAt)); // oldest first: later statements overwrite
    Map<String, UserProfile.Attribute> attributes = new LinkedHashMap<>();
    Map<String, List<Memory>> preferenceLists = new LinkedHashMap<>();
    Instant newest = null;
    // Source evidence is not something the user is known for: only typed memories make the profile.
    current.removeIf(Memory::isEvidence);
    for (Memory m : current) {
      Object key = m.attributes().get("attribute_key");
      Object value = m.attributes().get("attribute_value");
      if (key != null && value != null) {
        attributes.put(key.toString(), new UserProfile.Attribute(value.toString(), m.confidence(), m.updatedAt(), m.conversationId()));
        newest = later(newest, m.updatedAt());
      } else if (m.type() == MemoryType.PREFERENCE) {
        String direction = "dislike".equals(m.attributes().get("preference_direction")) ? "dislikes_" : "likes_";
        String category = m.category() == null ? "general" : m.category();
        preferenceLists.computeIfAbsent(direction + category, k -> new ArrayList<>()).add(m);
        newest = later(newest, m.updatedAt());
      }
    }
    preferenceLists.forEach((name, list) -> {
      list.sort(Comparator.comparingDouble(ProfileBuilder::strength).reversed());
      List<String> values = list.stream().limit(MAX_PER_LIST).map(Memory::content).toList();
      Memory top = list.getFirst();
      Memory latest = list.stream().max(Comparator.comparing(Memory::updatedAt)).orElse(top);
      attributes.put(name, new UserProfile.Attribute(values, strength(top), latest.updatedAt(), latest.conversationId()));
    });
    if (attributes.isEmpty()) return Optional.empty();
    return Optional.of(new UserProfile(attributes, overview(attributes), current.size(), newest));
  }

  private static double strength(Memory m) {
    return m.attributes().get("strength") instanceof Number n ? n.doubleValue() : m.confidence();
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  /** A short readable summary: single-valued attributes first, then what the user likes. */
  static String overview(Map<String, UserProfile.Attribute> attributes) {
    List<String> parts = new ArrayList<>();
    attributes.forEach((name, a) -> {
      if (a.value() instanceof String s) parts.add(name.replace('_', ' ') + ": " + s);
    });
    attributes.forEach((name, a) -> {
      if (a.value() instanceof List<?> l && !l.isEmpty()) parts.add(name.replace('_', ' ') + ": " + l.getFirst());
    });
    return String.join("; ", parts.subList(0, Math.min(parts.size(), 8)));
  }
}
