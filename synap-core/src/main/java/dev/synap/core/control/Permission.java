package dev.synap.core.control;

import dev.synap.core.InvalidInputException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an instance key may do. The wire names are what the admin API accepts and returns; a key
 * is created with every permission unless a subset is named.
 */
public enum Permission {
  /** List, get and read the history of memories; message and ingestion status; profiles; entities. */
  MEMORIES_READ("memories:read"),
  /** Record messages and transcripts, create, edit and delete memories, delete users, compact. */
  MEMORIES_WRITE("memories:write"),
  /** Fetch context at every scope; read compactions and context-for-prompt. */
  CONTEXT_READ("context:read"),
  /** Open the gRPC Listen stream. */
  STREAM("stream"),
  /** Report client telemetry (REST batch and the IngestTelemetry RPC). */
  TELEMETRY_WRITE("telemetry:write"),
  /** Read the instance's analytics. */
  ANALYTICS_READ("analytics:read"),
  /** Read the key's own instance (details, usage). */
  INSTANCES_READ("instances:read");

  private final String wireName;

  Permission(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Set<Permission> all() {
    return EnumSet.allOf(Permission.class);
  }

  /** Parses wire names; an unknown name is bad input (never silently dropped: that would widen or narrow a key unseen). */
  public static Set<Permission> parse(Collection<String> names) {
    if (names.isEmpty()) throw new InvalidInputException("permissions must name at least one permission");
    EnumSet<Permission> out = EnumSet.noneOf(Permission.class);
    for (String n : names) {
      Permission p = null;
      for (Permission c : values()) if (c.wireName.equals(n)) p = c;
      if (p == null) throw new InvalidInputException("unknown permission '" + n + "'; known: " + names(all()));
      out.add(p);
    }
    return out;
  }

  public static String names(Set<Permission> permissions) {
    return permissions.stream().map(Permission::wireName).collect(Collectors.joining(","));
  }

  /** The stored form: {@code *} for every permission, else the comma-separated wire names. */
  public static String encode(Set<Permission> permissions) {
    return permissions.containsAll(all()) ? "*" : names(permissions);
  }

  public static Set<Permission> decode(String stored) {
    if (stored == null || stored.equals("*")) return all();
    EnumSet<Permission> out = EnumSet.noneOf(Permission.class);
    for (String n : stored.split(",")) for (Permission p : values()) if (p.wireName.equals(n.strip())) out.add(p);
    return out;
  }
}
