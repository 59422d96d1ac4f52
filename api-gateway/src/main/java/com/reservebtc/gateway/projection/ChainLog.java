package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.api.TransactionRow;

/**
 * A chain record of any topic reduced to the row it produces.
 *
 * @param row the row as the record describes it (finality as published)
 * @param retracted whether the record retracts the row
 */
record ChainLog(TransactionRow row, boolean retracted) {

  /** Inbox id of applying this log in this block. */
  String applyId() {
    return row.eventId() + "@" + row.blockHash();
  }

  /** Inbox id of retracting this log from this block. */
  String retractId() {
    return applyId() + ":retracted";
  }
}
