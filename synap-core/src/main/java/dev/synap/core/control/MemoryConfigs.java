package dev.synap.core.control;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.ConflictException;
import dev.synap.core.InvalidInputException;
import dev.synap.core.NotFoundException;
import dev.synap.core.store.ControlStore;
import dev.synap.core.store.MemoryConfigStore;
import dev.synap.core.tenant.RelationshipMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each instance's memory configuration: the active version the engine reads (cached, so the hot
 * path costs a map lookup), and the review workflow that changes it: a draft is created
 * ({@code pending_review}, with review flags), edited, validated or dry-run, then applied
 * ({@code immediate}: every message extracted from now on; {@code graceful}: messages recorded
 * before the apply are still extracted under the version they arrived under). Rollback re-applies
 * an earlier version's body as a new version, so the history only grows. Every change is audited.
 */
public final class MemoryConfigs {
  public static final String PENDING = "pending_review";
  public static final String ACTIVE = "active";

  /** What the engine uses now, and what it used before a graceful apply (for messages recorded before it). */
  private record Effective(MemoryConfig current, Instant activatedAt, boolean graceful, MemoryConfig previous) {}

  /** A stored version with its parsed body and flags. */
  public record Version(MemoryConfigStore.Version stored, MemoryConfig config, List<ReviewFlag> flags) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final MemoryConfigStore store;
  private final ControlStore audit;
  private final ConcurrentHashMap<String, Effective> cache = new ConcurrentHashMap<>();

  public MemoryConfigs(MemoryConfigStore store, ControlStore audit) {
    this.store = store;
    this.audit = audit;
  }

  /** The configuration in force now ({@link MemoryConfig#UNCONFIGURED} until one is applied). */
  public MemoryConfig active(String instanceId) {
    return effective(instanceId).current();
  }

  /** Whether a configuration was ever applied to the instance (else it runs {@link MemoryConfig#UNCONFIGURED}). */
  public boolean configured(String instanceId) {
    return effective(instanceId).current() != MemoryConfig.UNCONFIGURED;
  }

  /** The configuration a message recorded at {@code recordedAt} is extracted under. */
  public MemoryConfig forMessage(String instanceId, Instant recordedAt) {
    Effective e = effective(instanceId);
    if (e.graceful() && e.previous() != null && recordedAt != null && recordedAt.isBefore(e.activatedAt())) return e.previous();
    return e.current();
  }

  private Effective effective(String instanceId) {
    Effective e = cache.get(instanceId);
    if (e != null) return e;
    Optional<MemoryConfigStore.Version> active = store.active(instanceId);
    if (active.isEmpty()) {
      e = new Effective(MemoryConfig.UNCONFIGURED, Instant.EPOCH, false, null);
    } else {
      MemoryConfigStore.Version v = active.get();
      MemoryConfig previous = null;
      boolean graceful = "graceful".equals(v.applyMode());
      if (graceful) {
        // The version active just before this one: the superseded version with the latest activation.
        previous = store.list(instanceId).stream().filter(x -> x.activatedAt() != null && x.version() != v.version())
            .max(java.util.Comparator.comparing(MemoryConfigStore.Version::activatedAt)).map(x -> MemoryConfig.parse(x.body()))
            .orElse(MemoryConfig.UNCONFIGURED);
      }
      e = new Effective(MemoryConfig.parse(v.body()), v.activatedAt(), graceful, previous);
    }
    if (cache.size() > 100_000) cache.clear();
    cache.put(instanceId, e);
    return e;
  }

  // ---- workflow

  /** Creates a draft from configuration text (JSON or YAML); it waits for review. */
  public Version init(String actor, String instanceId, String text, String source, String reason) {
    MemoryConfig c = MemoryConfig.parse(text);
    return draft(actor, instanceId, c, source, reason);
  }

  /** Creates a draft from a parsed configuration (the brief generator's output, for one). */
  public Version draft(String actor, String instanceId, MemoryConfig c, String source, String reason) {
    return draft(actor, instanceId, c, source, reason, ConfigReview.flags(c));
  }

  /** As {@link #draft(String, String, MemoryConfig, String, String)}, keeping the flags of whatever made it (a brief's rules say why). */
  public Version draft(String actor, String instanceId, MemoryConfig c, String source, String reason, List<ReviewFlag> flags) {
    MemoryConfigStore.Version v = store.add(instanceId, PENDING, c.toJson().toString(), source, write(flags), actor, reason);
    audit.audit(actor, instanceId, "memory_config.init", "v" + v.version(), detail("source", source, "reason", reason));
    return new Version(v, c, flags);
  }

  /** A draft generated from a use-case brief, and the isolation mode the brief's target users suggest. */
  public record BriefDraft(Version version, RelationshipMode suggestedIsolation) {}

