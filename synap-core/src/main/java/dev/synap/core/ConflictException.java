package dev.synap.core;

/** The request contradicts what is already stored (409 / ALREADY_EXISTS at the edges). */
public class ConflictException extends RuntimeException {
  private final String code;

  public ConflictException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** Machine-readable reason, e.g. {@code transcript_conflict}. */
  public String code() {
    return code;
  }
}
