package com.reservebtc.esplora;

/**
 * A transaction output.
 *
 * @param address canonical address it pays, or {@code null} for a script no address represents
 *     (coinbases of blocks mined without a reward address); such outputs are never indexed
 * @param value sats, 1..MAX_MONEY
 */
record TxOut(String address, long value) {}
