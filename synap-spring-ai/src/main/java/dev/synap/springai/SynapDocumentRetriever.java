package dev.synap.springai;

import dev.synap.integration.Recall;
import dev.synap.integration.SynapMemory;
import dev.synap.sdk.ContextItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.retrieval.search.DocumentRetriever;

/**
 * A {@link DocumentRetriever} for RAG pipelines ({@code RetrievalAugmentationAdvisor}) over the
 * owner's scoped fetch ({@code fast}; the anticipation cache answers when it can). Each item
 * becomes a {@link Document} with its memory id, relevance as score, and metadata {@code type},
 * {@code scope}, {@code confidence}, {@code event_date}, {@code source} and {@code context_source}
 * (who answered). Fails soft: no documents when memory is unreachable.
 */
public final class SynapDocumentRetriever implements DocumentRetriever {
  private final SynapMemory memory;
  private final int maxResults;

  SynapDocumentRetriever(SynapMemory memory, int maxResults) {
    this.memory = memory;
    this.maxResults = maxResults;
  }

  @Override
  public List<Document> retrieve(Query query) {
    Recall recall = memory.recall(query.text(), maxResults, null);
    List<Document> out = new ArrayList<>();
    for (ContextItem i : recall.items()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", i.type());
      m.put("scope", recall.scope());
      m.put("confidence", i.confidence());
      if (i.eventDate() != null) m.put("event_date", i.eventDate());
      if (i.source() != null) m.put("source", i.source());
      m.put("context_source", recall.source());
      out.add(Document.builder().id(i.id()).text(i.content()).metadata(m).score(i.relevance()).build());
    }
    return out;
  }
}
