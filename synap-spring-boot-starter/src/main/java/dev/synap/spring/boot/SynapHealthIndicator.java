package dev.synap.spring.boot;

import dev.synap.integration.SynapMemory;
import dev.synap.sdk.CacheStats;
import dev.synap.sdk.Identity;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code synap}: UP when the key is accepted (who-am-i answered) and, with {@code synap.listen},
 * the Listen stream is open (it is closed after the SDK gave up reconnecting); details: instance,
 * relationship mode, listening, cache hit rate.
 */
public final class SynapHealthIndicator implements HealthIndicator {
  private final SynapMemory memory;
  private final boolean listenExpected;

  public SynapHealthIndicator(SynapMemory memory, boolean listenExpected) {
    this.memory = memory;
    this.listenExpected = listenExpected;
  }

  @Override
  public Health health() {
    Optional<Identity> id = memory.identity();
    boolean listening = memory.listening();
    CacheStats cache = memory.cacheStats();
    Health.Builder b = id.isPresent() && (listening || !listenExpected) ? Health.up() : Health.down();
    id.ifPresent(i -> b.withDetail("instance_id", i.instanceId()).withDetail("relationship_mode", i.relationshipMode()));
    if (id.isEmpty()) b.withDetail("error", "the server cannot be reached or refuses the key");
    return b.withDetail("listening", listening).withDetail("cache_hit_rate", cache.hitRate()).withDetail("cache_size", cache.size()).build();
  }
}
