package dev.synap.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One page of {@link MemoriesClient#list}: the memories, newest first, and where the page starts. */
public final class MemoryPage {
  private final List<Memory> memories;
  private final int limit;
  private final int offset;

  private MemoryPage(List<Memory> memories, int limit, int offset) {
    this.memories = List.copyOf(memories);
    this.limit = limit;
    this.offset = offset;
  }

  static MemoryPage from(JsonNode n, int limit, int offset) {
    List<Memory> out = new ArrayList<>();
    JsonNode list = n.path("memories");
    if (list.isArray()) for (JsonNode m : list) if (m.isObject()) out.add(Memory.from(m));
    return new MemoryPage(out, (int) JsonFields.number(n, "limit", limit), (int) JsonFields.number(n, "offset", offset));
  }

  public List<Memory> memories() {
    return memories;
  }

  public int limit() {
    return limit;
  }

  public int offset() {
    return offset;
  }

  /** The offset of the next page; a page shorter than its limit is the last one. */
  public int nextOffset() {
    return offset + memories.size();
  }

  public boolean isEmpty() {
    return memories.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemoryPage p && memories.equals(p.memories) && limit == p.limit && offset == p.offset;
  }

  @Override
  public int hashCode() {
    return memories.hashCode() * 31 + limit * 7 + offset;
  }

  @Override
  public String toString() {
    return "MemoryPage[offset=" + offset + ", limit=" + limit + ", memories=" + memories.size() + "]";
  }
}
