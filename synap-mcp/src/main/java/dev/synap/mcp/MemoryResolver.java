package dev.synap.mcp;

import dev.synap.integration.SynapMemory;
import io.modelcontextprotocol.common.McpTransportContext;

/**
 * The memory a tool call works on: whose key (stdio: the environment's; HTTP: the request's
 * bearer key) and which owner (the call's {@code user_id} / {@code customer_id}, else the
 * transport's defaults).
 */
@FunctionalInterface
public interface MemoryResolver {
  SynapMemory resolve(McpTransportContext transport, String userId, String customerId);
}
