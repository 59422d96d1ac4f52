package com.reservebtc.esplora;

import com.reservebtc.esplora.EsploraJson.AddressInfo;
import com.reservebtc.esplora.EsploraJson.BlockInfo;
import com.reservebtc.esplora.EsploraJson.BlockStatus;
import com.reservebtc.esplora.EsploraJson.TxInfo;
import com.reservebtc.esplora.EsploraJson.TxInput;
import com.reservebtc.esplora.EsploraJson.TxOutput;
import com.reservebtc.esplora.EsploraJson.TxStatus;
import com.reservebtc.esplora.EsploraJson.Utxo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The simulated Bitcoin chain: canonical blocks from genesis, blocks orphaned by reorgs, the
 * mempool, and (through {@link TxIndex}) every live transaction and unspent output.
 *
 * <p>Guarantees: every operation is atomic under one read/write lock, so readers never see a
 * half-mined block or half-applied reorg; a rejected operation changes nothing; outputs are never
 * double-spent; amounts are whole sats within Bitcoin's 21 million BTC per transaction; block
 * hashes never repeat, so a replacement block at the same height always has a new hash.
 *
 * <p>Not simulated: scripts, signatures, fees paid to miners, proof of work, or relay policy.
 * Inputs are resolved by the simulator itself (faucet, or the sender's confirmed outputs).
 */
final class ChainState {
  /** Blocks a coinbase output must wait before it can be spent, as on every Bitcoin network. */
  static final int COINBASE_MATURITY = 100;

  /** Upper bound on blocks mined by one call, so one request cannot stall the server. */
  static final int MAX_BLOCKS_PER_CALL = 10_000;

  /** The real genesis coinbase txid (identical on every network). */
  private static final String GENESIS_COINBASE_TXID =
      "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Network network;
  private final Clock clock;
  private final List<Block> blocks = new ArrayList<>();
  private final Map<String, Integer> heightByHash = new HashMap<>();
  private final Map<String, Block> orphaned = new LinkedHashMap<>();
  private final TxIndex txs = new TxIndex();

  /** Mempool in arrival order; a transaction always comes after the ones it spends. */
  private LinkedHashSet<String> mempool = new LinkedHashSet<>();

  /** Feeds txids and block hashes so none ever repeats, also across reorgs and restarts. */
  private long nextNonce;

  /** Incremented by every change; lets persistence skip snapshots older than the last write. */
  private long version;

  private ChainState(Network network, Clock clock) {
    this.network = network;
    this.clock = clock;
  }

  /** A chain holding only the network's genesis block. */
  static ChainState genesis(Network network, Clock clock) {
    ChainState chain = new ChainState(network, clock);
    Tx coinbase =
        new Tx(
            GENESIS_COINBASE_TXID,
            Tx.Kind.COINBASE,
            List.of(),
            List.of(new TxOut(null, network.subsidyAt(0))));
    chain.txs.add(coinbase);
    Block genesis =
        new Block(network.genesisHash(), 0, network.genesisTime(), null, List.of(coinbase.txid()));
    chain.appendCanonical(genesis);
    return chain;
  }

  /** Rebuilds a chain from a snapshot, refusing one that is inconsistent or for another network. */
  static ChainState restore(StateSnapshot snapshot, Network network, Clock clock) {
    if (!network.id().equals(snapshot.network())) {
      throw new IllegalStateException(
          "state file holds a "
              + snapshot.network()
              + " chain but the simulator is configured for "
              + network.id());
    }
    ChainState chain = new ChainState(network, clock);
    for (Tx tx : snapshot.txs()) {
      for (OutPoint in : tx.inputs()) {
        if (!chain.txs.contains(in.txid())) {
          throw new IllegalStateException(
              "state file: " + tx.txid() + " spends unknown transaction " + in.txid());
        }
      }
      chain.txs.add(tx);
    }
    String previousHash = null;
    for (Block block : snapshot.blocks()) {
      if (block.height() != chain.blocks.size()
          || !Objects.equals(block.previousHash(), previousHash)) {
        throw new IllegalStateException(
            "state file: block " + block.hash() + " does not extend the chain at its height");
      }
      chain.appendCanonical(block);
      previousHash = block.hash();
    }
    if (chain.blocks.isEmpty() || !chain.blocks.get(0).hash().equals(network.genesisHash())) {
      throw new IllegalStateException("state file: chain does not start at the genesis block");
    }
    snapshot.orphaned().forEach(block -> chain.orphaned.put(block.hash(), block));
    for (String txid : snapshot.mempool()) {
      if (!chain.txs.contains(txid) || chain.txs.heightOf(txid).isPresent()) {
        throw new IllegalStateException("state file: mempool entry " + txid + " is not pending");
      }
      chain.mempool.add(txid);
    }
    for (Tx tx : chain.txs.all()) {
      if (chain.txs.heightOf(tx.txid()).isEmpty() && !chain.mempool.contains(tx.txid())) {
        throw new IllegalStateException(
            "state file: " + tx.txid() + " is neither confirmed nor in the mempool");
      }
    }
    chain.nextNonce = snapshot.nextNonce();
    chain.version = snapshot.version();
    return chain;
  }

  Network network() {
    return network;
  }

  // ---- changes ----------------------------------------------------------------------------

  /** Adds a mempool transaction paying each output from the faucet; returns its txid. */
  String fund(List<TxOut> outputs) {
    if (outputs.isEmpty()) {
      throw new RejectedRequestException("fund needs at least one output");
    }
    long total = 0;
    for (TxOut out : outputs) {
      Sats.requireOutputAmount("sats", out.value());
      total = Sats.addWithinMaxMoney(total, out.value());
    }
    return write(
        () -> {
          Tx tx = Tx.create(Tx.Kind.FAUCET, List.of(), outputs, nextNonce++);
          txs.add(tx);
          mempool.add(tx.txid());
          return tx.txid();
        });
  }

  /**
   * Adds a mempool transaction spending {@code from}'s confirmed, mature outputs (largest first),
   * paying {@code sats} to {@code to} and the change minus {@code feeSats} back to {@code from}.
   */
  String spend(String from, long sats, String to, long feeSats) {
    Sats.requireOutputAmount("sats", sats);
    if (feeSats < 0 || feeSats > Sats.MAX_MONEY) {
      throw new RejectedRequestException(
          "feeSats must be 0.." + Sats.MAX_MONEY + ", was " + feeSats);
    }
    long needed = Sats.addWithinMaxMoney(sats, feeSats);
    return write(
        () -> {
          int tip = tipHeight();
          List<TxIndex.Unspent> candidates = new ArrayList<>();
          for (TxIndex.Unspent utxo : txs.unspentOf(from)) {
            if (utxo.height().isPresent()
                && (!utxo.coinbase() || tip - utxo.height().getAsInt() + 1 >= COINBASE_MATURITY)) {
              candidates.add(utxo);
            }
          }
          candidates.sort(
              Comparator.comparingLong(TxIndex.Unspent::value)
                  .reversed()
                  .thenComparingInt(u -> u.height().getAsInt())
                  .thenComparing(u -> u.outPoint().txid())
                  .thenComparingInt(u -> u.outPoint().vout()));
          List<OutPoint> inputs = new ArrayList<>();
          long selected = 0;
          for (TxIndex.Unspent utxo : candidates) {
            if (selected >= needed) {
              break;
            }
            inputs.add(utxo.outPoint());
            selected = Math.addExact(selected, utxo.value());
          }
          if (selected < needed) {
            long spendable = candidates.stream().mapToLong(TxIndex.Unspent::value).sum();
            throw new RejectedRequestException(
                "insufficient confirmed funds: "
                    + from
                    + " can spend "
                    + spendable
                    + " sats in confirmed, mature, unspent outputs but "
                    + needed
                    + " sats are needed (mine pending funding first)");
          }
          List<TxOut> outputs = new ArrayList<>();
          outputs.add(new TxOut(to, sats));
          long change = selected - needed;
          if (change > 0) {
            outputs.add(new TxOut(from, change));
          }
          Tx tx = Tx.create(Tx.Kind.TRANSFER, inputs, outputs, nextNonce++);
          txs.add(tx);
          mempool.add(tx.txid());
          return tx.txid();
        });
  }

  /**
   * Mines {@code count} blocks; the first confirms the whole mempool. Each block's coinbase pays
   * the subsidy to {@code coinbaseAddress}, or to no address when it is {@code null}.
   */
  BlockRef mine(int count, String coinbaseAddress) {
    requireBlockCount("blocks", count, 1);
    return write(
        () -> {
          for (int i = 0; i < count; i++) {
            mineBlock(i == 0, coinbaseAddress);
          }
          return tipRef();
        });
  }

  /**
   * Replaces the last {@code depth} blocks with {@code newBlocks} fresh ones. Transactions of the
   * orphaned blocks return to the mempool ahead of what was already pending, except {@code
   * dropTxids}, the orphaned coinbases, and everything spending those. The first replacement block
   * confirms the mempool unless {@code keepInMempool}.
   */
  ReorgResult reorg(
      int depth,
      int newBlocks,
      Collection<String> dropTxids,
      boolean keepInMempool,
      String coinbaseAddress) {
    requireBlockCount("newBlocks", newBlocks, 0);
    return write(
        () -> {
          int tip = tipHeight();
          if (depth < 1 || depth > tip) {
            throw new RejectedRequestException(
                "depth must be 1.."
                    + tip
                    + " (the genesis block cannot be orphaned), was "
                    + depth);
          }
          int forkHeight = tip - depth;
          Set<String> requested = new LinkedHashSet<>();
          for (String txid : dropTxids) {
            String normalized = txid == null ? null : txid.toLowerCase(Locale.ROOT);
            if (normalized == null || !txs.contains(normalized)) {
              throw new RejectedRequestException("dropTxids: unknown transaction " + txid);
            }
            OptionalInt height = txs.heightOf(normalized);
            if (height.isPresent() && height.getAsInt() <= forkHeight) {
              throw new RejectedRequestException(
                  "dropTxids: "
                      + txid
                      + " is confirmed at height "
                      + height.getAsInt()
                      + ", below the reorg; increase depth to at least "
                      + (tip - height.getAsInt() + 1));
            }
            if (txs.get(normalized).kind() == Tx.Kind.COINBASE) {
              throw new RejectedRequestException(
                  "dropTxids: " + txid + " is a coinbase; orphaned coinbases are always dropped");
            }
            requested.add(normalized);
          }

          BlockRef oldTip = tipRef();
          List<Block> orphanedBlocks = new ArrayList<>(blocks.subList(forkHeight + 1, tip + 1));
          blocks.subList(forkHeight + 1, tip + 1).clear();
          Set<String> gone = new HashSet<>();
          List<String> returning = new ArrayList<>();
          for (Block block : orphanedBlocks) {
            heightByHash.remove(block.hash());
            orphaned.put(block.hash(), block);
            for (String txid : block.txids()) {
              txs.unconfirm(txid);
              if (txs.get(txid).kind() == Tx.Kind.COINBASE) {
                gone.add(txid);
              } else {
                returning.add(txid);
              }
            }
          }
          LinkedHashSet<String> pending = new LinkedHashSet<>(returning);
          pending.addAll(mempool);
          List<String> dropped = new ArrayList<>();
          LinkedHashSet<String> kept = new LinkedHashSet<>();
          // Pending order puts parents before children, so one pass finds every descendant.
          for (String txid : pending) {
            if (requested.contains(txid) || spendsAny(txs.get(txid), gone)) {
              gone.add(txid);
              dropped.add(txid);
            } else {
              kept.add(txid);
            }
          }
          removeAll(gone);
          mempool = kept;
          for (int i = 0; i < newBlocks; i++) {
            mineBlock(i == 0 && !keepInMempool, coinbaseAddress);
          }
          return new ReorgResult(
              oldTip, tipRef(), orphanedBlocks.stream().map(Block::hash).toList(), dropped);
        });
  }

  // ---- queries ----------------------------------------------------------------------------

  BlockRef tip() {
    return read(this::tipRef);
  }

  Optional<String> hashAt(int height) {
    return read(
        () ->
            height >= 0 && height < blocks.size()
                ? Optional.of(blocks.get(height).hash())
                : Optional.empty());
  }

  /** A block of the canonical chain; orphaned blocks are reported as not found. */
  Optional<BlockInfo> blockInfo(String hash) {
    return read(
        () -> {
          Integer height = heightByHash.get(hash);
          return height == null ? Optional.empty() : Optional.of(toInfo(blocks.get(height)));
        });
  }

  BlockStatus blockStatus(String hash) {
    return read(
        () -> {
          Integer height = heightByHash.get(hash);
          if (height == null) {
            return BlockStatus.NOT_IN_BEST_CHAIN;
          }
          String next = height + 1 < blocks.size() ? blocks.get(height + 1).hash() : null;
          return new BlockStatus(true, height, next);
        });
  }

  AddressInfo addressInfo(String requested, String canonical) {
    return read(
        () -> new AddressInfo(requested, txs.stats(canonical, true), txs.stats(canonical, false)));
  }

  /** Unspent outputs of an address, confirmed ones first; mempool spends hide an output. */
  List<Utxo> utxos(String address) {
    return read(
        () -> {
          List<Utxo> result = new ArrayList<>();
          List<TxIndex.Unspent> unspent = new ArrayList<>(txs.unspentOf(address));
          unspent.sort(
              Comparator.comparingInt((TxIndex.Unspent u) -> u.height().orElse(Integer.MAX_VALUE)));
          for (TxIndex.Unspent u : unspent) {
            TxStatus status =
                u.height().isPresent()
                    ? TxStatus.confirmedIn(blocks.get(u.height().getAsInt()))
                    : TxStatus.UNCONFIRMED;
            result.add(new Utxo(u.outPoint().txid(), u.outPoint().vout(), status, u.value()));
          }
          return result;
        });
  }

  /** Confirmed transactions per page of {@code /address/{a}/txs/chain}, as in Esplora. */
  static final int CHAIN_TXS_PER_PAGE = 25;

  /** Mempool transactions listed first by {@code /address/{a}/txs}, as in Esplora. */
  static final int MEMPOOL_TXS_LISTED = 50;

  /**
   * {@code /address/{a}/txs/chain[/{lastSeen}]}: the confirmed transactions touching the address,
   * newest first (by height, then by position in the block), 25 per page, starting after {@code
   * lastSeenTxid} when given (an unknown one yields an empty page).
   */
  List<TxInfo> chainTxs(String address, String lastSeenTxid) {
    return read(
        () -> {
          List<TxInfo> confirmed = confirmedNewestFirst(address);
          int from = 0;
          if (lastSeenTxid != null) {
            from = confirmed.size();
            for (int i = 0; i < confirmed.size(); i++) {
              if (confirmed.get(i).txid().equals(lastSeenTxid)) {
                from = i + 1;
                break;
              }
            }
          }
          return List.copyOf(
              confirmed.subList(from, Math.min(confirmed.size(), from + CHAIN_TXS_PER_PAGE)));
        });
  }

  /**
   * {@code /address/{a}/txs}: up to 50 mempool transactions touching the address (newest first),
   * then its first page of confirmed ones.
   */
  List<TxInfo> addressTxs(String address) {
    return read(
        () -> {
          List<TxInfo> result = new ArrayList<>();
          List<String> pending = new ArrayList<>();
          for (String txid : txs.txidsTouching(address)) {
            if (mempool.contains(txid)) {
              pending.add(txid);
            }
          }
          List<String> mempoolOrder = new ArrayList<>(mempool);
          pending.sort(Comparator.comparingInt(mempoolOrder::indexOf).reversed());
          for (String txid : pending.subList(0, Math.min(pending.size(), MEMPOOL_TXS_LISTED))) {
            result.add(txInfo(txs.get(txid), TxStatus.UNCONFIRMED));
          }
          List<TxInfo> confirmed = confirmedNewestFirst(address);
          result.addAll(confirmed.subList(0, Math.min(confirmed.size(), CHAIN_TXS_PER_PAGE)));
          return result;
        });
  }

  /** Callers hold the lock. */
  private List<TxInfo> confirmedNewestFirst(String address) {
    record Placed(String txid, int height, int position) {}
    List<Placed> placed = new ArrayList<>();
    for (String txid : txs.txidsTouching(address)) {
      OptionalInt height = txs.heightOf(txid);
      if (height.isPresent()) {
        int position = blocks.get(height.getAsInt()).txids().indexOf(txid);
        placed.add(new Placed(txid, height.getAsInt(), position));
      }
    }
    placed.sort(
        Comparator.comparingInt(Placed::height).thenComparingInt(Placed::position).reversed());
    List<TxInfo> result = new ArrayList<>(placed.size());
    for (Placed p : placed) {
      result.add(txInfo(txs.get(p.txid()), TxStatus.confirmedIn(blocks.get(p.height()))));
    }
    return result;
  }

  private TxInfo txInfo(Tx tx, TxStatus status) {
    List<TxInput> inputs = new ArrayList<>();
    long in = 0;
    if (tx.kind() == Tx.Kind.COINBASE) {
      inputs.add(new TxInput("0".repeat(64), 0xffffffffL, null, true, 0xffffffffL));
    }
    for (OutPoint outPoint : tx.inputs()) {
      TxOut prev = txs.prevout(outPoint);
      in += prev.value();
      inputs.add(
          new TxInput(
              outPoint.txid(),
              outPoint.vout(),
              new TxOutput(prev.address(), prev.value()),
              false,
              0xfffffffdL));
    }
    List<TxOutput> outputs = new ArrayList<>();
    long out = 0;
    for (TxOut o : tx.outputs()) {
      out += o.value();
      outputs.add(new TxOutput(o.address(), o.value()));
    }
    long fee = tx.kind() == Tx.Kind.TRANSFER ? in - out : 0;
    long size = 10 + 148L * inputs.size() + 34L * outputs.size();
    return new TxInfo(tx.txid(), 2, 0, inputs, outputs, size, size * 4, fee, status);
  }

  /** Confirmation status of a transaction; unknown transactions are unconfirmed, as in Esplora. */
  TxStatus txStatus(String txid) {
    return read(
        () -> {
          OptionalInt height = txs.heightOf(txid);
          return height.isPresent()
              ? TxStatus.confirmedIn(blocks.get(height.getAsInt()))
              : TxStatus.UNCONFIRMED;
        });
  }

  List<String> mempoolTxids() {
    return read(() -> List.copyOf(mempool));
  }

  ChainSummary summary(FaultRule fault) {
    return read(
        () ->
            new ChainSummary(
                network.id(),
                tipHeight(),
                tipRef().hash(),
                mempool.size(),
                txs.addressCount(),
                txs.size(),
                orphaned.size(),
                fault));
  }

  StateSnapshot snapshot() {
    return read(
        () ->
            new StateSnapshot(
                StateSnapshot.FORMAT,
                network.id(),
                version,
                nextNonce,
                List.copyOf(blocks),
                List.copyOf(orphaned.values()),
                List.copyOf(txs.all()),
                List.copyOf(mempool)));
  }

  long version() {
    return read(() -> version);
  }

  // ---- internals (callers hold the lock) ---------------------------------------------------

  private void mineBlock(boolean includeMempool, String coinbaseAddress) {
    Block previous = blocks.get(blocks.size() - 1);
    int height = previous.height() + 1;
    long subsidy = network.subsidyAt(height);
    Tx coinbase =
        Tx.create(
            Tx.Kind.COINBASE, List.of(), List.of(new TxOut(coinbaseAddress, subsidy)), nextNonce++);
    txs.add(coinbase);
    List<String> txids = new ArrayList<>();
    txids.add(coinbase.txid());
    if (includeMempool) {
      txids.addAll(mempool);
      mempool = new LinkedHashSet<>();
    }
    String hash = Hashes.sha256Hex("block|" + previous.hash() + "|" + height + "|" + nextNonce++);
    long time = Math.max(previous.time() + 1, clock.instant().getEpochSecond());
    appendCanonical(new Block(hash, height, time, previous.hash(), txids));
  }

  private void appendCanonical(Block block) {
    blocks.add(block);
    heightByHash.put(block.hash(), block.height());
    for (String txid : block.txids()) {
      txs.confirm(txid, block.height());
    }
  }

  private boolean spendsAny(Tx tx, Set<String> txids) {
    for (OutPoint in : tx.inputs()) {
      if (txids.contains(in.txid())) {
        return true;
      }
    }
    return false;
  }

  /** Removes transactions children first, as {@link TxIndex#remove} requires. */
  private void removeAll(Set<String> txids) {
    List<Tx> ordered = new ArrayList<>();
    for (Tx tx : txs.all()) {
      if (txids.contains(tx.txid())) {
        ordered.add(tx);
      }
    }
    for (int i = ordered.size() - 1; i >= 0; i--) {
      txs.remove(ordered.get(i).txid());
    }
  }

  private int tipHeight() {
    return blocks.size() - 1;
  }

  private BlockRef tipRef() {
    Block tip = blocks.get(blocks.size() - 1);
    return new BlockRef(tip.height(), tip.hash());
  }

  private BlockInfo toInfo(Block block) {
    int height = block.height();
    long[] times =
        blocks.subList(Math.max(0, height - 10), height + 1).stream()
            .mapToLong(Block::time)
            .toArray();
    Arrays.sort(times);
    int txCount = block.txids().size();
    long size = 80 + 1 + 250L * txCount;
    return new BlockInfo(
        block.hash(),
        height,
        0x20000000L,
        block.time(),
        txCount,
        size,
        size * 4,
        Hashes.sha256Hex("merkle|" + String.join("|", block.txids())),
        block.previousHash(),
        times[times.length / 2],
        0,
        0x207fffffL,
        4.656542373906925E-10);
  }

  private static void requireBlockCount(String field, int count, int min) {
    if (count < min || count > MAX_BLOCKS_PER_CALL) {
      throw new RejectedRequestException(
          field + " must be " + min + ".." + MAX_BLOCKS_PER_CALL + ", was " + count);
    }
  }

  private <T> T read(Supplier<T> query) {
    lock.readLock().lock();
    try {
      return query.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Runs a change under the write lock. Changes validate before they mutate, so a rejection leaves
   * the chain as it was.
   */
  private <T> T write(Supplier<T> change) {
    lock.writeLock().lock();
    try {
      T result = change.get();
      version++;
      return result;
    } finally {
      lock.writeLock().unlock();
    }
  }
}
