package dev.synap.core.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Key material. A key is {@code sk_live_} plus 40 random hex characters; only its SHA-256 is
 * stored. Keys are high-entropy, so an unsalted fast hash is the right tool: it lets the server
 * look a key up by hash in one indexed read before any other work (the official client retries a
 * refused Listen twice a second, so refusal must be cheap).
 */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  public static final String PREFIX = "sk_live_";

  private ApiKeys() {}

  public static String newSecret() {
    byte[] bytes = new byte[20];
    RANDOM.nextBytes(bytes);
    return PREFIX + HEX.formatHex(bytes);
  }

  public static String hash(String secret) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What an operator may see of a key: enough to tell keys apart, never enough to use one. */
  public static String displayPrefix(String secret) {
    return secret.substring(0, Math.min(secret.length(), PREFIX.length() + 6));
  }

  /** {@code inst_} + 16 hex, the format the official client validates. */
  public static String newInstanceId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "inst_" + HEX.formatHex(b);
  }

  public static String newClientId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "client_" + HEX.formatHex(b);
  }

  public static String newKeyId() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return "key_" + HEX.formatHex(b);
  }
}
