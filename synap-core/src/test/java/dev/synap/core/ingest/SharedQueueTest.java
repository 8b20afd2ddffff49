package dev.synap.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.entity.EntityRegistry;
import dev.synap.core.extract.RuleExtractor;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.MessageStore;
import dev.synap.core.store.MessageStore.Lease;
import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message queue as several nodes share it: claims are leased to a node, a dead node's leases
 * expire and another node finishes its work, attempts are counted across nodes, and two nodes
 * consolidating one user's turns never store near-copies. Nodes here are pipelines with their own
 * node ids on one store, as server processes on one PostgreSQL are; a subclass runs the same
 * rules on another store by overriding {@link #open}.
 */
class SharedQueueTest {
  @TempDir Path dir;

  SystemOfRecord open(Path dir) {
    return new SqliteSystemOfRecord(dir);
  }

  private static IngestPipeline node(SystemOfRecord store, String nodeId, Duration lease) {
    IngestPipeline p = new IngestPipeline(store.messages(), new EntityRegistry(store.entities()), new RuleExtractor(), 2, 100_000);
    p.leaseAs(new Lease(nodeId, lease), true);
    return p;
  }

  private static List<String> ids(List<Message> messages) {
    return messages.stream().map(Message::messageId).toList();
  }

  @Test
  void twoNodesNeverClaimTheSameMessage() {
    try (SystemOfRecord store = open(dir)) {
      IngestPipeline recorder = new IngestPipeline(store.messages(), new RuleExtractor(), 1, 1000);
      for (int i = 0; i < 10; i++) recorder.record(PipelineFixture.request("c1", "Caroline", "turn " + i, "2024-01-01T10:00:0" + i + "Z"));
      List<Message> a = store.messages().claimQueued(new Lease("node-a", Duration.ofMinutes(1)), 6);
      List<Message> b = store.messages().claimQueued(new Lease("node-b", Duration.ofMinutes(1)), 6);
      assertThat(a).hasSize(6);
      assertThat(b).hasSize(4);
      Set<String> both = new HashSet<>(ids(a));
      both.retainAll(ids(b));
      assertThat(both).isEmpty();
      assertThat(store.messages().claimQueued(new Lease("node-c", Duration.ofMinutes(1)), 6)).isEmpty();
    }
  }

  @Test
  void onlyExpiredLeasesAreTakenBackAndRenewedOnesStay() throws Exception {
    try (SystemOfRecord store = open(dir)) {
      IngestPipeline recorder = new IngestPipeline(store.messages(), new RuleExtractor(), 1, 1000);
      for (int i = 0; i < 4; i++) recorder.record(PipelineFixture.request("c1", "Caroline", "turn " + i, "2024-01-01T10:00:0" + i + "Z"));
      Lease dead = new Lease("dead", Duration.ofMillis(200));
      Lease alive = new Lease("alive", Duration.ofMillis(200));
      assertThat(store.messages().claimQueued(dead, 2)).hasSize(2);
      assertThat(store.messages().claimQueued(alive, 2)).hasSize(2);
      Thread.sleep(120);
      assertThat(store.messages().renew(alive)).isEqualTo(2);
      Thread.sleep(120); // dead's leases are over, alive's renewed ones are not
      MessageStore.Resumed back = store.messages().requeueExpired(IngestPipeline.MAX_ATTEMPTS);
      assertThat(back.queuedAgain()).isEqualTo(2);
      assertThat(store.messages().claimQueued(new Lease("third", Duration.ofMinutes(1)), 64)).hasSize(1); // tried before: claimed alone
    }
  }

  @Test
  void aMessageWhoseNodesKeepDyingIsFailedAfterTheAttemptsAcrossNodes() throws Exception {
    try (SystemOfRecord store = open(dir)) {
      IngestPipeline recorder = new IngestPipeline(store.messages(), new RuleExtractor(), 1, 1000);
      String id = recorder.record(PipelineFixture.request("c1", "Caroline", "poison", "2024-01-01T10:00:00Z")).messageId();
      for (int node = 0; node < IngestPipeline.MAX_ATTEMPTS; node++) {
        assertThat(ids(store.messages().claimQueued(new Lease("node-" + node, Duration.ofMillis(50)), 8))).containsExactly(id);
        Thread.sleep(80);
        store.messages().requeueExpired(IngestPipeline.MAX_ATTEMPTS);
      }
      MessageStore.Status status = store.messages().status(PipelineFixture.INSTANCE, id).orElseThrow();
      assertThat(status.status()).isEqualTo("failed");
      assertThat(status.error()).contains("interrupted");
    }
  }

  @Test
  void aNodeKilledMidBatchLosesNothingAnotherNodeFinishesItsWorkAfterTheLease() throws Exception {
    try (SystemOfRecord store = open(dir)) {
      IngestPipeline recorder = new IngestPipeline(store.messages(), new RuleExtractor(), 1, 1000);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ids.add(recorder.record(PipelineFixture.request("c" + i, "Caroline", FACTS[i], "2024-01-01T10:00:00Z")).messageId());
      }
      // Node A claims a batch and dies before completing it (kill -9: no release, no renewal).
      assertThat(store.messages().claimQueued(new Lease("node-a", Duration.ofMillis(400)), 8)).hasSize(8);
      try (IngestPipeline b = node(store, "node-b", Duration.ofMillis(600))) {
        b.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && !allCompleted(store, ids)) Thread.sleep(20);
      }
      assertThat(ids).allSatisfy(id -> assertThat(store.messages().status(PipelineFixture.INSTANCE, id).orElseThrow().status()).isEqualTo("completed"));
      List<Memory> memories = store.memories().list(MemoryFilter.user(PipelineFixture.INSTANCE, null, PipelineFixture.USER), 1000, 0);
      // Each message's memories exactly once: no source turn twice, none missing.
      List<String> sources = memories.stream().flatMap(m -> m.sourceMessageIds().stream()).toList();
      assertThat(sources).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    }
  }

  @Test
  void twoNodesRacingOnOneUsersNearDuplicatesStoreNoNearDuplicate() throws Exception {
    try (SystemOfRecord store = open(dir)) {
      IngestPipeline recorder = new IngestPipeline(store.messages(), new RuleExtractor(), 1, 100_000);
      List<String> ids = new ArrayList<>();
      String[] variants = {"My favourite colour is blue.", "My favorite color is blue.", "My favourite colour is blue!",
          "my favourite colour is blue."};
      try (IngestPipeline a = node(store, "node-a", Duration.ofSeconds(30)); IngestPipeline b = node(store, "node-b", Duration.ofSeconds(30))) {
        a.start();
        b.start();
        // Recorded while both nodes poll the queue, in small bursts, so both claim some of them and
        // their completions overlap in time.
        for (int i = 0; i < 60; i++) {
          ids.add(recorder.record(PipelineFixture.request("c" + (i % 5), "Melanie", variants[i % variants.length],
              "2023-05-" + String.format("%02d", 1 + i % 28) + "T10:00:" + String.format("%02d", i % 60) + "Z")).messageId());
          if (i % 3 == 2) Thread.sleep(30);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && !allCompleted(store, ids)) Thread.sleep(20);
      }
      assertThat(allCompleted(store, ids)).isTrue();
      List<Memory> current = store.memories().list(MemoryFilter.user(PipelineFixture.INSTANCE, null, PipelineFixture.USER), 1000, 0);
      assertThat(current).as("current memories %s", current).hasSize(1);
      assertThat(current.getFirst().sourceMessageIds()).hasSize(60);
    }
  }

  private static final String[] FACTS = {
      "I adopted a dog named Rex last week.", "My sister Anna teaches chemistry in Lyon.", "I started learning the cello in March.",
      "Our team shipped the billing migration yesterday.", "I am allergic to peanuts and shellfish.", "My grandfather built boats in Norway.",
      "I ran my first marathon in Chicago.", "We painted the kitchen a pale green colour.", "I collect vintage fountain pens from Japan.",
      "My neighbour Tom repairs old motorcycles.", "I volunteer at the animal shelter on Saturdays.", "The garden produced forty tomatoes this summer.",
      "I passed the pilot licence exam on Friday.", "My daughter plays goalkeeper for her school.", "I translated a novel from Portuguese.",
      "We adopted two goats for the farm.", "I broke my wrist skiing in Austria.", "My brother opened a bakery downtown.",
      "I switched to a standing desk at work.", "Our book club is reading Middlemarch."};

  private static boolean allCompleted(SystemOfRecord store, List<String> ids) {
    for (String id : ids) {
      if (!store.messages().status(PipelineFixture.INSTANCE, id).orElseThrow().status().equals("completed")) return false;
    }
    return true;
  }
}
