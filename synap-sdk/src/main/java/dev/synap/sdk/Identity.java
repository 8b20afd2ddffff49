package dev.synap.sdk;

/** What whoami says of the key: its client, instance and relationship mode ({@code b2c}/{@code b2b}). */
public record Identity(String clientId, String instanceId, String relationshipMode) {
  public boolean isB2b() {
    return "b2b".equalsIgnoreCase(relationshipMode);
  }
}
