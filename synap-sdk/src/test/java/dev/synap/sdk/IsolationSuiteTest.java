package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synap.core.tenant.RelationshipMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every read path, across two instances (one B2C, one B2B with two customers) and users that share
 * ids across instances: nothing crosses an instance, customer or user boundary. Every stored text
 * carries a marker naming its owner; each read may only return markers it is allowed to see.
 */
class IsolationSuiteTest {
  private static final Pattern MARKER = Pattern.compile("zebra(\\w+)");
  @TempDir Path dir;
  int paths;
  int cases;

  private void only(String path, Collection<String> texts, String... allowed) {
    cases++;
    Set<String> ok = Set.of(allowed);
    for (String t : texts) {
      Matcher m = MARKER.matcher(t);
      while (m.find()) assertThat(ok).as("%s returned %s", path, m.group()).contains(m.group(1));
    }
  }

  private static List<String> contents(ContextResponse r) {
    return r.all().stream().map(ContextItem::content).toList();
  }

  private static List<String> contents(MemoryPage page) {
    return page.memories().stream().map(Memory::content).toList();
  }

  @Test
  void noReadPathCrossesInstanceCustomerOrUser() throws Exception {
    try (TestServer ts = new TestServer(dir); Synap a = ts.client(); Synap b = ts.client(ts.newInstanceKey(RelationshipMode.B2B))) {
      String convAnnA = UUID.randomUUID().toString();
      String convBobA = UUID.randomUUID().toString();
      String convAnnB = UUID.randomUUID().toString();
      a.conversation().recordMessage(RecordMessage.user(convAnnA, "I keep my zebraannA notes in the blue folder.").userId("ann").build());
      a.conversation().recordMessage(RecordMessage.user(convBobA, "I keep my zebrabobA notes in the red folder.").userId("bob").build());
      a.memories().create(MemoriesClient.Document.of("The zebraclientA handbook says notes live in folders."));
      b.conversation().recordMessage(RecordMessage.user(convAnnB, "I keep my zebraannB notes in the green folder.").userId("ann").customerId("acme").build());
      b.conversation().recordMessage(RecordMessage.user(UUID.randomUUID().toString(), "I keep my zebracarlB notes in a drawer.").userId("carl").customerId("acme").build());
      b.conversation().recordMessage(RecordMessage.user(UUID.randomUUID().toString(), "I keep my zebradoraB notes in a box.").userId("dora").customerId("globex").build());
      var acmeDoc = b.memories().create(MemoriesClient.Document.of("Acme's zebraacmeB policy: notes live in folders.").forCustomer("acme"));
      ts.awaitIngested();
      var q = "where do I keep my zebra notes folder";

      paths++; // fetch, every scope
      // A user's context includes what the client and the user's customer share (documents), never another user's.
      only("A user ann", contents(a.user().context().fetch(FetchRequest.forUser("ann").query(q).build())), "annA", "clientA");
      only("A user bob", contents(a.user().context().fetch(FetchRequest.forUser("bob").query(q).build())), "bobA", "clientA");
      paths++;
      only("A conversation ann", contents(a.conversation().context().fetch(FetchRequest.forConversation(convAnnA).query(q).build())), "annA");
      only("B conversation ann via A key", contents(a.conversation().context().fetch(FetchRequest.forConversation(convAnnB).query(q).build())));
      paths++;
      only("A client", contents(a.client().context().fetch(FetchRequest.forClient().query(q).build())), "clientA");
      only("B client", contents(b.client().context().fetch(FetchRequest.forClient().query(q).build())));
      paths++;
      only("B user acme/ann", contents(b.user().context().fetch(FetchRequest.forUser("ann").customerId("acme").query(q).build())), "annB", "acmeB");
      only("B user globex/ann", contents(b.user().context().fetch(FetchRequest.forUser("ann").customerId("globex").query(q).build())));
      only("B user globex/dora", contents(b.user().context().fetch(FetchRequest.forUser("dora").customerId("globex").query(q).build())), "doraB");
      only("B customer acme", contents(b.customer().context().fetch(FetchRequest.forCustomer("acme").query(q).build())), "acmeB");
      only("B customer globex", contents(b.customer().context().fetch(FetchRequest.forCustomer("globex").query(q).build())));
      paths++; // unified fetch
      only("A unified ann", contents(a.fetch(FetchRequest.forUser("ann").conversationId(convAnnA).query(q).build(), true)), "annA", "clientA");
      only("B unified acme/ann", contents(b.fetch(FetchRequest.forUser("ann").customerId("acme").query(q).build())), "annB", "acmeB");

      paths++; // memories list
      only("A list ann", contents(a.memories().list("ann", null, 100, 0, true)), "annA");
      only("B list acme/ann", contents(b.memories().list("ann", "acme", 100, 0, true)), "annB");
      only("B list globex", contents(b.memories().list("dora", "globex", 100, 0, true)), "doraB");

      paths += 3; // get, history, ingestion status across instances
      String annAMemory = a.memories().list("ann", null, 10, 0, false).memories().getFirst().memoryId();
      cases += 3;
      assertThatThrownBy(() -> b.memories().get(annAMemory)).isInstanceOf(ContextNotFoundException.class);
      assertThatThrownBy(() -> b.memories().history(annAMemory)).isInstanceOf(ContextNotFoundException.class);
      assertThatThrownBy(() -> a.memories().status(acmeDoc.ingestionId())).isInstanceOf(ContextNotFoundException.class);

      paths += 2; // conversation context and compaction
      a.conversation().context().compact(CompactRequest.of(convAnnA).strategy("balanced").build());
      ts.awaitIngested();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!a.conversation().context().getCompactionStatus(convAnnA).status().equals("completed") && System.nanoTime() < deadline) Thread.sleep(50);
      cases += 3;
      assertThat(b.conversation().context().getCompacted(convAnnA)).isEmpty();
      // Another instance's conversation looks exactly like one that does not exist.
      assertThatThrownBy(() -> b.conversation().context().getCompactionStatus(convAnnA)).isInstanceOf(ContextNotFoundException.class);
      assertThatThrownBy(() -> b.conversation().context().getContextForPrompt(convAnnA)).isInstanceOf(ContextNotFoundException.class);
      only("A prompt context", List.of(a.conversation().context().getContextForPrompt(convAnnA).formattedContext()), "annA");

      paths++; // profile
      cases++;
      assertThat(b.user().getProfile("bob", "acme")).isEmpty();

      paths++; // entities
      cases++;
      var engine = ts.server.engine();
      String instanceB = b.whoami().instanceId();
      String instanceA = a.whoami().instanceId();
      assertThat(engine.entities().entities(instanceB)).noneMatch(e -> engine.entities().entities(instanceA).stream()
          .anyMatch(x -> x.entityId().equals(e.entityId())));

      paths++; // Listen pushes
      BlockingQueue<ContextBundle> pushedB = new LinkedBlockingQueue<>();
      BlockingQueue<ContextBundle> pushedA = new LinkedBlockingQueue<>();
      b.instance().listen(ListenCallbacks.onContext(pushedB::add));
      a.instance().listen(ListenCallbacks.onContext(pushedA::add));
      b.instance().sendMessage(SendMessage.builder(q).userId("ann").customerId("acme").build());
      a.instance().sendMessage(SendMessage.builder(q).userId("ann").build());
      List<String> seenB = new ArrayList<>();
      List<String> seenA = new ArrayList<>();
      for (ContextBundle x; (x = pushedB.poll(2, TimeUnit.SECONDS)) != null; ) seenB.addAll(x.items().stream().map(ContextItem::content).toList());
      for (ContextBundle x; (x = pushedA.poll(1, TimeUnit.SECONDS)) != null; ) seenA.addAll(x.items().stream().map(ContextItem::content).toList());
      assertThat(seenB).isNotEmpty();
      only("B push acme/ann", seenB, "annB");
      only("A push ann", seenA, "annA");
      only("B cache acme/ann", contents(b.user().context().fetch(FetchRequest.forUser("ann").customerId("acme").query(q).build())), "annB", "acmeB");
      only("B cache globex/ann", contents(b.user().context().fetch(FetchRequest.forUser("ann").customerId("globex").query(q).build())));
      System.out.printf("isolation: %d read paths, %d cases%n", paths, cases);
      assertThat(a.instance().flush(Duration.ofSeconds(5))).isTrue();
    }
  }
}
