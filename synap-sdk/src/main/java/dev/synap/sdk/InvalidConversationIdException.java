package dev.synap.sdk;

/** A conversation id that is not a UUID; raised before anything is sent. */
public class InvalidConversationIdException extends InvalidInputException {
  public InvalidConversationIdException(String message) {
    super(message);
  }

  public InvalidConversationIdException(String message, String correlationId) {
    super(message, correlationId);
  }
}
