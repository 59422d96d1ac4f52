package com.reservebtc.chainconsumer;

/**
 * A service's read model, fed by the chain-consumer. One bean per service.
 *
 * <p>{@link #apply} runs inside the database transaction that also records the inbox of
 * publications and advances the partitions' positions: the effects and the record of having applied
 * them commit together, or neither does. It should apply the whole batch with set-based SQL (one
 * statement per kind of change, not per record). A runtime exception rolls the batch back; a
 * transient one (see {@link Failures}) is retried without limit, any other makes the consumer apply
 * the batch's records one by one and dead-letter the one that fails. So {@code apply} must not
 * catch and swallow failures, and must produce the same effects for a batch as for its records
 * applied one at a time.
 *
 * <p>Chain events arrive as {@link ChainChange}s keyed by event identity; block finality comes from
 * {@link Batch#heights()} (see {@link Heights#finalityOf}), so nothing depends on which thread or
 * instance applied what: a read model that derives finality from the stored heights when it is read
 * never disagrees with the markers.
 */
@FunctionalInterface
public interface Projection {

  void apply(Batch batch);
}
