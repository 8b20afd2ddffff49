package dev.synap.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Requests Jetty refuses before Javalin sees them (a {@code %00} in the path, a malformed URI or
 * header, a body over a limit) get the same {@code {"detail","code"}} envelope as every other
 * error, not Jetty's HTML page, which the official client would show as raw markup. Used both as
 * the server's and the servlet context's error handler, whatever the request's {@code Accept}.
 */
final class EnvelopeErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
    write(response, code, message, callback);
  }

  @Override
  protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
      List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
    write(response, code, message, callback);
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    String correlation = Correlation.mint();
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    fields.put(Correlation.HEADER, correlation);
    return ByteBuffer.wrap(body(status, reason, correlation));
  }

  private static void write(Response response, int code, String message, Callback callback) {
    // A request refused here never reached the filters; the id is the one they set, if any.
    String correlation = response.getHeaders().get(Correlation.HEADER);
    if (correlation == null) {
      correlation = Correlation.mint();
      response.getHeaders().put(Correlation.HEADER, correlation);
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body(code, message, correlation)), callback);
  }

  static byte[] body(int status, String reason, String correlation) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("detail", reason == null || reason.isBlank() ? "request refused" : reason);
    b.put("code", "http_" + status);
    b.put("details", Map.of());
    b.put("correlation_id", correlation);
    try {
      return Bodies.MAPPER.writeValueAsString(b).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return ("{\"detail\":\"request refused\",\"code\":\"http_" + status + "\"}").getBytes(StandardCharsets.UTF_8);
    }
  }
}
