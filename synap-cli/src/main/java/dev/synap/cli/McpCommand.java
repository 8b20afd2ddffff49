package dev.synap.cli;

import dev.synap.mcp.McpStdioMain;
import dev.synap.sdk.Synap;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code synap mcp}: the MCP server on standard input and output, for a desktop assistant. */
@Command(name = "mcp", mixinStandardHelpOptions = true,
    description = "Serve Synap's memory tools over MCP (stdio). Key from SYNAP_API_KEY; server from SYNAP_BASE_URL, "
        + "SYNAP_GRPC_HOST, SYNAP_GRPC_PORT (defaults: the local ./synap serve).")
final class McpCommand implements Callable<Integer> {
  private static PrintStream protocol = System.out;

  @Option(names = "--user-id", description = "Owner of calls that name none (env SYNAP_USER_ID).")
  String userId;

  @Option(names = "--customer-id", description = "The user's customer, B2B instances (env SYNAP_CUSTOMER_ID).")
  String customerId;

  /** Keeps the real standard output for the protocol and sends everything else printed to standard error. */
  static void takeStandardOutput() {
    protocol = System.out;
    System.setOut(System.err);
  }

  @Override
  public Integer call() throws InterruptedException {
    if (System.getenv("SYNAP_API_KEY") == null || System.getenv("SYNAP_API_KEY").isBlank()) {
      System.err.println("synap mcp: set SYNAP_API_KEY to an API key of the instance (./synap keys create)");
      return 2;
    }
    Synap synap = Synap.builder().build();
    McpStdioMain.run(synap, userId != null ? userId : System.getenv("SYNAP_USER_ID"),
        customerId != null ? customerId : System.getenv("SYNAP_CUSTOMER_ID"), protocol);
    return 0;
  }
}
