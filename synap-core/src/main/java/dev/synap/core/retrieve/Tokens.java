package dev.synap.core.retrieve;

/** Token estimate shared by budgets and bundles: about four characters per token, as clients assume. */
public final class Tokens {
  private Tokens() {}

  public static int estimate(String text) {
    return text == null || text.isEmpty() ? 0 : Math.max(1, (text.length() + 3) / 4);
  }
}
