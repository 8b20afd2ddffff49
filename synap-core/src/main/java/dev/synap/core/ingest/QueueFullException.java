package dev.synap.core.ingest;

/** Back-pressure: the ingestion queue is at its bound; retry after the given seconds. */
public final class QueueFullException extends RuntimeException {
  private final long depth;
  private final int retryAfterSeconds;

  public QueueFullException(long depth, int retryAfterSeconds) {
    super("ingestion queue is full (" + depth + " messages waiting); retry after " + retryAfterSeconds + " s");
    this.depth = depth;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Messages waiting when the write was refused (the queue's bound, reached). */
  public long depth() {
    return depth;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
