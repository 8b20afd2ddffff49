package dev.synap.mcp;

import dev.synap.sdk.Synap;
import dev.synap.sdk.SynapException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./synap mcp}: the tools on standard input and output for a local MCP client. The key comes
 * from {@code SYNAP_API_KEY}; {@code SYNAP_BASE_URL}, {@code SYNAP_GRPC_HOST}, {@code SYNAP_GRPC_PORT}
 * as for any SDK client; {@code SYNAP_USER_ID} and {@code SYNAP_CUSTOMER_ID} name the owner of calls
 * that name none. Standard output carries only the protocol: everything else (logs included) goes
 * to standard error.
 */
public final class McpStdioMain {
  private McpStdioMain() {}

  public static void main(String[] args) throws InterruptedException {
    PrintStream protocol = System.out;
    // Before any logger starts: a console appender resolves System.out when it starts.
    System.setOut(System.err);
    String key = System.getenv("SYNAP_API_KEY");
    if (key == null || key.isBlank()) {
      System.err.println("synap mcp: set SYNAP_API_KEY to an API key of the instance (./synap keys create)");
      System.exit(2);
    }
    Synap synap;
    try {
      synap = Synap.builder().build();
    } catch (SynapException e) {
      System.err.println("synap mcp: " + e.getMessage());
      System.exit(2);
      return;
    }
    run(synap, System.getenv("SYNAP_USER_ID"), System.getenv("SYNAP_CUSTOMER_ID"), protocol);
  }

  /** Serves until the process is stopped (an MCP client ends a stdio server by closing or killing it). */
  public static void run(Synap synap, String userId, String customerId, PrintStream protocol) throws InterruptedException {
    var server = SynapMcpServer.stdio(synap, userId, customerId, System.in, protocol);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      synap.close();
      stopped.countDown();
    }, "synap-mcp-shutdown"));
    stopped.await();
  }
}
