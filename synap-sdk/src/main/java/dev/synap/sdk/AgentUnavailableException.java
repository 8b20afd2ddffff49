package dev.synap.sdk;

/** The agent behind the server is unavailable. */
public class AgentUnavailableException extends SynapTransientException {
  public AgentUnavailableException(String message) {
    super(message);
  }

  public AgentUnavailableException(String message, String correlationId) {
    super(message, correlationId);
  }
}
