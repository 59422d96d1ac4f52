package com.reservebtc.esplora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.esplora.EsploraJson.TxoStats;
import com.reservebtc.esplora.EsploraJson.Utxo;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChainStateTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
  private static final String ALICE = TestAddresses.p2wpkh(1);
  private static final String BOB = TestAddresses.p2wpkh(2);
  private static final String SINK = new AddressValidator(Network.REGTEST).sinkAddress();

  private final ChainState chain = ChainState.genesis(Network.REGTEST, CLOCK);

  @Test
  void startsAtTheRealGenesisBlock() {
    assertThat(chain.tip())
        .isEqualTo(
            new BlockRef(0, "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206"));
    assertThat(chain.blockInfo(chain.tip().hash()).orElseThrow().previousblockhash()).isNull();
  }

  @Test
  void fundedOutputIsPendingUntilMinedThenCountsInChainStats() {
    String txid = fund(ALICE, 50_000);

    assertThat(chain.addressInfo(ALICE, ALICE).chainStats()).isEqualTo(stats(0, 0, 0, 0, 0));
    assertThat(chain.addressInfo(ALICE, ALICE).mempoolStats()).isEqualTo(stats(1, 50_000, 0, 0, 1));
    assertThat(chain.txStatus(txid).confirmed()).isFalse();

    BlockRef tip = chain.mine(1, null);

    assertThat(chain.addressInfo(ALICE, ALICE).chainStats()).isEqualTo(stats(1, 50_000, 0, 0, 1));
    assertThat(chain.addressInfo(ALICE, ALICE).mempoolStats()).isEqualTo(stats(0, 0, 0, 0, 0));
    assertThat(chain.txStatus(txid).blockHeight()).isEqualTo(tip.height());
    assertThat(chain.mempoolTxids()).isEmpty();
  }

  @Test
  void listsAnAddressHistoryNewestFirstWithAMempoolSpendApart() {
    String funding = fund(ALICE, 60_000);
    chain.mine(1, null);
    String spend = chain.spend(ALICE, 60_000, ALICE, 0);

    // A self-transfer of the whole balance: unconfirmed, its input leaves /utxo as in electrs.
    assertThat(chain.utxos(ALICE)).extracting(Utxo::txid).containsExactly(spend);
    assertThat(chain.chainTxs(ALICE, null))
        .extracting(EsploraJson.TxInfo::txid)
        .containsExactly(funding);
    List<EsploraJson.TxInfo> all = chain.addressTxs(ALICE);
    assertThat(all).extracting(EsploraJson.TxInfo::txid).containsExactly(spend, funding);
    EsploraJson.TxInfo pending = all.get(0);
    assertThat(pending.status().confirmed()).isFalse();
    assertThat(pending.vin())
        .singleElement()
        .satisfies(
            in -> {
              assertThat(in.txid()).isEqualTo(funding);
              assertThat(in.prevout().scriptpubkeyAddress()).isEqualTo(ALICE);
              assertThat(in.prevout().value()).isEqualTo(60_000);
            });
    assertThat(pending.vout())
        .extracting(EsploraJson.TxOutput::scriptpubkeyAddress)
        .containsExactly(ALICE);

    BlockRef mined = chain.mine(1, null);
    assertThat(chain.chainTxs(ALICE, null))
        .extracting(EsploraJson.TxInfo::txid)
        .containsExactly(spend, funding);
    assertThat(chain.chainTxs(ALICE, null).get(0).status().blockHeight()).isEqualTo(mined.height());
  }

  @Test
  void pagesConfirmedHistoryTwentyFiveAtATime() {
    for (int i = 0; i < 30; i++) {
      fund(BOB, 1_000 + i);
      chain.mine(1, null);
    }
    List<EsploraJson.TxInfo> first = chain.chainTxs(BOB, null);
    assertThat(first).hasSize(25);
    assertThat(first.get(0).vout().get(0).value()).isEqualTo(1_029);
    List<EsploraJson.TxInfo> second = chain.chainTxs(BOB, first.get(24).txid());
    assertThat(second).hasSize(5);
    assertThat(second.get(4).vout().get(0).value()).isEqualTo(1_000);
    assertThat(chain.chainTxs(BOB, second.get(4).txid())).isEmpty();
  }

  @Test
  void spendUsesLargestConfirmedOutputsFirstAndReturnsChange() {
    fund(ALICE, 10_000);
    fund(ALICE, 70_000);
    fund(ALICE, 30_000);
    chain.mine(1, null);

    String txid = chain.spend(ALICE, 80_000, SINK, 500);

    // 70,000 + 30,000 cover 80,500; the 10,000 output stays untouched.
    assertThat(chain.addressInfo(ALICE, ALICE).mempoolStats())
        .isEqualTo(stats(1, 100_000 - 80_500, 2, 100_000, 1));
    chain.mine(1, null);
    TxoStats confirmed = chain.addressInfo(ALICE, ALICE).chainStats();
    assertThat(confirmed).isEqualTo(stats(4, 110_000 + 19_500, 2, 100_000, 4));
    assertThat(confirmed.fundedTxoSum() - confirmed.spentTxoSum()).isEqualTo(29_500);
    assertThat(chain.utxos(ALICE))
        .extracting(Utxo::value)
        .containsExactlyInAnyOrder(10_000L, 19_500L);
    assertThat(chain.addressInfo(SINK, SINK).chainStats().fundedTxoSum()).isEqualTo(80_000);
    assertThat(chain.txStatus(txid).confirmed()).isTrue();
  }

  @Test
  void spendNeverTouchesUnconfirmedOutputsAndARejectionChangesNothing() {
    fund(ALICE, 10_000);
    chain.mine(1, null);
    fund(ALICE, 90_000);
    long versionBefore = chain.version();
    List<String> mempoolBefore = chain.mempoolTxids();

    assertThatThrownBy(() -> chain.spend(ALICE, 20_000, SINK, 0))
        .isInstanceOf(RejectedRequestException.class)
        .hasMessageContaining("can spend 10000 sats")
        .hasMessageContaining("20000 sats are needed");

    assertThat(chain.version()).isEqualTo(versionBefore);
    assertThat(chain.mempoolTxids()).isEqualTo(mempoolBefore);
  }

  @Test
  void outputsSpentInTheMempoolAreNeitherListedNorSpendableTwice() {
    fund(ALICE, 10_000);
    chain.mine(1, null);
    chain.spend(ALICE, 4_000, BOB, 0);

    assertThat(chain.utxos(ALICE))
        .singleElement()
        .satisfies(
            utxo -> {
              assertThat(utxo.value()).isEqualTo(6_000);
              assertThat(utxo.status().confirmed()).isFalse();
            });
    assertThatThrownBy(() -> chain.spend(ALICE, 1_000, BOB, 0))
        .isInstanceOf(RejectedRequestException.class);
  }

  @Test
  void coinbaseOutputsMatureAfterOneHundredBlocks() {
    chain.mine(1, ALICE);
    chain.mine(98, null);
    assertThat(chain.addressInfo(ALICE, ALICE).chainStats().fundedTxoSum())
        .isEqualTo(50 * Sats.PER_BTC);
    assertThatThrownBy(() -> chain.spend(ALICE, 1_000, BOB, 0))
        .isInstanceOf(RejectedRequestException.class);

    chain.mine(1, null);

    chain.spend(ALICE, 1_000, BOB, 0);
  }

  @Test
  void rejectsAmountsThatNoTransactionCanCarry() {
    assertThatThrownBy(() -> fund(ALICE, 0)).isInstanceOf(RejectedRequestException.class);
    assertThatThrownBy(() -> fund(ALICE, -1)).isInstanceOf(RejectedRequestException.class);
    assertThatThrownBy(() -> fund(ALICE, Sats.MAX_MONEY + 1))
        .isInstanceOf(RejectedRequestException.class);
    assertThatThrownBy(
            () ->
                chain.fund(
                    List.of(new TxOut(ALICE, Sats.MAX_MONEY), new TxOut(BOB, Sats.MAX_MONEY))))
        .isInstanceOf(RejectedRequestException.class);
    assertThatThrownBy(() -> chain.spend(ALICE, Long.MAX_VALUE, SINK, Long.MAX_VALUE))
        .isInstanceOf(RejectedRequestException.class);
    assertThat(chain.mempoolTxids()).isEmpty();
  }

  @Test
  void reorgReconfirmsOrphanedTransactionsInBlocksWithNewHashes() {
    String txid = fund(ALICE, 25_000);
    BlockRef funded = chain.mine(1, null);
    BlockRef oldTip = chain.mine(2, null);

    ReorgResult result = chain.reorg(3, 4, List.of(), false, null);

    assertThat(result.oldTip()).isEqualTo(oldTip);
    assertThat(result.orphaned()).hasSize(3).contains(funded.hash(), oldTip.hash());
    assertThat(result.newTip().height()).isEqualTo(oldTip.height() + 1);
    assertThat(result.newTip().hash()).isNotEqualTo(oldTip.hash());
    assertThat(chain.hashAt(funded.height())).get().isNotEqualTo(funded.hash());
    assertThat(chain.blockInfo(funded.hash())).isEmpty();
    assertThat(chain.blockStatus(funded.hash()).inBestChain()).isFalse();
    assertThat(chain.txStatus(txid).blockHeight()).isEqualTo(funded.height());
    assertThat(chain.addressInfo(ALICE, ALICE).chainStats().fundedTxoSum()).isEqualTo(25_000);
  }

  @Test
  void reorgDroppingAFundingTransactionRemovesTheBalanceAndEverySpendOfIt() {
    fund(BOB, 5_000);
    String funding = fund(ALICE, 40_000);
    chain.mine(1, null);
    String spend = chain.spend(ALICE, 15_000, BOB, 0);

    ReorgResult result = chain.reorg(1, 2, List.of(funding), false, null);

    assertThat(result.dropped()).containsExactly(funding, spend);
    assertThat(chain.addressInfo(ALICE, ALICE).chainStats()).isEqualTo(stats(0, 0, 0, 0, 0));
    assertThat(chain.addressInfo(ALICE, ALICE).mempoolStats()).isEqualTo(stats(0, 0, 0, 0, 0));
    assertThat(chain.utxos(ALICE)).isEmpty();
    assertThat(chain.addressInfo(BOB, BOB).chainStats()).isEqualTo(stats(1, 5_000, 0, 0, 1));
    assertThat(chain.mempoolTxids()).isEmpty();
  }

  @Test
  void reorgCanKeepReturnedTransactionsInTheMempool() {
    String txid = fund(ALICE, 1_000);
    chain.mine(1, null);

    chain.reorg(1, 2, List.of(), true, null);

    assertThat(chain.mempoolTxids()).containsExactly(txid);
    assertThat(chain.addressInfo(ALICE, ALICE).chainStats().txCount()).isZero();
    assertThat(chain.addressInfo(ALICE, ALICE).mempoolStats().fundedTxoSum()).isEqualTo(1_000);
  }

  @Test
  void reorgRejectsImpossibleRequestsWithoutChangingTheChain() {
    String deep = fund(ALICE, 1_000);
    chain.mine(1, null);
    chain.mine(1, null);
    BlockRef tip = chain.tip();

    assertThatThrownBy(() -> chain.reorg(0, 1, List.of(), false, null))
        .isInstanceOf(RejectedRequestException.class);
    assertThatThrownBy(() -> chain.reorg(3, 1, List.of(), false, null))
        .hasMessageContaining("genesis");
    assertThatThrownBy(() -> chain.reorg(1, 2, List.of(deep), false, null))
        .hasMessageContaining("below the reorg");
    assertThatThrownBy(() -> chain.reorg(1, 2, List.of("00".repeat(32)), false, null))
        .hasMessageContaining("unknown transaction");

    assertThat(chain.tip()).isEqualTo(tip);
  }

  @Test
  void blockHashesNeverRepeatEvenAtTheSameHeight() {
    Set<String> seen = new HashSet<>();
    seen.add(chain.tip().hash());
    for (int i = 0; i < 20; i++) {
      assertThat(seen.add(chain.mine(1, null).hash())).isTrue();
      ReorgResult result = chain.reorg(1, 1, List.of(), false, null);
      assertThat(seen.add(result.newTip().hash())).isTrue();
    }
  }

  @Test
  void snapshotRestoresTheSameChain() {
    fund(ALICE, 10_000);
    chain.mine(3, BOB);
    chain.spend(ALICE, 3_000, BOB, 100);
    chain.reorg(1, 1, List.of(), true, null);

    ChainState restored = ChainState.restore(chain.snapshot(), Network.REGTEST, CLOCK);

    assertThat(restored.snapshot()).isEqualTo(chain.snapshot());
    assertThat(restored.addressInfo(ALICE, ALICE)).isEqualTo(chain.addressInfo(ALICE, ALICE));
    assertThat(restored.utxos(BOB)).isEqualTo(chain.utxos(BOB));
    assertThat(restored.mine(1, null)).isEqualTo(chain.mine(1, null));
  }

  @Test
  void restoreRefusesASnapshotOfAnotherNetwork() {
    assertThatThrownBy(() -> ChainState.restore(chain.snapshot(), Network.TESTNET, CLOCK))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("regtest");
  }

  private String fund(String address, long sats) {
    return chain.fund(List.of(new TxOut(address, sats)));
  }

  private static TxoStats stats(
      long fundedCount, long fundedSum, long spentCount, long spentSum, long txCount) {
    return new TxoStats(fundedCount, fundedSum, spentCount, spentSum, txCount);
  }
}
