package dev.synap.core;

/** The named thing does not exist for this caller (404 / NOT_FOUND at the edges). */
public class NotFoundException extends RuntimeException {
  public NotFoundException(String message) {
    super(message);
  }
}
