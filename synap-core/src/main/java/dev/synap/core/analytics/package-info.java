/**
 * Usage analytics per instance: events counted in memory and merged into minute, hour and day
 * roll-ups in the store (with a latency histogram per bucket for p50/p95/p99), optionally per
 * user or customer. {@link dev.synap.core.analytics.UsageRecorder} takes events on the hot path;
 * {@link dev.synap.core.analytics.UsageQuery} reads the series back.
 */
package dev.synap.core.analytics;
