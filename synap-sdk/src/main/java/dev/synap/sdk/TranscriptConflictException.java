package dev.synap.sdk;

/** A different transcript was already ingested under this conversation id. */
public class TranscriptConflictException extends ConflictException {
  public TranscriptConflictException(String message) {
    super(message);
  }

  public TranscriptConflictException(String message, String correlationId) {
    super(message, correlationId);
  }
}
