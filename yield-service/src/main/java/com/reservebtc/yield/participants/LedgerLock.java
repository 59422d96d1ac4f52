package com.reservebtc.yield.participants;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One transaction-scoped advisory lock over the yield ledger and the participant states derived
 * from it, held until the transaction ends.
 *
 * <p>Why one lock and not one per chain or user: a batch recomputes a chain's supply and rates from
 * the earliest place it changed and then refolds every user whose rates moved, so any two batches
 * that touch one chain meet in rows neither of them named; and a user's fold runs over all of the
 * user's chains. Under READ COMMITTED each statement after the lock sees every row committed by the
 * batch that held it before, so the refolds of concurrent batches (other threads, other replicas, a
 * replayed dead letter) apply one after the other and the tables stay a function of the set of
 * canonical events, whatever the commit order. The service consumes one chain, so a lock per chain
 * would serialize the same batches. What runs outside it (the inbox, the positions) stays parallel.
 *
 * <p>Publications of participant states take it too: the outbox rows of one user then follow the
 * commit order, so the last state published is the state stored. Every transaction takes it before
 * any row lock of this service's tables, so waiting for it never closes a circle.
 */
final class LedgerLock {

  /** The first key of the two-key advisory locks: this lock's own space. */
  private static final int SPACE = 0x59494c44;

  private LedgerLock() {}

  static void hold(JdbcClient jdbc) {
    jdbc.sql("select pg_advisory_xact_lock(:space, hashtext(current_schema()))")
        .param("space", SPACE)
        .query((rs, n) -> n)
        .list();
  }
}
