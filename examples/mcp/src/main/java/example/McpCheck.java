package example;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a desktop assistant does with the configuration in this folder: start {@code synap mcp}
 * (stdio, {@code SYNAP_MCP_COMMAND}) or call {@code /mcp} ({@code SYNAP_MCP_URL}) with the key of
 * {@code SYNAP_API_KEY}, list the tools, log an exchange and recall it. Prints what was remembered
 * and where the context came from.
 */
public final class McpCheck {
  private McpCheck() {}

  public static void main(String[] args) throws Exception {
    String key = System.getenv("SYNAP_API_KEY");
    if (key == null) throw new IllegalStateException("set SYNAP_API_KEY");
    String command = System.getenv("SYNAP_MCP_COMMAND");
    String url = System.getenv("SYNAP_MCP_URL");
    if (command != null) {
      List<String> parts = Arrays.asList(command.trim().split("\\s+"));
      ServerParameters server = ServerParameters.builder(parts.getFirst()).args(parts.subList(1, parts.size()))
          .env(Map.of("SYNAP_API_KEY", key, "SYNAP_USER_ID", "mcp-stdio-user")).build();
      try (McpSyncClient client = McpClient.sync(new StdioClientTransport(server, McpJsonDefaults.getMapper()))
          .requestTimeout(Duration.ofSeconds(30)).initializationTimeout(Duration.ofSeconds(60)).build()) {
        check("stdio", client);
      }
    }
    if (url != null) {
      URI endpoint = URI.create(url);
      var transport = HttpClientStreamableHttpTransport.builder(endpoint.getScheme() + "://" + endpoint.getAuthority())
          .endpoint(endpoint.getPath()).requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key)
              .header("X-Synap-User-Id", "mcp-http-user")).build();
      try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build()) {
        check("http", client);
      }
    }
    System.out.println("mcp-check: done");
  }

  private static void check(String name, McpSyncClient client) throws InterruptedException {
    client.initialize();
    System.out.println(name + ": tools " + client.listTools().tools().stream().map(McpSchema.Tool::name).toList());
    String conversation = "desktop-" + UUID.randomUUID();
    System.out.println(name + ": log_exchange " + text(client.callTool(new McpSchema.CallToolRequest("log_exchange", Map.of(
        "conversation_id", conversation, "user_message", "My bike is a green Brompton and I ride it to work.",
        "assistant_message", "A folding bike for the commute, nice.")))));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String recalled;
    do {
      Thread.sleep(300);
      recalled = text(client.callTool(new McpSchema.CallToolRequest("recall_context", Map.of("query", "what bike do I ride?"))));
    } while (!recalled.contains("Brompton") && System.nanoTime() < deadline);
    System.out.println(name + ": remembered " + recalled);
    System.out.println(name + ": context from " + (recalled.contains("\"source\":\"anticipation_cache\"") ? "the anticipation cache" : "the server"));
  }

  private static String text(McpSchema.CallToolResult r) {
    return (Boolean.TRUE.equals(r.isError()) ? "ERROR " : "") + ((McpSchema.TextContent) r.content().getFirst()).text();
  }
}
