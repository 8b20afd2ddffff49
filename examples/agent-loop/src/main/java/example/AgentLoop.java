package example;

import dev.synap.sdk.ContextItem;
import dev.synap.sdk.ContextResponse;
import dev.synap.sdk.FetchRequest;
import dev.synap.sdk.ListenCallbacks;
import dev.synap.sdk.RecordMessage;
import dev.synap.sdk.SendMessage;
import dev.synap.sdk.Synap;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small agent loop on the Synap SDK: earlier turns are recorded, the agent listens on the stream,
 * publishes each new user turn with {@code sendMessage} (the server then pushes what the next turn
 * will need into the SDK's cache), fetches its context (from the cache when the push already holds
 * it, else from the server), answers, and records its answer. Each step prints where the context
 * came from.
 *
 * <p>Connection settings come from the environment, as the SDK reads them: {@code SYNAP_API_KEY}
 * (required), {@code SYNAP_BASE_URL} (default {@code http://127.0.0.1:8080}),
 * {@code SYNAP_GRPC_HOST} and {@code SYNAP_GRPC_PORT} (default {@code 127.0.0.1:50051}).
 */
public final class AgentLoop {
  private AgentLoop() {}

  public static void main(String[] args) throws Exception {
    String user = "example-user-" + UUID.randomUUID().toString().substring(0, 8);
    String conversation = UUID.randomUUID().toString();
    AtomicInteger pushed = new AtomicInteger();

    // A generous connect timeout: the first Listen connection loads gRPC and Netty, which takes a
    // few seconds on a cold JVM on a busy machine (the SDK's default is 5 s).
    try (Synap synap = Synap.builder().connectTimeout(Duration.ofSeconds(30)).build()) {
      System.out.println("agent-loop: user " + user + ", conversation " + conversation);

      // 1. Earlier turns, recorded over REST: durable on the server before they are acknowledged.
      List<String> history = List.of(
          "My dog is called Rex and he loves chasing tennis balls on the beach.",
          "I am allergic to peanuts.",
          "I am flying to Lisbon on the 3rd of May for a conference.");
      for (String turn : history) {
        synap.conversation().recordMessage(RecordMessage.user(conversation, turn).userId(user).build());
        System.out.println("recorded: " + turn);
      }
      awaitMemories(synap, user, "Rex dog tennis balls");

      // 2. Listen: bundles the server pushes land in the SDK's in-process cache.
      synap.instance().listen(new ListenCallbacks(
          bundle -> {
            System.out.println("  pushed bundle " + bundle.bundleId() + ": " + bundle.items().size() + " items"
                + " (" + bundle.originPatternId() + ")");
            pushed.incrementAndGet();
          },
          reason -> System.out.println("  stream lost: " + reason),
          attempt -> System.out.println("  stream restored")));

      // 3. The loop: publish the turn, fetch context, answer, record the answer.
      // A real agent asks its model with a prompt built from the context; canned replies stand in
      // for the model so that the example runs without one.
      Map<String, String> turns = new LinkedHashMap<>();
      turns.put("What is my dog's name again?", "Your dog is called Rex.");
      turns.put("Which food should I avoid?", "Peanuts: you told me you are allergic to them.");
      turns.put("When is my flight to Lisbon?", "On the 3rd of May, for your conference.");
      for (Map.Entry<String, String> exchange : turns.entrySet()) {
        String turn = exchange.getKey();
        System.out.println("user: " + turn);
        int before = pushed.get();
        synap.instance().sendMessage(SendMessage.builder(turn).userId(user).conversationId(conversation).build());
        awaitPush(pushed, before);
        ContextResponse context = synap.user().context().fetch(FetchRequest.forUser(user).query(turn).maxResults(3).build());
        System.out.println("  context from " + (context.fromCache()
            ? "the anticipation cache (bundles " + context.sourceBundleIds() + ")"
            : "the server (" + context.source() + ")") + ": " + context.all().size() + " items");
        for (ContextItem item : context.all()) System.out.println("    - " + item.type() + ": " + item.content());
        String prompt = context.formattedContext() + "\n\nUser: " + turn;
        String answer = exchange.getValue();
        System.out.println("assistant (prompt of about " + prompt.length() / 4 + " tokens): " + answer);
        synap.conversation().recordMessage(RecordMessage.assistant(conversation, answer).userId(user).build());
      }

      var stats = synap.cache().stats();
      System.out.println("cache: " + stats.hits() + " hits, " + stats.misses() + " misses, " + stats.bundlesStored() + " bundles stored");
      System.out.println("agent-loop: done");
    }
  }

  /** Extraction runs in the background after the acknowledgement: waits until the user's memories are searchable. */
  private static void awaitMemories(Synap synap, String user, String query) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!synap.user().context().fetch(FetchRequest.forUser(user).query(query).build()).all().isEmpty()) return;
      Thread.sleep(200);
    }
    throw new IllegalStateException("no memories for " + user + " after 30 s: is extraction running on the server?");
  }

  /** Pushes arrive asynchronously, a few milliseconds after the event: waits briefly for one. */
  private static void awaitPush(AtomicInteger pushed, int seenBefore) throws InterruptedException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (pushed.get() <= seenBefore && System.nanoTime() < deadline) Thread.sleep(10);
  }
}
