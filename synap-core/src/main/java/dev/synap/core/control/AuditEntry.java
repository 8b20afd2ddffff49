package dev.synap.core.control;

import java.time.Instant;
import java.util.Map;

/** One change to the control plane: who ({@code actor}), on which instance, what, on what, and the details (the why among them). */
public record AuditEntry(long id, Instant at, String actor, String instanceId, String action, String target, Map<String, Object> detail) {}
