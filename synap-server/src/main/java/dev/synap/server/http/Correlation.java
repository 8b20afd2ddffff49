package dev.synap.server.http;

import io.javalin.http.Context;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The correlation id of a REST request: the caller's {@code X-Correlation-ID} when it is a
 * plausible id (the official client sends {@code syn_<instance>_<ms>_<hex>}), else one minted
 * here in the same shape. It is echoed on every response as {@code X-Correlation-Id}, named in
 * error bodies and fetch metadata, and put in the SLF4J MDC under {@value #MDC_KEY} for the
 * request's log lines and the background work it starts (compaction jobs copy the MDC).
 */
final class Correlation {
  static final String HEADER = "X-Correlation-Id";
  static final String MDC_KEY = "correlation_id";
  private static final String ATTRIBUTE = "synap.correlation";
  /** Bounded and log-safe: a header is caller-controlled text that ends up in log lines. */
  private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,128}");

  private Correlation() {}

  static void begin(Context ctx) {
    String given = ctx.header(HEADER);
    String id = given != null && PLAUSIBLE.matcher(given).matches() ? given : mint();
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
    MDC.put(MDC_KEY, id);
  }

  static void end() {
    MDC.remove(MDC_KEY);
  }

  /** The request's id; one is minted if {@link #begin} did not run (a refusal before the filters). */
  static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    if (id == null) {
      id = mint();
      ctx.attribute(ATTRIBUTE, id);
      ctx.header(HEADER, id);
    }
    return id;
  }

  static String mint() {
    return "syn_srv_" + System.currentTimeMillis() + "_" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
  }
}
