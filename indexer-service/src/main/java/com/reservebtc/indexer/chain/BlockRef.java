package com.reservebtc.indexer.chain;

/** A block identified by height and hash (lowercase 0x). */
public record BlockRef(long number, String hash) {

  public BlockRef {
    if (number < 0) {
      throw new IllegalArgumentException("block number must be >= 0, was " + number);
    }
    hash = Hashes.require("block hash", hash);
  }

  public static BlockRef of(BlockHeader header) {
    return new BlockRef(header.number(), header.hash());
  }
}
