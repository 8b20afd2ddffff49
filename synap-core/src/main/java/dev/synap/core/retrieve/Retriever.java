package dev.synap.core.retrieve;

/** Ranks the memories a query may see. Implementations must honour every id in the query. */
public interface Retriever {
  ContextResult retrieve(ContextQuery query);
}
