package dev.synap.core.tenant;

/** An instance of a client: the unit of isolation for memories, keys and streams. */
public record Instance(String instanceId, String clientId, RelationshipMode mode) {}
