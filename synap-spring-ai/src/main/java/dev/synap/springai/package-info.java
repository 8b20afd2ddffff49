/**
 * Synap for Spring AI: {@link dev.synap.springai.SynapSpringAi} builds, over an already-built
 * {@code Synap} client, a {@code ChatMemoryRepository}, a memory advisor for {@code ChatClient} and a
 * {@code DocumentRetriever} for RAG pipelines.
 */
package dev.synap.springai;
