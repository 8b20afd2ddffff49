package dev.synap.sdk;

/** An instance id that is not {@code inst_} plus 16 hex characters; raised before anything is sent. */
public class InvalidInstanceIdException extends InvalidInputException {
  public InvalidInstanceIdException(String message) {
    super(message);
  }

  public InvalidInstanceIdException(String message, String correlationId) {
    super(message, correlationId);
  }
}
