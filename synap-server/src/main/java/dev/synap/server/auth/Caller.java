package dev.synap.server.auth;

import dev.synap.core.tenant.Instance;

/** An authenticated caller: the instance its key belongs to, and the key's hash (for revocation). */
public record Caller(Instance instance, String keyHash) {}
