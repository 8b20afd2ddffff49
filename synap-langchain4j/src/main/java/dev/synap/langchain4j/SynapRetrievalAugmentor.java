package dev.synap.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.rag.AugmentationRequest;
import dev.langchain4j.rag.AugmentationResult;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.rag.RetrievalAugmentor;
import dev.synap.integration.SynapMemory;
import dev.synap.sdk.SynapException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the user's message on the Listen stream, waits briefly for the server's push (the
 * bundle it anticipates lands in the SDK's cache), then retrieves through the
 * {@link SynapContentRetriever} and injects the result as LangChain4j's default augmentor does.
 * Not listening: retrieves at once from the server. Publishing is best effort (a failure is logged
 * and the turn is still recorded by the store); retrieval fails soft.
 */
public final class SynapRetrievalAugmentor implements RetrievalAugmentor {
  private static final Logger LOG = LoggerFactory.getLogger(SynapRetrievalAugmentor.class);
  private final SynapMemory memory;
  private final RetrievalAugmentor delegate;

  SynapRetrievalAugmentor(SynapMemory memory, SynapContentRetriever retriever) {
    this.memory = memory;
    this.delegate = DefaultRetrievalAugmentor.builder().contentRetriever(retriever).build();
  }

  @Override
  public AugmentationResult augment(AugmentationRequest request) {
    if (request.chatMessage() instanceof UserMessage u && u.hasSingleText()) {
      long before = memory.cacheStats().bundlesStored();
      try {
        String conversation = memory.conversation(request.metadata() == null ? null : request.metadata().chatMemoryId());
        if (memory.publish(conversation, "user", u.singleText())) memory.awaitPush(before);
      } catch (SynapException e) {
        LOG.warn("synap langchain4j: publishing the user message failed, retrieving without anticipation: {}", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return delegate.augment(request);
  }
}
