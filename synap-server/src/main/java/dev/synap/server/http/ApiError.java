package dev.synap.server.http;

import java.util.Map;

/**
 * An error the REST edge answers with its status and the documented envelope
 * {@code {"detail": ..., "code": ..., "details": {...}, "correlation_id": ...}}.
 *
 * @param details machine-readable facts about the refusal (which field, which limit), may be empty
 * @param headers response headers the refusal adds (rate-limit headers)
 */
final class ApiError extends RuntimeException {
  final int status;
  final String code;
  final Integer retryAfterSeconds;
  final Map<String, Object> details;
  final Map<String, String> headers;

  ApiError(int status, String code, String message) {
    this(status, code, message, null);
  }

  ApiError(int status, String code, String message, Integer retryAfterSeconds) {
    this(status, code, message, retryAfterSeconds, Map.of(), Map.of());
  }

  ApiError(int status, String code, String message, Integer retryAfterSeconds, Map<String, Object> details, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
    this.details = details;
    this.headers = headers;
  }
}
