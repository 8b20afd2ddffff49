package dev.synap.core;

/** The caller sent content in a format the engine does not read (415 at the REST edge). */
public class UnsupportedMediaException extends RuntimeException {
  public UnsupportedMediaException(String message) {
    super(message);
  }
}
