package dev.synap.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.server.SynapServer;
import dev.synap.server.config.ServerConfig;
import dev.synap.server.http.HttpMount;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MCP SDK's own client over both transports against a real server on loopback. */
class McpTransportsTest {
  static final List<String> TOOLS = List.of("log_exchange", "recall_context", "list_recent_memories", "check_memory_status",
      "search_memories", "forget", "get_profile", "compact_conversation");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static SynapServer server;
  static KeyedClients clients;
  static String key;

  @BeforeAll
  static void start() {
    AtomicReference<SynapServer> self = new AtomicReference<>();
    clients = new KeyedClients(() -> new KeyedClients.Target("http://127.0.0.1:" + self.get().httpPort(), "127.0.0.1", self.get().grpcPort()));
    server = SynapServer.start(ServerConfig.forTests(dir), List.of(new HttpMount("/mcp", SynapMcpServer.streamableHttp(clients))));
    self.set(server);
    key = server.bootstrapKey().orElseThrow().secret();
  }

  @AfterAll
  static void stop() {
    clients.close();
    server.close();
  }

  static McpSyncClient http(String apiKey, String user) {
    HttpRequest.Builder request = HttpRequest.newBuilder().header("Authorization", "Bearer " + apiKey).header("X-Synap-User-Id", user);
    var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.httpPort()).endpoint("/mcp")
        .requestBuilder(request).build();
    return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
  }

  static McpSyncClient stdio(String apiKey, String user) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ServerParameters params = ServerParameters.builder(java)
        .args("-cp", System.getProperty("java.class.path"), McpStdioMain.class.getName())
        .env(Map.of("SYNAP_API_KEY", apiKey, "SYNAP_BASE_URL", "http://127.0.0.1:" + server.httpPort(),
            "SYNAP_GRPC_HOST", "127.0.0.1", "SYNAP_GRPC_PORT", Integer.toString(server.grpcPort()), "SYNAP_USER_ID", user))
        .build();
    return McpClient.sync(new StdioClientTransport(params, McpJsonDefaults.getMapper()))
        .requestTimeout(Duration.ofSeconds(30)).initializationTimeout(Duration.ofSeconds(60)).build();
  }

  @Test
  void streamableHttpServesEveryTool() throws Exception {
    try (McpSyncClient client = http(key, "http-user")) {
      exerciseEveryTool(client, "Miso");
    }
  }

  @Test
  void stdioServesEveryTool() throws Exception {
    try (McpSyncClient client = stdio(key, "stdio-user")) {
      exerciseEveryTool(client, "Pixel");
    }
  }

  @Test
  void httpRefusesABadKeyWith401() {
    try (McpSyncClient client = http("sk_live_not_a_key", "u")) {
      assertThatThrownBy(client::initialize).hasStackTraceContaining("401");
    }
  }

  @Test
  void stdioAnswersABadKeyWithAToolError() throws Exception {
    try (McpSyncClient client = stdio("sk_live_not_a_key", "u")) {
      client.initialize();
      McpSchema.CallToolResult r = call(client, "log_exchange", Map.of("conversation_id", "c", "user_message", "hello"));
      assertThat(r.isError()).isTrue();
      assertThat(json(r).path("error").asText()).isEqualTo("AuthenticationException");
    }
  }

  static void exerciseEveryTool(McpSyncClient client, String pet) throws Exception {
    McpSchema.InitializeResult init = client.initialize();
    assertThat(init.serverInfo().name()).isEqualTo("synap-memory");
    List<McpSchema.Tool> tools = client.listTools().tools();
    assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrderElementsOf(TOOLS);
    for (McpSchema.Tool t : tools) {
      assertThat(t.description()).hasSizeGreaterThan(40);
      assertThat(t.inputSchema()).containsEntry("type", "object").containsKey("properties");
    }

    McpSchema.CallToolResult logged = call(client, "log_exchange", Map.of("conversation_id", "chat-1",
        "user_message", "My cat is called " + pet + " and she loves sardines.", "assistant_message", "What a lovely cat."));
    assertThat(logged.isError()).as(text(logged)).isFalse();
    assertThat(json(logged).path("message_ids")).hasSize(2);
    assertThat(server.engine().awaitIdle(Duration.ofSeconds(60))).isTrue();

    JsonNode recalled = json(call(client, "recall_context", Map.of("query", "what is my cat called?")));
    assertThat(recalled.path("context").asText()).contains(pet);
    JsonNode found = json(call(client, "search_memories", Map.of("query", "cat sardines", "max_results", 5)));
    assertThat(found.path("memories")).isNotEmpty();
    JsonNode recent = json(call(client, "list_recent_memories", Map.of("limit", 5)));
    assertThat(recent.path("memories")).isNotEmpty();
    String memoryId = recent.path("memories").get(0).path("memory_id").asText();
    assertThat(json(call(client, "check_memory_status", Map.of())).path("reachable").asBoolean()).isTrue();
    assertThat(call(client, "get_profile", Map.of()).isError()).isFalse();
    assertThat(json(call(client, "compact_conversation", Map.of("conversation_id", "chat-1"))).path("compaction_id").asText()).isNotBlank();
    McpSchema.CallToolResult forgotten = call(client, "forget", Map.of("memory_id", memoryId));
    assertThat(json(forgotten).path("status").asText()).as(text(forgotten)).isEqualTo("deleted");

    // Bad arguments: a tool error naming the argument (the SDK checks the schema, the tool the ranges); the session goes on.
    McpSchema.CallToolResult missing = call(client, "recall_context", Map.of());
    assertThat(missing.isError()).isTrue();
    assertThat(text(missing)).contains("query");
    McpSchema.CallToolResult wrongType = call(client, "search_memories", Map.of("query", "cat", "max_results", "many"));
    assertThat(wrongType.isError()).isTrue();
    assertThat(text(wrongType)).contains("max_results");
    McpSchema.CallToolResult outOfRange = call(client, "list_recent_memories", Map.of("limit", 5000));
    assertThat(outOfRange.isError()).isTrue();
    assertThat(text(outOfRange)).contains("limit");
    McpSchema.CallToolResult unknownMemory = call(client, "forget", Map.of("memory_id", "00000000-0000-0000-0000-000000000000"));
    assertThat(unknownMemory.isError()).isTrue();
    assertThat(client.listTools().tools()).hasSize(TOOLS.size());
  }

  static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(new McpSchema.CallToolRequest(tool, args));
  }

  static String text(McpSchema.CallToolResult r) {
    return ((McpSchema.TextContent) r.content().getFirst()).text();
  }

  static JsonNode json(McpSchema.CallToolResult r) throws Exception {
    try {
      return JSON.readTree(text(r));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError("not JSON: " + text(r), e);
    }
  }
}
