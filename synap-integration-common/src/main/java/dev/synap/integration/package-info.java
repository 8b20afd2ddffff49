/**
 * What every framework integration (LangChain4j, Spring AI, MCP) shares, on the public SDK only:
 * one owner (user, customer, default conversation) per {@link dev.synap.integration.SynapMemory},
 * framework conversation ids mapped to UUIDs ({@link dev.synap.integration.ConversationIds}), reads
 * that fail soft ({@link dev.synap.integration.SoftReads}) and writes that throw the SDK's typed
 * exceptions.
 */
package dev.synap.integration;
