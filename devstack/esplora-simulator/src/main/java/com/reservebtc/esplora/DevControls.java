package com.reservebtc.esplora;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The dev controls shared by the HTTP routes and the Java API: validates addresses, applies the
 * change to the chain, saves the state file, and logs one line per change.
 *
 * <p>Guarantees: a change is saved before it is acknowledged when a state file is configured; if
 * saving fails the caller gets the error (the change stays in memory). Not guaranteed: that
 * concurrent changes are saved one file write each (a later write may cover several changes).
 */
final class DevControls {
  private static final System.Logger LOG = System.getLogger(DevControls.class.getName());

  /** Most outputs one funding transaction may have (bulk set-up for benchmarks). */
  static final int MAX_FUND_OUTPUTS = 100_000;

  private final ChainState chain;
  private final AddressValidator addresses;
  private final FaultInjector faults;
  private final StateFile stateFile;

  DevControls(
      ChainState chain, AddressValidator addresses, FaultInjector faults, StateFile stateFile) {
    this.chain = chain;
    this.addresses = addresses;
    this.faults = faults;
    this.stateFile = stateFile;
  }

  /** One output of a funding transaction, before address validation. */
  record Payment(String address, long sats) {}

  String fund(List<Payment> payments) {
    if (payments.isEmpty() || payments.size() > MAX_FUND_OUTPUTS) {
      throw new RejectedRequestException(
          "fund needs 1.." + MAX_FUND_OUTPUTS + " outputs, got " + payments.size());
    }
    List<TxOut> outputs = new ArrayList<>(payments.size());
    long total = 0;
    for (Payment payment : payments) {
      String address = canonical("address", payment.address());
      long sats = Sats.requireOutputAmount("sats", payment.sats());
      total = Sats.addWithinMaxMoney(total, sats);
      outputs.add(new TxOut(address, sats));
    }
    String txid = chain.fund(outputs);
    save();
    long funded = total;
    LOG.log(
        Level.INFO,
        () ->
            outputs.size() == 1
                ? "funded " + outputs.get(0).address() + " with " + funded + " sats in tx " + txid
                : "funded " + outputs.size() + " outputs with " + funded + " sats in tx " + txid);
    return txid;
  }

  String spend(String from, long sats, String to, long feeSats) {
    String source = canonical("address", from);
    String destination = to == null ? addresses.sinkAddress() : canonical("to", to);
    String txid = chain.spend(source, sats, destination, feeSats);
    save();
    LOG.log(
        Level.INFO,
        () -> "spent " + sats + " sats from " + source + " to " + destination + " in tx " + txid);
    return txid;
  }

  BlockRef mine(int blocks, String coinbaseAddress) {
    String reward = coinbaseAddress == null ? null : canonical("address", coinbaseAddress);
    BlockRef tip = chain.mine(blocks, reward);
    save();
    LOG.log(
        Level.INFO, () -> "mined " + blocks + " block(s); tip " + tip.height() + " " + tip.hash());
    return tip;
  }

  ReorgResult reorg(
      int depth,
      Integer newBlocks,
      Collection<String> dropTxids,
      boolean keepInMempool,
      String coinbaseAddress) {
    String reward = coinbaseAddress == null ? null : canonical("address", coinbaseAddress);
    int replacements = newBlocks == null ? depth + 1 : newBlocks;
    ReorgResult result = chain.reorg(depth, replacements, dropTxids, keepInMempool, reward);
    save();
    LOG.log(
        Level.INFO,
        () ->
            "reorg of depth "
                + depth
                + ": tip "
                + result.oldTip()
                + " -> "
                + result.newTip()
                + "; dropped "
                + result.dropped());
    return result;
  }

  FaultRule setFault(FaultRule rule) {
    faults.set(rule);
    LOG.log(Level.INFO, () -> "Esplora fault set to " + rule);
    FaultRule current = faults.current();
    return current == null ? FaultRule.none() : current;
  }

  FaultRule fault() {
    FaultRule current = faults.current();
    return current == null ? FaultRule.none() : current;
  }

  ChainSummary state() {
    return chain.summary(faults.current());
  }

  String sinkAddress() {
    return addresses.sinkAddress();
  }

  private String canonical(String field, String address) {
    try {
      return addresses.canonical(address);
    } catch (RejectedRequestException e) {
      throw new RejectedRequestException(field + ": " + e.getMessage() + " '" + address + "'");
    }
  }

  private void save() {
    if (stateFile != null) {
      stateFile.write(chain.snapshot());
    }
  }
}
