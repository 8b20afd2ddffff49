package dev.synap.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.synap.integration.Recall;
import dev.synap.integration.SynapMemory;

/**
 * {@code remember} and {@code recall} as LangChain4j tools ({@code AiServices.builder(...).tools(...)}).
 * {@code remember} throws the SDK's typed exception when the platform refuses or cannot be reached
 * (AiServices hands the message to the model); {@code recall} fails soft.
 */
public final class SynapMemoryTools {
  private final SynapMemory memory;

  SynapMemoryTools(SynapMemory memory) {
    this.memory = memory;
  }

  @Tool(name = "remember", value = "Stores a fact about the user in long-term memory so that later conversations can use it. "
      + "Use it when the user states something worth keeping (a preference, a name, a plan, a date).")
  public String remember(@P(name = "fact", value = "the fact to remember, as one self-contained sentence") String fact) {
    return "Stored (ingestion " + memory.remember(fact).ingestionId() + "): " + fact;
  }

  @Tool(name = "recall", value = "Searches the user's long-term memory and returns what is known that is relevant to the query.")
  public String recall(@P(name = "query", value = "what to look for, in natural language") String query) {
    Recall r = memory.recall(query, 10, null);
    if (Recall.UNAVAILABLE.equals(r.source())) return "Memory is unavailable right now.";
    return r.isEmpty() ? "Nothing relevant is remembered." : r.formattedContext();
  }
}
