package dev.synap.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code synap}: the command line. Subcommands print errors as one line, never a stack trace. */
@Command(
    name = "synap",
    mixinStandardHelpOptions = true,
    version = "synap 0.1.0",
    description = "Open, self-hostable agent memory and context platform.",
    subcommands = {ServeCommand.class, KeysCommand.class, IngestLocomoCommand.class, IndexCommand.class, MigrateCommand.class, dev.synap.bench.BenchCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("synap: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 2;
    });
    return cl;
  }
}
