/** What must never be remembered: text redacted before anything stores it (per instance configuration). */
package dev.synap.core.redact;
