/**
 * Synap for LangChain4j: {@link dev.synap.langchain4j.SynapLangChain4j} builds, for one owner
 * (user, customer, default conversation) over an already-built {@code Synap} client, a
 * {@code ChatMemoryStore}, a {@code ContentRetriever}, a {@code RetrievalAugmentor} that publishes the
 * user's message on the Listen stream before retrieving, a listener that publishes the replies, and
 * {@code remember} / {@code recall} tools for {@code AiServices}.
 */
package dev.synap.langchain4j;
