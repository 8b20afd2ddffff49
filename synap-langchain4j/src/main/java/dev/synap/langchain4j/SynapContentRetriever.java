package dev.synap.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.synap.integration.Recall;
import dev.synap.integration.SynapMemory;
import dev.synap.sdk.ContextItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link ContentRetriever} over the owner's scoped fetch ({@code fast}), answered by the SDK's
 * anticipation cache when it holds what the query needs. Each item becomes a {@link Content} whose
 * text segment carries the metadata {@code memory_id}, {@code type}, {@code scope},
 * {@code confidence}, {@code event_date} (when known), {@code source} (the memory's) and
 * {@code context_source} ({@code anticipation_cache} or {@code cloud}: who answered), and whose
 * score is the item's relevance. Fails soft: no content when memory is unreachable.
 */
public final class SynapContentRetriever implements ContentRetriever {
  private final SynapMemory memory;
  private final int maxResults;
  private volatile Recall last;

  SynapContentRetriever(SynapMemory memory, int maxResults) {
    this.memory = memory;
    this.maxResults = maxResults;
  }

  @Override
  public List<Content> retrieve(Query query) {
    Recall recall = memory.recall(query.text(), maxResults, null);
    last = recall;
    List<Content> out = new ArrayList<>();
    for (ContextItem i : recall.items()) {
      Metadata m = new Metadata().put("memory_id", i.id()).put("type", i.type()).put("scope", recall.scope())
          .put("confidence", i.confidence()).put("context_source", recall.source());
      if (i.eventDate() != null) m.put("event_date", i.eventDate());
      if (i.source() != null) m.put("source", i.source());
      out.add(Content.from(TextSegment.from(i.content(), m), Map.of(ContentMetadata.SCORE, i.relevance())));
    }
    return out;
  }

  /** What the last retrieval got (its source says cache or server); null before the first. */
  public Recall lastRecall() {
    return last;
  }
}
