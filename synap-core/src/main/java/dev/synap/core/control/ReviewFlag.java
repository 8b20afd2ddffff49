package dev.synap.core.control;

/** Something a reviewer should look at in a draft configuration. {@code severity}: info, warning or error (errors block apply). */
public record ReviewFlag(String field, String reason, String severity) {
  public static ReviewFlag info(String field, String reason) {
    return new ReviewFlag(field, reason, "info");
  }

  public static ReviewFlag warning(String field, String reason) {
    return new ReviewFlag(field, reason, "warning");
  }

  public static ReviewFlag error(String field, String reason) {
    return new ReviewFlag(field, reason, "error");
  }
}
