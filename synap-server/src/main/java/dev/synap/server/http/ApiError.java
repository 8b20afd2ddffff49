package dev.synap.server.http;

/** An error the REST edge answers with its status and the documented {"detail": ...} envelope. */
final class ApiError extends RuntimeException {
  final int status;
  final String code;
  final Integer retryAfterSeconds;

  ApiError(int status, String code, String message) {
    this(status, code, message, null);
  }

  ApiError(int status, String code, String message, Integer retryAfterSeconds) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
