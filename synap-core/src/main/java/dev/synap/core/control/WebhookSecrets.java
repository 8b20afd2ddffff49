package dev.synap.core.control;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Webhook signing secrets ({@code whsec_} + 48 hex): made when a webhook is registered, and when
 * an import brings a webhook whose secret the export left out. The one place their shape is decided.
 */
public final class WebhookSecrets {
  public static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSecrets() {}

  public static String generate() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return PREFIX + HexFormat.of().formatHex(b);
  }
}
