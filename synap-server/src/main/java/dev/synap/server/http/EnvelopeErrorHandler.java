package dev.synap.server.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Requests Jetty refuses before Javalin sees them (a {@code %00} in the path, a malformed URI or
 * header) get the same {@code {"detail","code"}} envelope as every other error, not Jetty's HTML
 * page, which the official client would show as raw markup.
 */
final class EnvelopeErrorHandler extends ErrorHandler {
  @Override
  protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code,
      String message) throws IOException {
    baseRequest.setHandled(true);
    response.setContentType("application/json");
    response.getOutputStream().write(body(code, message));
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(status, reason));
  }

  private static byte[] body(int status, String reason) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("detail", reason == null || reason.isBlank() ? "request refused" : reason);
    b.put("code", "http_" + status);
    try {
      return Bodies.MAPPER.writeValueAsString(b).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return ("{\"detail\":\"request refused\",\"code\":\"http_" + status + "\"}").getBytes(StandardCharsets.UTF_8);
    }
  }
}
