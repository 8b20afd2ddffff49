package dev.synap.bench.locomo;

import java.util.List;

/**
 * One retrieved item as the scorer sees it.
 *
 * @param turns the dialog turns (dia_ids) behind the item, in the item's own order
 * @param contextLine the item as it would be written into an agent's context
 */
public record RankedTurns(List<String> turns, String contextLine) {}
