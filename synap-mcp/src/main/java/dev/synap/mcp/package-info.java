/**
 * The MCP server: Synap's memory tools for desktop assistants and no-code agents, on the official
 * MCP Java SDK. {@link dev.synap.mcp.MemoryTools} defines each tool once over
 * {@link dev.synap.integration.SynapMemory} (the public SDK); {@link dev.synap.mcp.SynapMcpServer}
 * serves them over stdio ({@code ./synap mcp}) and Streamable HTTP ({@code /mcp} on the server).
 */
package dev.synap.mcp;
