package dev.synap.core.anticipate;

/**
 * How far the retrieval behind a pushed result got. A client reads the difference on the wire as
 * {@code degradation_level}; the server uses it to coalesce (a newer first pass replaces an older
 * one, never the complete bundle after it) and to tag push timings.
 */
public enum RetrievalPhase {
  /** The lexical pass, sent while the query is still being embedded: the dense additions follow. */
  FIRST_PASS("first"),
  /** Everything this retrieval will find. */
  COMPLETE("complete"),
  /** The server was overloaded and answered with the owner's newest memories instead of searching. */
  SHED("shed");

  private final String tag;

  RetrievalPhase(String tag) {
    this.tag = tag;
  }

  /** The metric tag. */
  public String tag() {
    return tag;
  }
}
