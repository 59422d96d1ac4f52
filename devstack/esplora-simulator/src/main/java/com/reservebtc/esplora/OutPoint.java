package com.reservebtc.esplora;

/** A reference to output {@code vout} of transaction {@code txid}. */
record OutPoint(String txid, int vout) {}
