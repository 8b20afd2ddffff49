package dev.synap.core.compact;

/** Turns a conversation into a shorter text of about {@code targetTokens} tokens. */
interface Summarizer {
  SummaryDraft summarize(Transcript transcript, int targetTokens);
}
