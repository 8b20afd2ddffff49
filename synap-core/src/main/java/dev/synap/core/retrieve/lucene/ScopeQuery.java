package dev.synap.core.retrieve.lucene;

import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import dev.synap.core.store.MemoryFilter;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * The tenant predicate as a Lucene filter. It must mean exactly what the system of record's
 * {@code where} clause means (instance always; then the scope's owner; types; current only), so
 * that the index can never show a memory the store would hide. Keep the two in step.
 */
public final class ScopeQuery {
  private ScopeQuery() {}

  public static Query of(MemoryFilter f) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(term(MemoryDocument.INSTANCE, f.instanceId()), Occur.FILTER);
    if (f.level() == Scope.CUSTOMER) b.add(term(MemoryDocument.USER, MemoryDocument.NONE), Occur.FILTER);
    if (f.level() == Scope.CLIENT) {
      b.add(term(MemoryDocument.USER, MemoryDocument.NONE), Occur.FILTER);
      b.add(term(MemoryDocument.CUSTOMER, MemoryDocument.NONE), Occur.FILTER);
    }
    if (f.customerId() != null && f.level() != Scope.CLIENT) b.add(term(MemoryDocument.CUSTOMER, f.customerId()), Occur.FILTER);
    if (f.userId() != null && f.level() != Scope.CUSTOMER && f.level() != Scope.CLIENT) {
      b.add(term(MemoryDocument.USER, f.userId()), Occur.FILTER);
    }
    if (f.conversationId() != null && (f.level() == Scope.CONVERSATION || f.level() == null)) {
      b.add(term(MemoryDocument.CONVERSATION, f.conversationId()), Occur.FILTER);
    }
    if (!f.types().isEmpty()) {
      BooleanQuery.Builder types = new BooleanQuery.Builder();
      for (MemoryType t : f.types()) types.add(term(MemoryDocument.TYPE, t.wireKey()), Occur.SHOULD);
      b.add(types.build(), Occur.FILTER);
    }
    if (!f.includeHistory()) b.add(NumericDocValuesField.newSlowExactQuery(MemoryDocument.STATUS, MemoryDocument.CURRENT), Occur.FILTER);
    return b.build();
  }

  private static Query term(String field, String value) {
    return new TermQuery(new Term(field, value));
  }
}