  /**
   * A draft from a use-case brief: the rules ({@link BriefRules}), improved by {@code refiner} when
   * it has an LLM; a flag warns when the brief suggests another isolation mode than the instance's
   * (fixed at creation). The admin API and the console both call this.
   */
  public BriefDraft draftFromBrief(String actor, String instanceId, RelationshipMode instanceMode, String brief, String reason, BriefRefiner refiner) {
    BriefRules.Result r = refiner.refine(brief, BriefRules.generate(brief));
    List<ReviewFlag> flags = new ArrayList<>(r.flags());
    if (r.isolation() != instanceMode) {
      flags.add(ReviewFlag.warning("user_context_isolation", "the brief's target users suggest " + r.isolation().wireName()
          + " but this instance is " + instanceMode.wireName() + " (fixed at creation: create a new instance to change it)"));
    }
    return new BriefDraft(draft(actor, instanceId, r.config(), "brief", reason, flags), r.isolation());
  }

  /** A version checked against the active configuration: its flags, whether it may be applied, and what it changes (field: [active, draft]). */
  public record Validation(Version version, boolean valid, List<ReviewFlag> flags, Map<String, List<com.fasterxml.jackson.databind.JsonNode>> changes) {}

  public Validation validate(String instanceId, int version) {
    Version v = version(instanceId, version);
    List<ReviewFlag> flags = ConfigReview.flags(v.config());
    return new Validation(v, !ConfigReview.blocking(flags), flags, v.config().diff(active(instanceId)));
  }

  /** Replaces a pending draft's body; flags are recomputed. */
  public Version edit(String actor, String instanceId, int version, String text, String reason) {
    MemoryConfig c = MemoryConfig.parse(text);
    List<ReviewFlag> flags = ConfigReview.flags(c);
    MemoryConfigStore.Version before = stored(instanceId, version);
    if (!store.updateDraft(instanceId, version, c.toJson().toString(), write(flags))) {
      throw new ConflictException("config_not_draft", "version " + version + " is " + before.status() + "; only a pending_review draft is edited");
    }
    Map<String, Object> d = detail("reason", reason, null, null);
    d.put("changes", c.diff(MemoryConfig.parse(before.body())).keySet());
    audit.audit(actor, instanceId, "memory_config.edit", "v" + version, d);
    return version(instanceId, version);
  }

  /** Makes a version the active one. A version with error flags is refused. */
  public Version apply(String actor, String instanceId, int version, String mode, String reason) {
    if (!"immediate".equals(mode) && !"graceful".equals(mode)) throw new InvalidInputException("mode must be immediate or graceful");
    Version v = version(instanceId, version);
    if (ACTIVE.equals(v.stored().status())) throw new ConflictException("config_already_active", "version " + version + " is already active");
    if (!PENDING.equals(v.stored().status())) {
      throw new ConflictException("config_not_draft", "version " + version + " is " + v.stored().status() + "; roll back to re-apply it");
    }
    if (ConfigReview.blocking(v.flags())) throw new ConflictException("config_has_errors", "the draft has error flags: " + v.flags());
    activate(actor, instanceId, version, mode, reason, "memory_config.apply");
    return version(instanceId, version);
  }

  /** Re-applies an earlier version's body as a new version (immediately): the history only grows. */
  public Version rollback(String actor, String instanceId, int toVersion, String reason) {
    MemoryConfigStore.Version old = stored(instanceId, toVersion);
    if (PENDING.equals(old.status())) throw new ConflictException("config_not_applied", "version " + toVersion + " was never applied; apply it instead");
    MemoryConfig c = MemoryConfig.parse(old.body());
    MemoryConfigStore.Version v = store.add(instanceId, PENDING, old.body(), "rollback:v" + toVersion, write(ConfigReview.flags(c)), actor, reason);
    activate(actor, instanceId, v.version(), "immediate", reason, "memory_config.rollback");
    return version(instanceId, v.version());
  }

  private void activate(String actor, String instanceId, int version, String mode, String reason, String action) {
    Optional<MemoryConfigStore.Version> before = store.active(instanceId);
    store.activate(instanceId, version, mode, Instant.now());
    cache.remove(instanceId);
    Map<String, Object> d = detail("mode", mode, "reason", reason);
    before.ifPresent(b -> d.put("previous_version", b.version()));
    audit.audit(actor, instanceId, action, "v" + version, d);
  }

  public List<Version> versions(String instanceId) {
    List<Version> out = new ArrayList<>();
    for (MemoryConfigStore.Version v : store.list(instanceId)) out.add(parsed(v));
    return out;
  }

  public Version version(String instanceId, int version) {
    return parsed(stored(instanceId, version));
  }

  private MemoryConfigStore.Version stored(String instanceId, int version) {
    return store.get(instanceId, version).orElseThrow(() -> new NotFoundException("no configuration version " + version + " for " + instanceId));
  }

  private static Version parsed(MemoryConfigStore.Version v) {
    List<ReviewFlag> flags;
    try {
      flags = JSON.readValue(v.reviewFlags(), new TypeReference<List<ReviewFlag>>() {});
    } catch (Exception e) {
      flags = List.of();
    }
    return new Version(v, MemoryConfig.parse(v.body()), flags);
  }

  private static String write(List<ReviewFlag> flags) {
    try {
      return JSON.writeValueAsString(flags);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> detail(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> d = new LinkedHashMap<>();
    if (k1 != null && v1 != null) d.put(k1, v1);
    if (k2 != null && v2 != null) d.put(k2, v2);
    return d;
  }
}
