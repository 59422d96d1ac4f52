package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.avro.ChainLogRef;

/**
 * What one publication of a chain event changes in a read model, as decided by the inbox of
 * publications. Redeliveries, obsolete copies and retractions of something not applied do not
 * appear at all.
 *
 * @param kind what to do
 * @param record the publication
 * @param log where the event sits ({@code record}'s {@code log} field)
 * @param eventId {@code chainId:txHash:logIndex}
 * @param previousBlockHash for {@link Kind#REPLACE}, the block the event was applied from so far
 */
public record ChainChange(
    Kind kind, Consumed record, ChainLogRef log, String eventId, String previousBlockHash) {

  public enum Kind {
    /** Not applied so far (new, or retracted before): apply it from {@code log}'s block. */
    APPLY,
    /** Applied from {@code log}'s block so far: undo it. */
    RETRACT,
    /**
     * Applied so far from another block ({@code previousBlockHash}) whose retraction never came:
     * undo that, apply this.
     */
    REPLACE
  }
}
