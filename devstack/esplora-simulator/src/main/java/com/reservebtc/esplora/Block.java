package com.reservebtc.esplora;

import java.util.List;

/**
 * A simulated block. The first txid is always the block's coinbase.
 *
 * @param previousHash {@code null} only for genesis
 * @param time block timestamp, epoch seconds
 */
record Block(String hash, int height, long time, String previousHash, List<String> txids) {
  Block {
    txids = List.copyOf(txids);
  }
}
