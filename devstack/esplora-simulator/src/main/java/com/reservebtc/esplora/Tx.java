package com.reservebtc.esplora;

import java.util.List;

/**
 * A simulated transaction. Inputs refer to outputs of earlier transactions; coinbase and faucet
 * transactions have none (the faucet is an unlimited source outside the simulated chain).
 */
record Tx(String txid, Kind kind, List<OutPoint> inputs, List<TxOut> outputs) {
  enum Kind {
    COINBASE,
    FAUCET,
    TRANSFER
  }

  Tx {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** Derives a unique txid from the content and a never-reused nonce. */
  static Tx create(Kind kind, List<OutPoint> inputs, List<TxOut> outputs, long nonce) {
    StringBuilder preimage = new StringBuilder("tx|").append(kind).append('|').append(nonce);
    for (OutPoint in : inputs) {
      preimage.append("|in:").append(in.txid()).append(':').append(in.vout());
    }
    for (TxOut out : outputs) {
      preimage.append("|out:").append(out.address()).append(':').append(out.value());
    }
    return new Tx(Hashes.sha256Hex(preimage.toString()), kind, inputs, outputs);
  }
}
