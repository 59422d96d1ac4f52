package com.reservebtc.indexer.ingest;

import com.reservebtc.indexer.chain.BlockHeader;
import com.reservebtc.indexer.chain.ChainClient.FinalityTags;
import com.reservebtc.indexer.decode.ChainRecord;
import java.util.List;
import java.util.Map;

/**
 * Blocks {@code from..to} read from the node: the headers fetched (always both ends, linked to each
 * other through every sub-range that was asked separately), and the records decoded from the logs,
 * in chain order.
 *
 * @param logs logs the node returned, including those not published (filtered by coverage)
 * @param tags the node's safe and finalized blocks when they were asked for with the range
 */
record FetchedRange(
    long from,
    long to,
    Map<Long, BlockHeader> headers,
    List<ChainRecord> records,
    int logs,
    FinalityTags tags) {

  FetchedRange {
    headers = Map.copyOf(headers);
    records = List.copyOf(records);
  }

  BlockHeader first() {
    return headers.get(from);
  }

  BlockHeader last() {
    return headers.get(to);
  }
}
