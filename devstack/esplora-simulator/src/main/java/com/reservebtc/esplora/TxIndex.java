package com.reservebtc.esplora;

import com.reservebtc.esplora.EsploraJson.TxoStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Every live transaction (confirmed in the canonical chain or waiting in the mempool), who spends
 * which output, and which transactions touch each address.
 *
 * <p>Guarantees: per-address queries cost O(outputs and inputs touching that address), which keeps
 * {@code GET /address/{a}} cheap however large the chain grows; an output has at most one live
 * spender. Not thread-safe: {@link ChainState} guards it with its lock. Transactions that leave the
 * chain for good are removed, so nothing here refers to a transaction that no longer exists.
 */
final class TxIndex {
  /** Insertion order is creation order, which is also a valid spending order. */
  private final Map<String, Tx> txs = new LinkedHashMap<>();

  private final Map<String, Integer> confirmedHeight = new HashMap<>();
  private final Map<OutPoint, String> spentBy = new HashMap<>();

  /** Per address, per transaction: which of its outputs pay and which of its inputs spend it. */
  private final Map<String, Map<String, Touch>> touchesByAddress = new HashMap<>();

  void add(Tx tx) {
    if (txs.putIfAbsent(tx.txid(), tx) != null) {
      throw new IllegalStateException("duplicate txid " + tx.txid());
    }
    List<OutPoint> inputs = tx.inputs();
    for (int vin = 0; vin < inputs.size(); vin++) {
      OutPoint in = inputs.get(vin);
      String previous = spentBy.putIfAbsent(in, tx.txid());
      if (previous != null) {
        throw new IllegalStateException(
            "output " + in + " already spent by " + previous + ", not also by " + tx.txid());
      }
      String address = prevout(in).address();
      if (address != null) {
        touch(address, tx.txid()).inputs.add(vin);
      }
    }
    List<TxOut> outputs = tx.outputs();
    for (int vout = 0; vout < outputs.size(); vout++) {
      String address = outputs.get(vout).address();
      if (address != null) {
        touch(address, tx.txid()).outputs.add(vout);
      }
    }
  }

  /** Removes a transaction; its spenders must have been removed before it. */
  void remove(String txid) {
    Tx tx = txs.get(txid);
    if (tx == null) {
      return;
    }
    for (int vout = 0; vout < tx.outputs().size(); vout++) {
      String spender = spentBy.get(new OutPoint(txid, vout));
      if (spender != null) {
        throw new IllegalStateException(
            "cannot remove " + txid + " while " + spender + " spends its output " + vout);
      }
    }
    for (OutPoint in : tx.inputs()) {
      spentBy.remove(in, txid);
      untouch(prevout(in).address(), txid);
    }
    for (TxOut out : tx.outputs()) {
      untouch(out.address(), txid);
    }
    txs.remove(txid);
    confirmedHeight.remove(txid);
  }

  void confirm(String txid, int height) {
    requireTx(txid);
    confirmedHeight.put(txid, height);
  }

  void unconfirm(String txid) {
    confirmedHeight.remove(txid);
  }

  Tx get(String txid) {
    return txs.get(txid);
  }

  boolean contains(String txid) {
    return txs.containsKey(txid);
  }

  OptionalInt heightOf(String txid) {
    Integer height = confirmedHeight.get(txid);
    return height == null ? OptionalInt.empty() : OptionalInt.of(height);
  }

  Collection<Tx> all() {
    return Collections.unmodifiableCollection(txs.values());
  }

  int size() {
    return txs.size();
  }

  int addressCount() {
    return touchesByAddress.size();
  }

  boolean isSpent(OutPoint outPoint) {
    return spentBy.containsKey(outPoint);
  }

  TxOut prevout(OutPoint in) {
    Tx parent = txs.get(in.txid());
    if (parent == null || in.vout() < 0 || in.vout() >= parent.outputs().size()) {
      throw new IllegalStateException("input refers to a missing output " + in);
    }
    return parent.outputs().get(in.vout());
  }

  /** Esplora's chain_stats (confirmed) or mempool_stats (unconfirmed) of one address. */
  TxoStats stats(String address, boolean confirmed) {
    long fundedCount = 0;
    long fundedSum = 0;
    long spentCount = 0;
    long spentSum = 0;
    long txCount = 0;
    for (Map.Entry<String, Touch> entry : touchesOf(address).entrySet()) {
      String txid = entry.getKey();
      if (confirmedHeight.containsKey(txid) != confirmed) {
        continue;
      }
      Tx tx = txs.get(txid);
      Touch touch = entry.getValue();
      txCount++;
      for (int vout : touch.outputs) {
        fundedCount++;
        fundedSum = Math.addExact(fundedSum, tx.outputs().get(vout).value());
      }
      for (int vin : touch.inputs) {
        spentCount++;
        spentSum = Math.addExact(spentSum, prevout(tx.inputs().get(vin)).value());
      }
    }
    return new TxoStats(fundedCount, fundedSum, spentCount, spentSum, txCount);
  }

  /** The live transactions that pay or spend {@code address}, in creation order. */
  List<String> txidsTouching(String address) {
    return List.copyOf(touchesOf(address).keySet());
  }

  /** Outputs paying {@code address} that no live transaction spends, in creation order. */
  List<Unspent> unspentOf(String address) {
    List<Unspent> unspent = new ArrayList<>();
    for (Map.Entry<String, Touch> entry : touchesOf(address).entrySet()) {
      String txid = entry.getKey();
      Tx tx = txs.get(txid);
      Integer height = confirmedHeight.get(txid);
      for (int vout : entry.getValue().outputs) {
        OutPoint outPoint = new OutPoint(txid, vout);
        if (!spentBy.containsKey(outPoint)) {
          unspent.add(
              new Unspent(
                  outPoint,
                  tx.outputs().get(vout).value(),
                  height == null ? OptionalInt.empty() : OptionalInt.of(height),
                  tx.kind() == Tx.Kind.COINBASE));
        }
      }
    }
    return unspent;
  }

  /** An unspent output; {@code height} is empty while its transaction is in the mempool. */
  record Unspent(OutPoint outPoint, long value, OptionalInt height, boolean coinbase) {}

  private Tx requireTx(String txid) {
    Tx tx = txs.get(txid);
    if (tx == null) {
      throw new IllegalStateException("unknown txid " + txid);
    }
    return tx;
  }

  private Map<String, Touch> touchesOf(String address) {
    return touchesByAddress.getOrDefault(address, Map.of());
  }

  private Touch touch(String address, String txid) {
    return touchesByAddress
        .computeIfAbsent(address, a -> new LinkedHashMap<>())
        .computeIfAbsent(txid, t -> new Touch());
  }

  private void untouch(String address, String txid) {
    if (address == null) {
      return;
    }
    Map<String, Touch> touches = touchesByAddress.get(address);
    if (touches != null) {
      touches.remove(txid);
      if (touches.isEmpty()) {
        touchesByAddress.remove(address);
      }
    }
  }

  /** Where one transaction meets one address, so queries skip the rest of a large transaction. */
  private static final class Touch {
    final List<Integer> outputs = new ArrayList<>(1);
    final List<Integer> inputs = new ArrayList<>(1);
  }
}
