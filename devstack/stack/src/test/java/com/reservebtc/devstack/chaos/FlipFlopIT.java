package com.reservebtc.devstack.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.contracts.anvil.AnvilNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A→B→A on a real Anvil mining a block a second, while someone keeps sending transactions. */
@Timeout(120)
class FlipFlopIT {

  private static final String RECIPIENT = AnvilNode.DEV_ACCOUNT_1_ADDRESS;

  private AnvilNode node;
  private AnvilControl anvil;
  private final AtomicBoolean sending = new AtomicBoolean(true);
  private Thread service;

  @BeforeEach
  void start() {
    node = AnvilNode.builder().blockTime(Duration.ofSeconds(1)).start();
    anvil = new AnvilControl(new JsonRpc(node.rpcUrl()));
  }

  @AfterEach
  void stop() throws InterruptedException {
    sending.set(false);
    if (service != null) {
      service.join();
    }
    node.close();
  }

  @Test
  void theTipFlipsToAnotherForkAndBackToBlocksWithTheSameHashesWhileAServiceKeepsSending() {
    String serviceAccount = anvil.rpc().call("eth_accounts").get(5).asString();
    String harnessAccount = anvil.rpc().call("eth_accounts").get(6).asString();
    AtomicInteger sent = new AtomicInteger();
    // not under the harness's lock, like the oracle's and the yield-service's transactions
    service =
        new Thread(
            () -> {
              while (sending.get()) {
                transfer(serviceAccount);
                sent.incrementAndGet();
                Pause.of(Duration.ofMillis(15));
              }
            });
    service.start();
    FlipFlop flip =
        new FlipFlop(anvil, (hash, timeout) -> true, Duration.ofSeconds(5), new ReentrantLock());

    FlipFlop.Result result =
        flip.run(
            3,
            () -> {
              for (int i = 0; i < 3; i++) {
                transfer(harnessAccount);
              }
            },
            forkB -> assertThat(anvil.head().hash()).isEqualTo(forkB.get(forkB.size() - 1).hash()));

    assertThat(sent.get()).as("transactions the service sent meanwhile").isPositive();
    assertThat(result.hashesRepeated()).as(result.describe()).isTrue();
    assertThat(result.transactionsInA()).isGreaterThanOrEqualTo(3);
    for (int i = 0; i < 3; i++) {
      BlockInfo a = result.forkA().get(i);
      assertThat(result.forkB().get(i).number()).isEqualTo(a.number());
      assertThat(result.forkB().get(i).hash()).isNotEqualTo(a.hash());
      assertThat(anvil.block(a.number()).hash()).isEqualTo(a.hash());
    }
  }

  private void transfer(String from) {
    anvil
        .rpc()
        .call(
            "eth_sendTransaction",
            Map.of(
                "from",
                from,
                "to",
                RECIPIENT,
                "value",
                "0x1",
                "maxPriorityFeePerGas",
                "0x3b9aca00"));
  }
}
