package com.reservebtc.indexer.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.reorg.WindowBlock;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.FeeVaultEventKind;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.SyncedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

  private static final String VAULT = "0x" + "a".repeat(40);
  private static final String AGGREGATOR = "0x" + "b".repeat(40);
  private static final String USER = "0x" + "c".repeat(40);
  private static final String H1 = "0x" + "1".repeat(64);
  private static final String H2 = "0x" + "2".repeat(64);
  private static final String H3 = "0x" + "3".repeat(64);

  @Test
  void theSameEventsOnBothSidesMatchWithCountsPerContractAndEvent() {
    ChainRecord deposit = deposit(2, H2, 0);
    ChainRecord synced = synced(3, H3, 1);
    List<WindowBlock> window = window(List.of(deposit), List.of(synced));

    Reconciliation result = Reconciliation.compare(window, List.of(synced, deposit));

    assertThat(result.matches()).isTrue();
    assertThat(result.fromBlock()).isEqualTo(2);
    assertThat(result.toBlock()).isEqualTo(3);
    assertThat(result.events())
        .containsExactly(
            new Reconciliation.EventCount(VAULT, "Deposited", 1, 1),
            new Reconciliation.EventCount(AGGREGATOR, "Synced", 1, 1));
  }

  @Test
  void anEventMissingFromKafkaOrOneTheNodeDoesNotHaveIsAMismatchNamingIt() {
    ChainRecord published = deposit(2, H2, 0);
    ChainRecord notPublished = deposit(3, H3, 0);
    ChainRecord invented = synced(3, H3, 4);
    List<WindowBlock> window = window(List.of(published), List.of(invented));

    Reconciliation result = Reconciliation.compare(window, List.of(published, notPublished));

    assertThat(result.outcome()).isEqualTo("MISMATCH");
    assertThat(result.missing()).containsExactly("31337:" + txHash(3) + ":0");
    assertThat(result.unexpected()).containsExactly("31337:" + txHash(3) + ":4");
    assertThat(result.events())
        .contains(
            new Reconciliation.EventCount(VAULT, "Deposited", 2, 1),
            new Reconciliation.EventCount(AGGREGATOR, "Synced", 0, 1));
  }

  @Test
  void equalCountsOfDifferentEventsStillMismatch() {
    List<WindowBlock> window = window(List.of(deposit(2, H2, 0)), List.of());

    Reconciliation result = Reconciliation.compare(window, List.of(deposit(2, H2, 1)));

    assertThat(result.outcome()).isEqualTo("MISMATCH");
  }

  private static List<WindowBlock> window(List<ChainRecord> second, List<ChainRecord> third) {
    return List.of(
        new WindowBlock(2, H2, H1, 1_700_000_002L, second),
        new WindowBlock(3, H3, H2, 1_700_000_003L, third));
  }

  private static ChainLogRef ref(String contract, long block, String hash, int logIndex) {
    return new ChainLogRef(
        31337L,
        contract,
        block,
        hash,
        txHash(block),
        logIndex,
        1_700_000_000L + block,
        Finality.PENDING,
        false);
  }

  private static String txHash(long block) {
    return "0x" + Long.toString(block).repeat(64);
  }

  private static ChainRecord deposit(long block, String hash, int logIndex) {
    return ChainRecord.of(
        new FeeVaultEvent(
            ref(VAULT, block, hash, logIndex), FeeVaultEventKind.DEPOSITED, USER, "1", null));
  }

  private static ChainRecord synced(long block, String hash, int logIndex) {
    return ChainRecord.of(
        new SyncedEvent(ref(AGGREGATOR, block, hash, logIndex), USER, 5L, 5L, "0", 0L, 1L));
  }
}
