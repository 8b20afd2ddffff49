package dev.synap.mcp;

import dev.synap.integration.SynapMemory;
import dev.synap.sdk.Synap;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** The two ways the tools are served: stdio for a local assistant, Streamable HTTP for the server's {@code /mcp}. */
public final class SynapMcpServer {
  static final String NAME = "synap-memory";
  static final String VERSION = "0.1.0";
  static final String INSTRUCTIONS = "Long-term memory for this user. Call recall_context before answering a message that may "
      + "depend on earlier conversations, and log_exchange after each meaningful exchange.";
  /** The transport-context key holding the HTTP request's Authorization header. */
  public static final String AUTHORIZATION = "authorization";
  /** The transport-context key holding the HTTP request's default user ({@code X-Synap-User-Id}). */
  public static final String USER_HEADER = "x-synap-user-id";
  public static final String CUSTOMER_HEADER = "x-synap-customer-id";

  private SynapMcpServer() {}

  /**
   * Serves the tools on a process's standard streams with one client (the key of
   * {@code SYNAP_API_KEY}) and a default owner for calls that name none. Returns once the server
   * runs; the transport reads {@code in} until it closes.
   */
  public static McpSyncServer stdio(Synap synap, String defaultUserId, String defaultCustomerId, InputStream in, OutputStream out) {
    MemoryResolver resolver = (transport, user, customer) -> memory(synap, user != null ? user : defaultUserId,
        customer != null ? customer : defaultCustomerId);
    return build(McpServer.sync(new StdioServerTransportProvider(mapper(), in, out)), resolver);
  }

  /**
   * The Streamable HTTP endpoint as a servlet, to mount at {@code /mcp} behind the server's key
   * check: each call works with the SDK client of the request's bearer key ({@link KeyedClients}),
   * so it passes the same authentication, rate limits and validation as REST.
   */
  public static HttpServlet streamableHttp(KeyedClients clients) {
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(mapper()).mcpEndpoint("/mcp")
        .contextExtractor(req -> McpTransportContext.create(headers(req.getHeader("Authorization"), req.getHeader("X-Synap-User-Id"),
            req.getHeader("X-Synap-Customer-Id"))))
        .build();
    MemoryResolver resolver = (transport0, user, customer) -> memory(clients.forAuthorization((String) transport0.get(AUTHORIZATION)),
        user != null ? user : (String) transport0.get(USER_HEADER), customer != null ? customer : (String) transport0.get(CUSTOMER_HEADER));
    build(McpServer.sync(transport), resolver);
    return transport;
  }

  private static Map<String, Object> headers(String authorization, String user, String customer) {
    Map<String, Object> m = new java.util.HashMap<>();
    if (authorization != null) m.put(AUTHORIZATION, authorization);
    if (user != null && !user.isBlank()) m.put(USER_HEADER, user);
    if (customer != null && !customer.isBlank()) m.put(CUSTOMER_HEADER, customer);
    return m;
  }

  private static McpSyncServer build(McpServer.SyncSpecification<?> spec, MemoryResolver resolver) {
    return spec.serverInfo(NAME, VERSION).instructions(INSTRUCTIONS)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(new MemoryTools(resolver).specifications()).build();
  }

  static SynapMemory memory(Synap synap, String userId, String customerId) {
    return SynapMemory.builder(synap).userId(userId).customerId(customerId).integration("mcp").build();
  }

  private static McpJsonMapper mapper() {
    return McpJsonDefaults.getMapper();
  }
}
