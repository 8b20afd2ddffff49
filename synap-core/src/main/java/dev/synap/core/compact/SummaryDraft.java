package dev.synap.core.compact;

import java.util.List;

/**
 * A summary and the original sentences it preserves (verbatim for the extractive summarizer,
 * by key-term coverage for an LLM's paraphrase); key extractions are drawn from {@code kept}.
 *
 * @param summarizer which summarizer wrote it, e.g. {@code extractive} or {@code llm:<model>}
 */
record SummaryDraft(String text, List<Sentence> kept, String summarizer) {}
