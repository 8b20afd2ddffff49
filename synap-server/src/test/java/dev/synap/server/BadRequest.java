package dev.synap.server;

import java.util.Map;

/**
 * A request the server must refuse with a typed error.
 *
 * @param partialOk a batch endpoint may instead answer 200 with every element failed (contract 9.4, 9.12)
 */
record BadRequest(String method, String path, String contentType, String body, Map<String, String> headers, String what, boolean partialOk) {

  static BadRequest json(String method, String path, String body, String what) {
    return new BadRequest(method, path, "application/json", body, Map.of(), what, false);
  }

  BadRequest partial() {
    return new BadRequest(method, path, contentType, body, headers, what, true);
  }

  @Override
  public String toString() {
    String b = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "...(" + body.length() + " chars)" : body;
    return method + " " + (path.length() > 200 ? path.substring(0, 200) + "..." : path) + " [" + what + "] " + b;
  }
}
