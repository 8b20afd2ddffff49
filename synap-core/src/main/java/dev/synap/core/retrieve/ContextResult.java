package dev.synap.core.retrieve;

import java.util.List;

/** Ranked items that fit the token budget, with honest accounting of what was left out. */
public record ContextResult(
    List<ContextItem> items,
    int tokensUsed,
    int tokenBudget,
    boolean budgetExceeded,
    String mode,
    List<String> sourcesQueried,
    long retrievalMicros) {}
