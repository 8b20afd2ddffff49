package dev.synap.core.anticipate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientHoldingsTest {
  @Test
  void anItemCountsAsHeldOnlyUntilEnoughBundlesFollowedIt() {
    ClientHoldings h = new ClientHoldings(100, 3);
    h.nextBundle();
    h.pushed("m1", 10);
    assertThat(h.holds("m1", 10)).isTrue();
    h.nextBundle();
    h.nextBundle();
    assertThat(h.holds("m1", 10)).as("two bundles later, still within the horizon").isTrue();
    h.nextBundle();
    assertThat(h.holds("m1", 10)).as("three bundles later the client may have evicted it").isFalse();
    h.pushed("m1", 10);
    assertThat(h.holds("m1", 10)).as("sent again, held again").isTrue();
  }

  @Test
  void aChangedOrForgottenItemIsNotHeldAndTheMapIsBounded() {
    ClientHoldings h = new ClientHoldings(2, 60);
    h.nextBundle();
    h.pushed("m1", 10);
    h.pushed("m2", 10);
    assertThat(h.holds("m1", 11)).as("a newer version").isFalse();
    h.forget("m2");
    assertThat(h.holds("m2", 10)).isFalse();
    h.pushed("m3", 10);
    h.pushed("m4", 10);
    assertThat(h.holds("m1", 10)).as("the oldest entry beyond the bound").isFalse();
    assertThat(h.holds("m4", 10)).isTrue();
  }
}
