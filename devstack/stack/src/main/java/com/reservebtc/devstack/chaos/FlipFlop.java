package com.reservebtc.devstack.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;

/**
 * The tip flips from fork A to fork B and back to the very same A: the same blocks, with the same
 * hashes, so every log of A is published, retracted and published again with identical identity and
 * block hash (SPEC §4: "a reorg ... including one that flips back").
 *
 * <p>How: with interval mining paused, a snapshot is taken at the head N and {@code k} blocks A are
 * mined on it at fixed timestamps; once the indexer has published A's tip, the chain is reverted to
 * N and {@code k + 1} blocks B (other timestamps, the transactions pending then) are mined; once
 * the indexer has published B's tip, the chain is reverted to N again and A is mined once more from
 * the same signed transactions, timestamps and base fees (a revert does not restore Anvil's base
 * fee, so it is set per block). Each block of the second A is compared with the first by hash.
 * Transactions that were pending at a revert or mined only in B are sent again afterwards, so the
 * services' transactions are delayed, not lost (one that arrives between reading the pool and
 * dropping it is lost, as with a node that loses its pool; the services' senders rebroadcast). A
 * replayed block that picked up a transaction sent meanwhile is reverted and mined again.
 *
 * <p>Not thread-safe; the caller makes sure nothing else mines or reverts meanwhile.
 */
final class FlipFlop {

  /**
   * What happened.
   *
   * @param base the block A and B both extend
   * @param forkA the blocks of A as first mined
   * @param forkB the blocks of B
   * @param replayed the blocks of A mined the second time
   * @param indexerSawA whether the indexer published A's tip before the flip to B
   * @param indexerSawB whether the indexer published B's tip before the flip back
   * @param resent transactions sent again afterwards
   */
  record Result(
      BlockInfo base,
      List<BlockInfo> forkA,
      List<BlockInfo> forkB,
      List<BlockInfo> replayed,
      boolean indexerSawA,
      boolean indexerSawB,
      int resent) {

    /** Whether every block of A came back with the same hash. */
    boolean hashesRepeated() {
      if (replayed.size() != forkA.size()) {
        return false;
      }
      for (int i = 0; i < forkA.size(); i++) {
        if (!forkA.get(i).hash().equals(replayed.get(i).hash())) {
          return false;
        }
      }
      return true;
    }

    int transactionsInA() {
      return forkA.stream().mapToInt(b -> b.transactions().size()).sum();
    }

    String describe() {
      StringBuilder text =
          new StringBuilder(
              "on block "
                  + base.number()
                  + ": A = "
                  + forkA.size()
                  + " blocks ("
                  + transactionsInA()
                  + " transactions, tip "
                  + forkA.get(forkA.size() - 1).shortHash()
                  + "), B = "
                  + forkB.size()
                  + " blocks (tip "
                  + forkB.get(forkB.size() - 1).shortHash()
                  + "), A again: ");
      if (hashesRepeated()) {
        text.append("every block hash repeated");
      } else {
        for (int i = 0; i < forkA.size(); i++) {
          BlockInfo first = forkA.get(i);
          BlockInfo again = i < replayed.size() ? replayed.get(i) : null;
          text.append(" block ").append(first.number()).append(' ').append(first.hash());
          if (again == null) {
            text.append(" -> (not mined again)");
          } else if (!again.hash().equals(first.hash())) {
            text.append(" -> ")
                .append(again.hash())
                .append(" (")
                .append(again.differencesFrom(first))
                .append(')');
          } else {
            text.append(" repeated");
          }
        }
      }
      text.append("; indexer published A ")
          .append(indexerSawA ? "yes" : "NO")
          .append(", B ")
          .append(indexerSawB ? "yes" : "NO")
          .append("; ")
          .append(resent)
          .append(" pending transactions sent again");
      return text.toString();
    }
  }

  private static final int REPLAY_ATTEMPTS = 5;

  /** Whoever must see each fork before the tip moves on: the indexer. */
  @FunctionalInterface
  interface Observer {
    /** Waits until the block with this hash was seen; false on timeout. */
    boolean awaitTip(String blockHash, Duration timeout);
  }

  private final AnvilControl anvil;
  private final Observer indexer;
  private final Duration indexerTimeout;
  private final Lock senders;

  /**
   * @param senders held while A is mined again, so that the harness's own users send nothing
   *     between the pool being emptied and the block being mined
   */
  FlipFlop(AnvilControl anvil, Observer indexer, Duration indexerTimeout, Lock senders) {
    this.anvil = anvil;
    this.indexer = indexer;
    this.indexerTimeout = indexerTimeout;
    this.senders = senders;
  }

