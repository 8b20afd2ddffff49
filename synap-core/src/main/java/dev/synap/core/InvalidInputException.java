package dev.synap.core;

/** The caller sent something the engine will not accept (400 / INVALID_ARGUMENT at the edges). */
public class InvalidInputException extends RuntimeException {
  public InvalidInputException(String message) {
    super(message);
  }
}