  /**
   * Flips A→B→A with {@code blocksA} blocks in A; {@code fillA} puts transactions of the harness's
   * own into the pool first, so that A carries logs even when the services send nothing; {@code
   * onB} sees B's blocks while B is the canonical chain.
   */
  Result run(int blocksA, Runnable fillA, Consumer<List<BlockInfo>> onB) {
    if (blocksA < 1) {
      throw new IllegalArgumentException("A needs at least one block");
    }
    anvil.pauseMining();
    try {
      BlockInfo base = anvil.head();
      String atBase = anvil.snapshot();
      fillA.run();
      List<BlockInfo> forkA = new ArrayList<>();
      List<List<String>> rawA = new ArrayList<>();
      for (int i = 1; i <= blocksA; i++) {
        BlockInfo block = anvil.mineAt(base.timestamp() + i);
        forkA.add(block);
        rawA.add(raw(block));
      }
      List<String> inA = new ArrayList<>();
      rawA.forEach(inA::addAll);
      boolean sawA = indexer.awaitTip(forkA.get(blocksA - 1).hash(), indexerTimeout);

      Set<String> toResend = new LinkedHashSet<>(anvil.pendingRaw());
      anvil.revert(atBase);
      String atBaseAgain = anvil.snapshot();
      toResend.addAll(anvil.pendingRaw());
      anvil.dropAllTransactions();
      List<BlockInfo> forkB = new ArrayList<>();
      for (int i = 1; i <= blocksA + 1; i++) {
        // one second later than A's block at the same height: a different block even if empty
        forkB.add(anvil.mineAt(base.timestamp() + i + 1));
      }
      boolean sawB = indexer.awaitTip(forkB.get(blocksA).hash(), indexerTimeout);
      onB.accept(forkB);

      forkB.forEach(b -> toResend.addAll(raw(b)));
      toResend.addAll(anvil.pendingRaw());
      anvil.revert(atBaseAgain);
      List<BlockInfo> replayed = new ArrayList<>();
      senders.lock();
      try {
        for (int i = 0; i < blocksA; i++) {
          BlockInfo again = replay(forkA.get(i), rawA.get(i), toResend);
          replayed.add(again);
          if (!again.hash().equals(forkA.get(i).hash())) {
            break;
          }
        }
      } finally {
        senders.unlock();
      }
      // A's transactions that are not in the chain again (a block of A not mined a second time)
      // are sent again like the others; those mined again are not
      toResend.addAll(inA);
      replayed.forEach(b -> toResend.removeAll(raw(b)));
      int resent = 0;
      for (String tx : toResend) {
        if (anvil.sendRaw(tx).isEmpty()) {
          resent++;
        }
      }
      return new Result(base, forkA, forkB, replayed, sawA, sawB, resent);
    } finally {
      anvil.resumeMining();
    }
  }

  /**
   * Mines {@code first} again from its transactions. The services keep sending while mining is
   * paused, and a transaction that reaches the pool between emptying it and mining lands in the
   * block and changes its hash: then that block is reverted (its stray transactions kept for
   * sending later) and mined again, up to {@link #REPLAY_ATTEMPTS} times.
   */
  private BlockInfo replay(BlockInfo first, List<String> transactions, Set<String> toResend) {
    BlockInfo again = null;
    for (int attempt = 1; attempt <= REPLAY_ATTEMPTS; attempt++) {
      String before = anvil.snapshot();
      toResend.addAll(anvil.pendingRaw());
      anvil.dropAllTransactions();
      anvil.setNextBaseFee(first.baseFeePerGas());
      for (String tx : transactions) {
        anvil
            .sendRaw(tx)
            // A service that sent again after the revert may have signed the very same
            // transaction (same nonce and fields): it is in the pool, as wanted.
            .filter(refusal -> !alreadyInPool(refusal))
            .ifPresent(
                refusal -> {
                  throw new ChaosException(
                      "replaying A: the node refused a transaction of A: " + refusal);
                });
      }
      // a service's transaction that reached the pool meanwhile would land in the block: take it
      // out (it is sent again afterwards), so that reverting a wrong block stays the exception
      Set<String> ownHashes = new java.util.HashSet<>(first.transactions());
      for (String hash : anvil.pendingHashes()) {
        if (!ownHashes.contains(hash)) {
          anvil.rawTransaction(hash).ifPresent(toResend::add);
          anvil.dropTransaction(hash);
        }
      }
      again = anvil.mineAt(first.timestamp());
      if (again.hash().equals(first.hash()) || attempt == REPLAY_ATTEMPTS) {
        return again;
      }
      toResend.addAll(raw(again));
      anvil.revert(before);
    }
    throw new IllegalStateException("unreachable");
  }

  private static boolean alreadyInPool(String refusal) {
    String text = refusal.toLowerCase(java.util.Locale.ROOT);
    return text.contains("already imported") || text.contains("already known");
  }

  private List<String> raw(BlockInfo block) {
    List<String> raw = new ArrayList<>();
    for (String hash : block.transactions()) {
      raw.add(
          anvil
              .rawTransaction(hash)
              .orElseThrow(() -> new ChaosException("no raw transaction for " + hash)));
    }
    return raw;
  }
}
